"""After a restart, a sharded process reschedules mock waits and rounds of its own guilds
only; another shard's process runs the rest."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from bot.discord.mock.room import RoomKeeper
from bot.engine.clock import ManualClock
from bot.engine.mock.views import Person, SessionView

MINE, THEIRS = 1_000, 2_000


def session(session_id: int, guild_id: int, now: Any) -> SessionView:
    person = Person(user_id=session_id * 10, discord_id=None, display_name="x")
    return SessionView(
        session_id=session_id,
        guild_id=guild_id,
        channel_id=5,
        thread_id=7,
        voice_channel_id=None,
        invite_message_id=None,
        status="active",
        end_reason=None,
        ended_by=None,
        round=1,
        deadline=now + timedelta(minutes=30),
        first=person,
        second=replace(person, user_id=person.user_id + 1),
        filters={},
        rounds=(),
        created_at=now,
        ended_at=None,
    )


class StoredMocks:
    """What the database holds after a restart, for two guilds on different shards."""

    def __init__(self, now: Any) -> None:
        self.now = now

    async def waiting_everywhere(self) -> list[tuple[int, int, Any, Any]]:
        later = self.now + timedelta(minutes=15)
        return [(MINE, 1, self.now, later), (THEIRS, 2, self.now, later)]

    async def open_sessions(self) -> list[SessionView]:
        return [session(11, MINE, self.now), session(22, THEIRS, self.now)]


async def test_only_the_owned_guilds_get_timers_again() -> None:
    clock = ManualClock()
    bot = SimpleNamespace(clock=clock, owns_guild=lambda guild_id: guild_id == MINE)
    keeper = RoomKeeper(bot, StoredMocks(clock.now))  # type: ignore[arg-type]
    try:
        await keeper.recover()
        keys = set(keeper.timers._tasks)
        assert ("queue", MINE, 1) in keys and ("round", 11) in keys
        assert ("queue", THEIRS, 2) not in keys and ("round", 22) not in keys
    finally:
        await keeper.timers.close()
