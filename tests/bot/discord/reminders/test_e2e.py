"""Review reminders and streaks end to end: DMs at the member's time, closed DMs, time zones."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.engine.clock import ManualClock
from tests.fake_discord import FakeMessage
from tests.fake_discord.models import FakeUser

from ..conftest import GOOD_AUTH_ANSWER, BotFactory, World, running
from ..interview.test_e2e import answer, button_id

MONDAY = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
WEAK = "No idea, sorry."


async def answer_one_in_dm(world: World, user: FakeUser, text: str) -> FakeMessage:
    """A one-question interview in the member's DM, answered with `text`."""
    dm = world.fake.dm_channel(user)
    start = await world.fake.slash(user, dm, "interview", "start", {"count": 1})
    return await answer(world.fake, user, await start.wait_original(), text)


def is_reminder(message: FakeMessage) -> bool:
    return bool(message.embeds) and message.embeds[0]["title"] == "Time to practise"


async def test_a_reminder_dm_starts_the_review_in_place(world: World, make_bot: BotFactory) -> None:
    fake, clock = world.fake, ManualClock(MONDAY)
    async with running(world, make_bot(clock=clock)):
        await answer_one_in_dm(world, world.alice, WEAK)  # due again in an hour
        await answer_one_in_dm(world, world.bob, WEAK)  # Bob never opts in
        on = await fake.slash(
            world.alice,
            world.general,
            "remind",
            "on",
            {"time": "19:00", "timezone": "Europe/Berlin"},
        )
        reply = await on.wait_original()
        assert reply.ephemeral and "Reminders are on" in reply.text and "19:00" in reply.text

        await clock.advance(9 * 3600 - 1)  # 18:59:59 in Berlin
        await asyncio.sleep(0.3)
        alice_dm, bob_dm = fake.dm_channel(world.alice), fake.dm_channel(world.bob)
        assert not [m for m in fake.messages_in(alice_dm) if is_reminder(m)]
        await clock.advance(1)
        reminder = await fake.wait_for_message(alice_dm, is_reminder)
        assert "**1** question is due" in reminder.text and not reminder.pings_anyone
        assert [b.label for b in reminder.buttons] == ["Start review"]

        start = await fake.click(world.alice, reminder, button_id(reminder, "Start review"))
        question = await start.wait_original()
        assert question.channel_id == alice_dm.id and "Review · question 1 of 1" in question.text
        feedback = await answer(fake, world.alice, question, GOOD_AUTH_ANSWER)
        assert "score" in feedback.text.lower() or "/100" in feedback.text

        await clock.advance(3600)  # one DM a day at most, and never to Bob
        await asyncio.sleep(0.3)
        assert len([m for m in fake.messages_in(alice_dm) if is_reminder(m)]) == 1
        assert not [m for m in fake.messages_in(bob_dm) if is_reminder(m)]


async def test_closed_dms_turn_reminders_off_and_progress_says_why(
    world: World, make_bot: BotFactory
) -> None:
    fake, clock = world.fake, ManualClock(MONDAY)
    async with running(world, make_bot(clock=clock)):
        await answer_one_in_dm(world, world.bob, WEAK)
        on = await fake.slash(world.bob, world.general, "remind", "on", {"time": "10:30"})
        await on.wait_original()
        world.bob.accepts_dms = False
        await clock.advance(90 * 60)  # 10:30 UTC
        await asyncio.sleep(0.5)  # the bot tries, fails, and turns the reminders off
        status = await fake.slash(world.bob, world.general, "remind", "status")
        assert "DMs were closed" in (await status.wait_original()).text
        progress = await fake.slash(world.bob, world.general, "progress")
        text = (await progress.wait_original()).text
        assert "Reminders are off" in text and "DMs were closed" in text
        viewer = await fake.slash(
            world.alice, world.general, "progress", options={"member": world.bob}
        )
        assert "DMs were closed" not in (await viewer.wait_original()).text


async def test_streaks_follow_the_members_time_zone_across_midnight(
    world: World, make_bot: BotFactory
) -> None:
    fake = world.fake
    clock = ManualClock(datetime(2026, 1, 5, 11, 30, tzinfo=UTC))  # 00:30 on the 6th, Auckland
    async with running(world, make_bot(clock=clock)):
        zone = await fake.slash(
            world.alice, world.general, "remind", "timezone", {"timezone": "Pacific/Auckland"}
        )
        assert "Pacific/Auckland" in (await zone.wait_original()).content
        await answer_one_in_dm(world, world.alice, GOOD_AUTH_ANSWER)
        await clock.advance(23 * 3600)  # 23:30 on the 6th in Auckland: the same local day
        await answer_one_in_dm(world, world.alice, GOOD_AUTH_ANSWER)
        dm = fake.dm_channel(world.alice)
        progress = await fake.slash(world.alice, dm, "progress")
        assert "streak **1** day (longest **1**)" in (await progress.wait_original()).text
        utc = await fake.slash(world.alice, dm, "remind", "timezone", {"timezone": "UTC"})
        await utc.wait_original()
        progress = await fake.slash(world.alice, dm, "progress")  # two UTC days: the 5th, 6th
        assert "streak **2** days (longest **2**)" in (await progress.wait_original()).text
        await clock.advance(14 * 3600)  # 00:30 UTC on the 7th: alive until the 7th ends
        progress = await fake.slash(world.alice, dm, "progress")
        assert "streak **2** days" in (await progress.wait_original()).text
        await clock.advance(24 * 3600)  # the 8th: the 7th passed without an answer
        progress = await fake.slash(world.alice, dm, "progress")
        assert "streak **0** days (longest **2**)" in (await progress.wait_original()).text
