"""The question of the day end to end: the real bot, the fake Discord, a calendar the test runs."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import discord

from bot.engine.clock import ManualClock
from tests.fake_discord import FakeChannel, FakeDiscord, FakeMessage
from tests.fake_discord.models import FakeUser

from ..conftest import GOOD_AUTH_ANSWER, BotFactory, World, running
from ..interview.test_e2e import button_id
from ..rounds.test_e2e import good_answer

# Europe moves to summer time on Sunday 2026-03-29: 09:00 in Berlin is 08:00 UTC on the
# Saturday and 07:00 UTC on the Sunday.
SATURDAY_EARLY = datetime(2026, 3, 28, 6, 0, tzinfo=UTC)


def is_question(message: FakeMessage) -> bool:
    title = message.embeds[0]["title"] if message.embeds else ""
    return not message.ephemeral and title.startswith("Question of the day ·")


def is_recap(message: FakeMessage) -> bool:
    return bool(message.embeds) and message.embeds[0]["title"].startswith("Recap")


def posts(fake: FakeDiscord, channel: FakeChannel) -> list[FakeMessage]:
    return [m for m in fake.messages_in(channel) if is_question(m)]


async def quiet(clock: ManualClock, seconds: float) -> None:
    """Move the clock, then give the bot time to act if it (wrongly) were due."""
    await clock.advance(seconds)
    await asyncio.sleep(0.3)


async def set_daily(world: World, channel: FakeChannel | None = None, **options: object) -> str:
    values = {
        "channel": channel or world.general,
        "time": "09:00",
        "timezone": "Europe/Berlin",
        **options,
    }
    handle = await world.fake.slash(world.admin, world.general, "daily", "set", values)
    reply = await handle.wait_original()
    assert reply.ephemeral
    return reply.text


async def answer(world: World, user: FakeUser, question: FakeMessage, text: str) -> FakeMessage:
    opener = await world.fake.click(user, question, button_id(question, "Answer"))
    await opener.wait_modal()
    submit = await world.fake.submit_modal_for(opener, {"answer": text})
    return await submit.wait_original()


async def test_posted_at_nine_in_berlin_on_both_sides_of_dst_with_a_private_recap(
    world: World, make_bot: BotFactory
) -> None:
    fake, clock = world.fake, ManualClock(SATURDAY_EARLY)
    async with running(world, make_bot(clock=clock)):
        saved = await set_daily(world)
        assert "09:00 Europe/Berlin" in saved and "<t:1774684800:F>" in saved  # 08:00 UTC
        named = await fake.slash(world.alice, world.general, "daily", "names", {"choice": "on"})
        assert "appears" in (await named.wait_original()).content

        await quiet(clock, 2 * 3600 - 1)  # 08:59:59 in Berlin
        assert posts(fake, world.general) == []
        await clock.advance(1)
        first = await fake.wait_for_message(world.general, is_question)
        assert [b.label for b in first.buttons] == ["Answer"] and not first.pings_anyone
        assert "Saturday 28 March 2026" in first.embeds[0]["title"]

        model = good_answer(first)
        mine = await answer(world, world.alice, first, model)
        assert mine.ephemeral and "Your answer" in mine.text
        assert (await answer(world, world.bob, first, "@everyone no idea")).ephemeral
        await answer(world, world.admin, first, GOOD_AUTH_ANSWER)
        again = await answer(world, world.alice, first, model)
        assert "one answer per day" in again.content and model[:40] in again.text

        # Sunday, summer time: 09:00 in Berlin is 07:00 UTC, 23 hours after the first post.
        await quiet(clock, 23 * 3600 - 1)
        assert len(posts(fake, world.general)) == 1
        await clock.advance(1)
        recap = await fake.wait_for_message(world.general, is_recap)
        second = await fake.wait_for_message(world.general, lambda m: is_question(m) and m != first)
        assert "Sunday 29 March 2026" in second.embeds[0]["title"]
        assert recap.id < second.id and not recap.pings_anyone
        text = recap.text
        assert "**3** answered" in text and "Alice" in text
        # Only the ranking: a model answer may well mention "Bob" (consistency-models does).
        top = next(f["value"] for f in recap.embeds[0]["fields"] if f["name"] == "Top three")
        assert "Alice" in top and "Bob" not in top and "Admin" not in top
        assert top.count("a member") == 2
        assert "Model answer" in text and "Missed most often" in text
        assert first.buttons == []  # answers closed with the recap
        assert first.embeds[0]["description"] != second.embeds[0]["description"]

        progress = await fake.slash(world.alice, world.general, "progress")
        assert "answers to **1** questions" in (await progress.wait_original()).text
        board = await fake.slash(world.bob, world.general, "leaderboard")
        streaks = (await board.wait_original()).text.split("Current streaks")[1]
        assert "Alice — 🔥 **1** day" in streaks and "Bob — 🔥 **1** day" in streaks


async def test_a_restart_across_the_posting_time_posts_once(
    world: World, make_bot: BotFactory
) -> None:
    fake, clock = world.fake, ManualClock(SATURDAY_EARLY)
    async with running(world, make_bot(clock=clock)):
        await set_daily(world)
    await clock.advance(2 * 3600 + 40 * 60)  # down at 09:00, back at 09:40
    async with running(world, make_bot(clock=clock)):
        question = await fake.wait_for_message(world.general, is_question)
        await quiet(clock, 60)
    async with running(world, make_bot(clock=clock)):  # and once more, the same morning
        await quiet(clock, 60)
        assert posts(fake, world.general) == [question]
        reply = await answer(world, world.bob, question, GOOD_AUTH_ANSWER)  # old button works
        assert "Your answer" in reply.text


async def test_a_post_missed_by_more_than_an_hour_waits_for_the_next_day(
    world: World, make_bot: BotFactory
) -> None:
    fake, clock = world.fake, ManualClock(SATURDAY_EARLY)
    async with running(world, make_bot(clock=clock)):
        await set_daily(world)
    await clock.advance(2 * 3600 + 61 * 60)  # back at 10:01
    async with running(world, make_bot(clock=clock)):
        await quiet(clock, 60)
        assert posts(fake, world.general) == []
        status = await fake.slash(world.admin, world.general, "daily", "status")
        assert "<t:1774767600:F>" in (await status.wait_original()).text  # Sunday 07:00 UTC


async def test_a_channel_the_bot_lost_turns_the_schedule_off_and_tells_the_manager(
    world: World, make_bot: BotFactory
) -> None:
    fake, clock = world.fake, ManualClock(SATURDAY_EARLY)
    quiz = fake.create_text_channel(world.guild, "quiz")
    async with running(world, make_bot(clock=clock)):
        await set_daily(world, quiz)
        quiz.permission_overwrites.append(
            fake.overwrite(fake.bot_user, deny=discord.Permissions(send_messages=True))
        )
        await clock.advance(2 * 3600)
        dm = fake.dm_channel(world.admin)
        told = await fake.wait_for_message(dm, lambda m: "turned off" in m.text)
        assert "no longer allowed to post in" in told.text and "/daily set" in told.text
        status = await fake.slash(world.admin, world.general, "daily", "status")
        text = (await status.wait_original()).text
        assert "off" in text and "no longer allowed" in text
        assert posts(fake, quiz) == []


async def test_a_deleted_channel_turns_it_off_too(world: World, make_bot: BotFactory) -> None:
    fake, clock = world.fake, ManualClock(SATURDAY_EARLY)
    quiz = fake.create_text_channel(world.guild, "quiz")
    async with running(world, make_bot(clock=clock)):
        await set_daily(world, quiz)
        del fake.channels[quiz.id], world.guild.channels[quiz.id]
        await clock.advance(2 * 3600)
        told = await fake.wait_for_message(fake.dm_channel(world.admin), lambda m: "off" in m.text)
        assert "was deleted" in told.text


async def test_bad_input_and_who_may_manage(world: World, make_bot: BotFactory) -> None:
    fake, clock = world.fake, ManualClock(SATURDAY_EARLY)
    hidden = fake.create_text_channel(
        world.guild,
        "hidden",
        overwrites=[fake.overwrite(fake.bot_user, deny=discord.Permissions(send_messages=True))],
    )
    async with running(world, make_bot(clock=clock)):
        assert "24-hour HH:MM" in await set_daily(world, time="9am")
        assert "IANA name" in await set_daily(world, timezone="Berlin")
        assert "I need Send Messages" in await set_daily(world, hidden)
        denied = await fake.slash(world.bob, world.general, "daily", "status")
        assert "Manage Server" in (await denied.wait_original()).content
        typing = await fake.autocomplete(
            world.admin,
            world.general,
            "daily",
            "set",
            {"channel": world.general, "time": "09:00", "timezone": "berl"},
            focused="timezone",
        )
        await typing.wait_response()
        assert typing.choices is not None
        assert typing.choices[0] == {"name": "Europe/Berlin", "value": "Europe/Berlin"}
        off = await fake.slash(world.admin, world.general, "daily", "off")
        assert "not on" in (await off.wait_original()).content


async def test_reveal_posts_the_recap_early_and_closes_answers(
    world: World, make_bot: BotFactory
) -> None:
    fake, clock = world.fake, ManualClock(SATURDAY_EARLY)
    async with running(world, make_bot(clock=clock)):
        await set_daily(world)
        await clock.advance(2 * 3600)
        question = await fake.wait_for_message(world.general, is_question)
        await answer(world, world.bob, question, GOOD_AUTH_ANSWER)
        reveal = await fake.slash(world.admin, world.general, "daily", "reveal")
        assert "recap is posted" in (await reveal.wait_original()).content
        recap = await fake.wait_for_message(world.general, is_recap)
        assert "**1** answered" in recap.text
        top = next(f["value"] for f in recap.embeds[0]["fields"] if f["name"] == "Top three")
        assert "Bob" not in top and "a member" in top
        again = await fake.slash(world.admin, world.general, "daily", "reveal")
        assert "no open question" in (await again.wait_original()).content
