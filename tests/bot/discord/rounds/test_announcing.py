"""A reveal or standings owed when the bot died is posted after the restart, exactly once."""

from __future__ import annotations

import asyncio
from typing import Any

import discord
from sqlalchemy import select, update

from bot.engine.clock import ManualClock
from bot.engine.rounds import RoundService
from questions.loader import default_bank
from storage.database import Database
from storage.models import Attempt, Round
from tests.fake_discord import FakeChannel

from ..conftest import BotFactory, World, running
from .test_e2e import (
    good_answer,
    join,
    next_question,
    open_round,
    reveal_of,
    round_channel,
    standings,
    submit,
)


def titled(world: World, channel: FakeChannel, start: str) -> list[Any]:
    return [
        m
        for m in world.fake.messages_in(channel)
        if m.embeds and m.embeds[0]["title"].startswith(start)
    ]


async def the_round(database: Database) -> Round:
    async with database.session() as session:
        return (await session.execute(select(Round))).scalar_one()


async def until_announced(database: Database, revealed: int, standings_posted: bool) -> None:
    """The restart's catch-up is done once the database records it."""
    for _ in range(250):
        row = await the_round(database)
        if (row.revealed, row.standings_posted) == (revealed, standings_posted):
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"round stays at {row.revealed} reveals, standings {row.standings_posted}")


async def a_round_with_one_answer(
    world: World, make_bot: BotFactory, clock: ManualClock, questions: int
) -> FakeChannel:
    async with running(world, make_bot(clock=clock)):
        lobby = await open_round(world, questions=questions)
        await join(world, lobby, world.alice, world.bob)
        await clock.advance(30)
        thread = await round_channel(world)
        question = await next_question(world, thread, 1)
        await submit(world, world.alice, question, good_answer(question))
    return thread


async def close_first_question_while_down(database: Database, clock: ManualClock) -> None:
    """As if the process died right after committing the close, before posting the reveal."""
    row = await the_round(database)
    assert await RoundService(database, default_bank(), clock).close_question(row.id, 0)


async def test_a_question_closed_while_the_bot_was_down_is_revealed_once_on_restart(
    world: World, make_bot: BotFactory, e2e_database: Database
) -> None:
    clock = ManualClock()
    thread = await a_round_with_one_answer(world, make_bot, clock, questions=2)
    await close_first_question_while_down(e2e_database, clock)

    async with running(world, make_bot(clock=clock)):
        reveal = await reveal_of(world, thread, 1)
        assert "Alice" in reveal.text and "Bob — no answer" in reveal.text
        second = await next_question(world, thread, 2)
        assert second.id > reveal.id  # the missed reveal comes before the next question
        assert len(titled(world, thread, "Reveal · question 1")) == 1
        await submit(world, world.alice, second, good_answer(second))
        await submit(world, world.bob, second, good_answer(second))
        await standings(world, thread)
        await until_announced(e2e_database, 2, True)
    assert len(titled(world, thread, "Reveal")) == 2
    async with e2e_database.session() as session:
        assert len((await session.execute(select(Attempt))).scalars().all()) == 3


async def test_the_last_question_closed_while_down_gets_its_reveal_and_standings_once(
    world: World, make_bot: BotFactory, e2e_database: Database
) -> None:
    clock = ManualClock()
    thread = await a_round_with_one_answer(world, make_bot, clock, questions=1)
    await close_first_question_while_down(e2e_database, clock)

    async with running(world, make_bot(clock=clock)):
        reveal = await reveal_of(world, thread, 1)
        final = await standings(world, thread)
        assert final.id > reveal.id and "🏆 **Alice** wins!" in final.text
        await until_announced(e2e_database, 1, True)
    async with running(world, make_bot(clock=clock)):  # a second restart owes nothing
        await until_announced(e2e_database, 1, True)
    assert len(titled(world, thread, "Reveal")) == 1
    assert len(titled(world, thread, "Final standings")) == 1


async def test_an_announcement_posted_but_not_recorded_is_not_posted_again(
    world: World, make_bot: BotFactory, e2e_database: Database
) -> None:
    clock = ManualClock()
    async with running(world, make_bot(clock=clock)):
        lobby = await open_round(world, questions=1)
        await join(world, lobby, world.alice)
        await clock.advance(30)
        thread = await round_channel(world)
        question = await next_question(world, thread, 1)
        await submit(world, world.alice, question, good_answer(question))
        await standings(world, thread)
        await until_announced(e2e_database, 1, True)
    # As if the process died after each post but before recording it.
    async with e2e_database.session() as session:
        await session.execute(update(Round).values(revealed=0, standings_posted=False))
        await session.commit()

    async with running(world, make_bot(clock=clock)):
        await until_announced(e2e_database, 1, True)
    assert len(titled(world, thread, "Reveal")) == 1
    assert len(titled(world, thread, "Final standings")) == 1


async def test_a_closed_question_loses_its_answer_button(
    world: World, make_bot: BotFactory
) -> None:
    clock = ManualClock()
    async with running(world, make_bot(clock=clock)):
        lobby = await open_round(world, questions=2)
        await join(world, lobby, world.alice)
        await clock.advance(30)
        thread = await round_channel(world)
        first = await next_question(world, thread, 1)
        assert [b.label for b in first.buttons] == ["Answer"]
        await submit(world, world.alice, first, good_answer(first))
        await reveal_of(world, thread, 1)
        await world.fake.notifier.wait_until(
            lambda: True if not first.buttons else None, timeout=5, describe=lambda: "buttons"
        )


async def test_a_round_whose_channel_shut_the_bot_out_is_given_up_not_retried_forever(
    world: World, make_bot: BotFactory, e2e_database: Database
) -> None:
    clock = ManualClock()
    thread = await a_round_with_one_answer(world, make_bot, clock, questions=1)
    await close_first_question_while_down(e2e_database, clock)
    denied = discord.Permissions(send_messages=True, send_messages_in_threads=True)
    world.general.permission_overwrites = [world.fake.overwrite(world.fake.bot_user, deny=denied)]

    async with running(world, make_bot(clock=clock)):
        await until_announced(e2e_database, 1, True)
    assert titled(world, thread, "Reveal") == []
