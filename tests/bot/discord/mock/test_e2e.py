"""Peer mock interviews end to end: the real bot against the fake Discord, two members."""

from __future__ import annotations

import discord

from bot.discord.permissions import REQUIRED_PERMISSIONS
from bot.engine.clock import ManualClock
from tests.fake_discord import VOICE_CHANNEL

from ..conftest import BotFactory, World, running
from ..interview.test_e2e import button_id
from .helpers import checklist_id, join, open_kit, pair, question_of, rate, round_message


async def test_queue_pairs_kit_checklist_rating_swap_feedback_and_progress(
    world: World, make_bot: BotFactory
) -> None:
    fake = world.fake
    async with running(world, make_bot(clock=ManualClock())):
        thread = await pair(world)
        record = fake.threads_created[-1]
        assert record.type == 12 and not record.invitable  # private, members can't invite
        assert {world.alice.id, world.bob.id} <= set(thread.member_ids)
        [voice] = fake.channels_created
        assert voice.type == VOICE_CHANNEL and voice in world.guild.voice_channels
        overwrites = {int(o["id"]): o for o in voice.permission_overwrites}
        assert discord.Permissions(int(overwrites[world.guild.id]["deny"])).connect
        for member in (world.alice, world.bob):
            assert discord.Permissions(int(overwrites[member.id]["allow"])).connect

        first = await round_message(world, thread, 1)
        assert set(first.mention_user_ids) == {world.alice.id, world.bob.id}
        assert "**Alice** interviews, **Bob** answers" in first.text
        assert f"<#{voice.id}>" in first.text
        assert [b.label for b in first.buttons] == [
            "Interviewer kit",
            "Write my answer",
            "Leave",
            "End & report",
        ]

        # The kit is Alice's alone.
        refused = await fake.click(world.bob, first, button_id(first, "Interviewer kit"))
        assert "Only this round's interviewer" in (await refused.wait_original()).content
        kit = await open_kit(world, world.alice, first)
        question = question_of(kit)
        fields = {f["name"].split(" (")[0]: f["value"] for f in kit.embeds[0]["fields"]}
        assert {"Checklist", "Model answer", "Hints if they stall", "Follow-up questions"} <= set(
            fields
        )
        assert kit.visible_to(world.alice) and not kit.visible_to(world.bob)
        seen_by_bob = " ".join(m.text for m in fake.visible_messages(thread, world.bob))
        assert question.model_answer[:40] not in seen_by_bob
        assert question.prompt[:40] not in seen_by_bob

        # Ticking the checklist redraws the kit with the ticks.
        concepts = [c.name for c in question.rubric]
        tick = await fake.select(world.alice, kit, checklist_id(kit), ["0", "1"])
        await tick.wait_response()
        assert f"Checklist (2/{len(concepts)} ticked)" in kit.text
        assert f"✅ {concepts[0]}" in kit.text.replace("\\", "")

        # Bob writes an answer too: scored with the rubric, shown later.
        opener = await fake.click(world.bob, first, button_id(first, "Write my answer"))
        await opener.wait_modal()
        receipt = await (
            await fake.submit_modal_for(opener, {"answer": question.model_answer})
        ).wait_original()
        assert receipt.ephemeral and "Answer received" in receipt.content

        saved = await rate(world, world.alice, kit)
        assert saved.ephemeral and "Rating saved" in saved.content
        second = await round_message(world, thread, 2)
        assert "**Bob** interviews, **Alice** answers. Roles are swapped." in second.text
        again = await fake.click(world.alice, second, button_id(second, "Interviewer kit"))
        assert "Only this round's interviewer" in (await again.wait_original()).content
        bob_kit = await open_kit(world, world.bob, second)
        assert question_of(bob_kit).id != question.id  # a different question
        await rate(
            world, world.bob, bob_kit, {"depth": "1", "communication": "2", "problem_solving": "1"}
        )

        done = await fake.wait_for_message(thread, lambda m: "Mock interview complete" in m.text)
        assert [b.label for b in done.buttons] == [
            "My feedback",
            "Useful",
            "Not useful",
            "End & report",
        ]
        assert fake.channels_deleted == [voice]  # the voice room is gone

        mine = await (
            await fake.click(world.bob, done, button_id(done, "My feedback"))
        ).wait_original()
        assert mine.ephemeral and mine.visible_to(world.bob) and not mine.visible_to(world.alice)
        text = mine.text
        assert "Technical depth: **3**/4" in text and "Communication: **4**/4" in text
        assert "Problem-solving: **2**/4" in text
        assert "mention trade-offs earlier" in text and not mine.pings_anyone
        assert f"✅ {concepts[0]}" in text.replace("\\", "") and "/100**" in text
        assert "Tips" in text
        hers = await (
            await fake.click(world.alice, done, button_id(done, "My feedback"))
        ).wait_original()
        assert "Technical depth: **1**/4" in hers.text and "didn't write an answer" in hers.text

        vote = await (
            await fake.click(world.alice, done, button_id(done, "Useful"))
        ).wait_original()
        assert vote.ephemeral and "glad" in vote.content

        progress = await (await fake.slash(world.bob, world.general, "progress")).wait_original()
        peer = next(
            f for f in progress.embeds[0]["fields"] if f["name"].startswith("Peer interviews")
        )
        assert "1 received" in peer["value"] and "1 given" in peer["value"]
        assert "Technical depth **3.0**" in peer["value"]
        board = await (await fake.slash(world.bob, world.general, "leaderboard")).wait_original()
        given = next(f for f in board.embeds[0]["fields"] if f["name"] == "Mock interviews given")
        assert "Alice" in given["value"] and "Bob" in given["value"]


async def test_invite_flow_and_bad_input(world: World, make_bot: BotFactory) -> None:
    fake = world.fake
    async with running(world, make_bot(clock=ManualClock())):
        me = await fake.slash(world.alice, world.general, "mock", "invite", {"member": world.alice})
        assert "invite yourself" in (await me.wait_original()).content
        bot = await fake.slash(
            world.alice, world.general, "mock", "invite", {"member": fake.bot_user}
        )
        assert "Bots don't" in (await bot.wait_original()).content

        handle = await fake.slash(
            world.alice, world.general, "mock", "invite", {"member": world.bob}
        )
        invitation = await handle.wait_original()
        assert not invitation.ephemeral and invitation.mention_user_ids == [world.bob.id]
        assert [b.label for b in invitation.buttons] == ["Accept", "Decline"]
        wrong = await fake.click(world.admin, invitation, button_id(invitation, "Accept"))
        assert "for someone else" in (await wrong.wait_original()).content
        queued = await join(world, world.alice)
        assert "already in a mock interview" in queued.content  # the invitation holds her place

        accept = await fake.click(world.bob, invitation, button_id(invitation, "Accept"))
        reply = await accept.wait_original()
        thread = (await fake.wait_for_thread()).thread
        assert "Paired with **Alice**" in reply.content and thread.mention in reply.content
        assert invitation.buttons == [] and "Accepted" in invitation.text
        await round_message(world, thread, 1)
        twice = await join(world, world.bob)
        assert "already in a mock interview" in twice.content


async def test_a_member_waiting_too_long_is_told_and_taken_out(
    world: World, make_bot: BotFactory
) -> None:
    fake, clock = world.fake, ManualClock()
    async with running(world, make_bot(clock=clock)):
        await join(world, world.alice)
        again = await join(world, world.alice)
        assert "already in the queue" in again.content
        await clock.advance(15 * 60)
        told = await fake.wait_for_message(fake.dm_channel(world.alice))
        assert "took you out of the queue" in told.content and "Interview Guild" in told.content
        left = await fake.slash(world.alice, world.general, "mock", "leave")
        assert "not in the queue" in (await left.wait_original()).content


async def test_without_manage_channels_the_thread_is_the_room(
    world: World, make_bot: BotFactory
) -> None:
    fake = world.fake
    no_voice = discord.Permissions(REQUIRED_PERMISSIONS.value)
    no_voice.manage_channels = False
    guild = fake.create_guild("Text Only", bot_permissions=no_voice)
    for user in (world.alice, world.bob):
        fake.add_member(guild, user)
    general = guild.channel_named("general")
    async with running(world, make_bot(clock=ManualClock())):
        await join(world, world.alice, general)
        await join(world, world.bob, general)
        thread = (await fake.wait_for_thread()).thread
        first = await round_message(world, thread, 1)
        assert "here in the thread" in first.text
        kit = await open_kit(world, world.alice, first)
        await rate(world, world.alice, kit)
        await round_message(world, thread, 2)
    assert fake.channels_created == [] and fake.rejected_requests == []
