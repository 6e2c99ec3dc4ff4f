"""Per-guild leaderboards: best average (with enough answers to mean it), most practice,
study-group rounds won, and peer mock interviews given."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.engine.clock import utcnow
from bot.engine.errors import EngineError
from storage.database import Database
from storage.repositories import (
    AttemptRepository,
    GivenTotals,
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
    by_mock_given: tuple[GivenTotals, ...] = ()


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
            by_mock_given=tuple(
                sorted(given, key=lambda t: (-t.given, t.display_name.casefold()))[:TOP]
            ),
        )
