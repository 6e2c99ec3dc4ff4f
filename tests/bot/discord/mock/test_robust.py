"""Peer mock interviews when things go wrong: a restart, a partner who leaves or goes silent,
and a report."""

from __future__ import annotations

from bot.engine.clock import ManualClock
from bot.engine.mock.rules import ROUND_LIMIT

from ..conftest import BotFactory, World, running
from ..interview.test_e2e import button_id
from .helpers import checklist_id, join, open_kit, pair, question_of, rate, round_message


async def test_a_restart_mid_session_keeps_pairs_roles_checklists_and_timers(
    world: World, make_bot: BotFactory
) -> None:
    fake, clock = world.fake, ManualClock()
    async with running(world, make_bot(clock=clock)):
        thread = await pair(world)
        first = await round_message(world, thread, 1)
        kit = await open_kit(world, world.alice, first)
        await (await fake.select(world.alice, kit, checklist_id(kit), ["0"])).wait_response()
    async with running(world, make_bot(clock=clock)):  # a new process on the same database
        question = question_of(kit)
        # The old ephemeral kit still works: the checklist and Rate are DynamicItems.
        tick = await fake.select(world.alice, kit, checklist_id(kit), ["0", "1"])
        await tick.wait_response()
        assert "(2/" in kit.text
        reopened = await open_kit(world, world.alice, first)
        assert f"✅ {question.rubric[1].name}" in reopened.text.replace("\\", "")
        await rate(world, world.alice, kit)
        second = await round_message(world, thread, 2)
        assert "**Bob** interviews, **Alice** answers" in second.text
    async with running(world, make_bot(clock=clock)):
        # Round 2's deadline was rescheduled from the database: Bob never rates.
        await clock.advance(ROUND_LIMIT.total_seconds() + 1)
        ended = await fake.wait_for_message(thread, lambda m: "did not rate" in m.text)
        assert "**Bob** did not rate the round in time" in ended.text
        assert [b.label for b in ended.buttons] == ["Back to the queue (front)", "My feedback"]
        others = await fake.click(world.bob, ended, button_id(ended, "Back to the queue (front)"))
        assert "Only the member whose partner left" in (await others.wait_original()).content
        back = await fake.click(world.alice, ended, button_id(ended, "Back to the queue (front)"))
        assert "first in line" in (await back.wait_original()).content
        mine = await fake.click(world.bob, ended, button_id(ended, "My feedback"))
        assert "Technical depth: **3**/4" in (await mine.wait_original()).text


async def test_a_partner_who_leaves_ends_politely_and_the_other_goes_first(
    world: World, make_bot: BotFactory
) -> None:
    fake, clock = world.fake, ManualClock()
    carol = fake.create_user("carol", global_name="Carol")
    fake.add_member(world.guild, carol)
    async with running(world, make_bot(clock=clock)):
        thread = await pair(world, topic="databases")
        first = await round_message(world, thread, 1)
        await join(world, world.admin, topic="security")  # waits: no match for databases
        left = await fake.slash(world.bob, world.general, "mock", "leave")
        assert "your partner was told" in (await left.wait_original()).content
        ended = await fake.wait_for_message(thread, lambda m: "left the session" in m.text)
        assert "**Bob** left the session" in ended.text and not ended.pings_anyone
        assert world.guild.voice_channels == []
        stale = await fake.click(world.alice, first, button_id(first, "Interviewer kit"))
        assert "over" in (await stale.wait_original()).content
        # Alice goes back first: Carol, who fits both, is paired with her, not with Admin.
        back = await fake.click(world.alice, ended, button_id(ended, "Back to the queue (front)"))
        assert "first in line (1 other waiting)" in (await back.wait_original()).content
        await join(world, carol)
        record = await fake.wait_for_thread()
        assert record.thread is not thread
        assert {world.alice.id, carol.id} <= set(record.thread.member_ids)
        assert world.admin.id not in record.thread.member_ids


async def test_a_report_ends_at_once_tells_the_managers_and_never_pairs_again(
    world: World, make_bot: BotFactory
) -> None:
    fake = world.fake
    reports = fake.create_text_channel(world.guild, "mod-reports")
    async with running(world, make_bot(clock=ManualClock())):
        denied = await fake.slash(
            world.admin, world.general, "settings", options={"report_channel": reports}
        )
        assert "Saved." in (await denied.wait_original()).content
        thread = await pair(world)
        first = await round_message(world, thread, 1)
        opener = await fake.click(world.bob, first, button_id(first, "End & report"))
        await opener.wait_modal()
        reason = "@everyone Alice was abusive in voice."
        reply = await (await fake.submit_modal_for(opener, {"reason": reason})).wait_original()
        assert reply.ephemeral and "moderators have your report" in reply.content
        report = await fake.wait_for_message(reports)
        assert "Mock interview report" in report.text and "Alice was abusive" in report.text
        assert not report.pings_anyone and not report.mention_everyone
        assert str(world.bob.id) in report.text and str(world.alice.id) in report.text
        ended = await fake.wait_for_message(thread, lambda m: "has ended" in m.text)
        assert "report" not in ended.text.lower()
        assert world.guild.voice_channels == []
        # Never matched again, and no invitation either.
        await join(world, world.alice)
        waiting = await join(world, world.bob)
        assert "in the queue" in waiting.content
        invite = await fake.slash(
            world.bob, world.general, "mock", "invite", {"member": world.alice}
        )
        assert "can't be paired" in (await invite.wait_original()).content
