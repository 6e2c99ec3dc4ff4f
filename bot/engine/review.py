"""Spaced repetition: when a question comes back, driven by the last score.

The rule, by the band of the latest score:

| band    | score  | next review                                        | repetitions |
|---------|--------|----------------------------------------------------|-------------|
| weak    | 0–34   | in 1 hour                                          | reset to 0  |
| partial | 35–59  | in 1 day                                           | reset to 0  |
| good    | 60–79  | previous interval x 1.5, at least 2 days           | +1          |
| strong  | 80–100 | previous interval x 2.5, at least 4 days           | +1          |

Intervals never exceed 60 days, so even mastered questions come back eventually.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

MIN_INTERVAL_DAYS = 1 / 24
MAX_INTERVAL_DAYS = 60.0
WEAK_INTERVAL_DAYS = 1 / 24
PARTIAL_INTERVAL_DAYS = 1.0
GOOD_MIN_DAYS, GOOD_FACTOR = 2.0, 1.5
STRONG_MIN_DAYS, STRONG_FACTOR = 4.0, 2.5


@dataclass(frozen=True)
class ReviewPlan:
    interval_days: float
    repetitions: int
    due_at: datetime


def next_review(
    score: int, now: datetime, previous_interval_days: float = 0.0, repetitions: int = 0
) -> ReviewPlan:
    """Schedule the next review of a question after an answer scored `score` at `now`."""
    if not 0 <= score <= 100:
        raise ValueError(f"score must be between 0 and 100, not {score}")
    previous = max(0.0, previous_interval_days)
    if score < 35:
        interval, reps = WEAK_INTERVAL_DAYS, 0
    elif score < 60:
        interval, reps = PARTIAL_INTERVAL_DAYS, 0
    elif score < 80:
        interval, reps = max(GOOD_MIN_DAYS, previous * GOOD_FACTOR), repetitions + 1
    else:
        interval, reps = max(STRONG_MIN_DAYS, previous * STRONG_FACTOR), repetitions + 1
    interval = min(MAX_INTERVAL_DAYS, max(MIN_INTERVAL_DAYS, interval))
    return ReviewPlan(interval, reps, now + timedelta(days=interval))
