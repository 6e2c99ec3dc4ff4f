"""A sharded process picks up, after a restart, only the rounds of the guilds it owns."""

from __future__ import annotations

import asyncio

from bot.discord.rounds.pacing import RoundPacer
from bot.engine.clock import ManualClock
from bot.engine.shards import ShardPlan
from storage.repositories import GuildRepository

from ..conftest import BotFactory

SHARD_0_GUILD = (10 << 22) | 1
SHARD_1_GUILD = (11 << 22) | 1


async def test_recovery_schedules_only_owned_guilds_rounds(make_bot: BotFactory) -> None:
    clock = ManualClock()
    opener = make_bot(clock=clock)
    async with opener.database.session() as session:
        for guild in (SHARD_0_GUILD, SHARD_1_GUILD):
            await GuildRepository(session).ensure(guild, "Study group")
        await session.commit()
    ours = await opener.round_service.create(SHARD_1_GUILD, 1, None)
    theirs = await opener.round_service.create(SHARD_0_GUILD, 2, None)
    await opener.close()

    bot = make_bot(clock=clock, owns_guild=ShardPlan(2, (1,)).owns)
    pacer = RoundPacer(bot)
    try:
        await pacer.recover()
        assert pacer.timers.pending == {("lobby", ours.round_id)}
        assert ("lobby", theirs.round_id) not in pacer.timers.pending
    finally:
        await pacer.close_all()
        await bot.close()


async def test_closing_during_recovery_stops_it_before_the_database_closes(
    make_bot: BotFactory,
) -> None:
    """The bot may close while recovery still reads the database (a quick restart, a test):
    recovery must stop with the bot, not run on against a closed database."""
    bot = make_bot()
    pacer = RoundPacer(bot)
    entered = asyncio.Event()
    finished: list[str] = []

    async def slow_unannounced() -> list[object]:
        entered.set()
        await asyncio.sleep(30)
        finished.append("read")
        return []

    pacer.service.unannounced = slow_unannounced  # type: ignore[method-assign,assignment]
    pacer.start_recovery()
    pacer.start_recovery()  # a reconnect's READY: still one recovery
    await asyncio.wait_for(entered.wait(), 5)
    recovery = pacer._recovery
    assert recovery is not None
    await pacer.close_all()
    assert recovery.cancelled() and finished == []
    await bot.close()
