"""Streaks: consecutive days with at least one answer, in the member's own time zone.

Every kind of answer counts (solo, review, round, question of the day), because all of them
are attempts. Members without a time zone count UTC days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.engine.calendar import local_day


@dataclass(frozen=True)
class Streak:
    current: int = 0  # ending today, or yesterday while today is still open
    longest: int = 0
    answered_today: bool = False

    @property
    def at_risk(self) -> bool:
        """A streak that ends at local midnight unless the member answers today."""
        return self.current > 0 and not self.answered_today


def longest_run(days: Iterable[date]) -> int:
    best = run = 0
    previous: date | None = None
    for day in sorted(set(days)):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        best = max(best, run)
        previous = day
    return best


def streak_of(answered_at: Iterable[datetime], tz: ZoneInfo, now: datetime) -> Streak:
    days = {local_day(moment, tz) for moment in answered_at}
    today = local_day(now, tz)
    day = today if today in days else today - timedelta(days=1)
    current = 0
    while day in days:
        current += 1
        day -= timedelta(days=1)
    return Streak(current=current, longest=longest_run(days), answered_today=today in days)
