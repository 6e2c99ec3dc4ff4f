"""Per-guild leaderboards: best average (with enough answers to mean it), most practice,
study-group rounds won, and peer mock interviews given."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.engine.calendar import zone
from bot.engine.clock import utcnow
from bot.engine.errors import EngineError
from bot.engine.streaks import streak_of
from storage.database import Database
from storage.repositories import (
    AttemptRepository,
    GivenTotals,
    HabitsRepository,
    MockSessionRepository,
    RoundRepository,
    RoundTotals,
    UserTotals,
)

PERIODS: dict[str, timedelta | None] = {
    "week": timedelta(days=7),
    "month": timedelta(days=30),
    "all": None,
}
MIN_ANSWERS_FOR_AVERAGE = 3
TOP = 10


@dataclass(frozen=True)
class Leaderboard:
    period: str
    since: datetime | None
    min_answers: int
    by_average: tuple[UserTotals, ...]
    by_answered: tuple[UserTotals, ...]
    participants: int
    # Last and defaulted so boards built without rounds (older callers, tests) still work.
    by_rounds: tuple[RoundTotals, ...] = ()
    by_streak: tuple[StreakRow, ...] = ()
    by_mock_given: tuple[GivenTotals, ...] = ()


@dataclass(frozen=True)
class StreakRow:
    """A member's streak of days answering in this server, by their own calendar."""

    user_id: int
    display_name: str
    current: int
    longest: int


def rank(totals: list[UserTotals], min_answers: int, top: int) -> tuple[list[UserTotals], ...]:
    """Ties break on the other measure, then by name, so the order is stable."""
    by_average = sorted(
        (t for t in totals if t.answered >= min_answers),
        key=lambda t: (-t.average, -t.answered, t.display_name.casefold()),
    )[:top]
    by_answered = sorted(
        totals, key=lambda t: (-t.answered, -t.average, t.display_name.casefold())
    )[:top]
    return by_average, by_answered


def rank_rounds(totals: list[RoundTotals], top: int) -> list[RoundTotals]:
    """Most rounds won first; then more rounds played, then by name, for a stable order."""
    played = [t for t in totals if t.played > 0]
    return sorted(played, key=lambda t: (-t.won, -t.played, t.display_name.casefold()))[:top]


class LeaderboardService:
    def __init__(self, database: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.database = database
        self.clock = clock

    async def leaderboard(self, guild_id: int, period: str = "all") -> Leaderboard:
        if period not in PERIODS:
            raise EngineError(f"The period must be one of: {', '.join(PERIODS)}.")
        window = PERIODS[period]
        since = self.clock() - window if window is not None else None
        async with self.database.session() as session:
            totals = await AttemptRepository(session).guild_totals(guild_id, since)
            round_totals = await RoundRepository(session).guild_stats(guild_id, since)
            streaks = await self._streaks(session, guild_id)
            given = await MockSessionRepository(session).given_totals(guild_id, since)
        by_average, by_answered = rank(totals, MIN_ANSWERS_FOR_AVERAGE, TOP)
        return Leaderboard(
            period=period,
            since=since,
            min_answers=MIN_ANSWERS_FOR_AVERAGE,
            by_average=tuple(by_average),
            by_answered=tuple(by_answered),
            participants=len(totals),
            by_rounds=tuple(rank_rounds(round_totals, TOP)),
            by_streak=tuple(streaks),
            by_mock_given=tuple(
                sorted(given, key=lambda t: (-t.given, t.display_name.casefold()))[:TOP]
            ),
        )

    async def _streaks(self, session: AsyncSession, guild_id: int) -> list[StreakRow]:
        """Current streaks of this server's answers (whatever the period: a streak is now)."""
        attempts = AttemptRepository(session)
        times: dict[int, list[datetime]] = defaultdict(list)
        for user_id, moment in await attempts.answer_times(guild_id=guild_id):
            times[user_id].append(moment)
        names = {t.user_id: t.display_name for t in await attempts.guild_totals(guild_id)}
        zones = await HabitsRepository(session).timezones(times)
        now = self.clock()
        rows = []
        for user_id, moments in times.items():
            streak = streak_of(moments, zone(zones.get(user_id)), now)
            if streak.current:
                name = names.get(user_id, "?")
                rows.append(StreakRow(user_id, name, streak.current, streak.longest))
        rows.sort(key=lambda r: (-r.current, -r.longest, r.display_name.casefold()))
        return rows[:TOP]
