"""What the question of the day hands its front ends: the schedule, a claimed post, a recap."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from questions.model import Question
from questions.scoring import ScoreResult
from storage.repositories import DailyAnswerRow

BANDS = ("strong", "good", "partial", "weak")
TOP_NAMED = 3
TOP_MISSED = 3


@dataclass(frozen=True)
class ScheduleView:
    guild_id: int
    channel_id: int
    local_time: str
    timezone: str
    topic: str | None
    difficulty: str | None
    enabled: bool
    disabled_reason: str | None
    last_day: date | None
    version: int
    set_by_discord_id: int | None
    next_day: date | None  # the next local day to post, None when off
    next_post_at: datetime | None


@dataclass(frozen=True)
class ClaimedPost:
    """A day this process won the right to post; nobody else will post it."""

    post_id: int
    guild_id: int
    channel_id: int
    day: date
    question: Question


@dataclass(frozen=True)
class DailyFeedback:
    result: ScoreResult
    question: Question
    day: date


@dataclass(frozen=True)
class Podium:
    """One of the top three: a name only if the member opted in."""

    name: str | None
    score: int


@dataclass(frozen=True)
class Recap:
    post_id: int
    channel_id: int
    message_id: int | None
    day: date
    question: Question | None  # None if the question was removed since
    answered: int
    bands: tuple[tuple[str, int], ...]  # every band with its count, strongest first
    most_missed: tuple[tuple[str, int], ...]
    podium: tuple[Podium, ...]


def build_recap(
    post_id: int,
    channel_id: int,
    message_id: int | None,
    day: date,
    question: Question | None,
    answers: Sequence[DailyAnswerRow],
) -> Recap:
    """Counts for everyone, names only for those who chose to be named (answers: best first)."""
    bands = Counter(row.band or "weak" for row in answers)
    missed = Counter(concept for row in answers for concept in row.missed)
    return Recap(
        post_id=post_id,
        channel_id=channel_id,
        message_id=message_id,
        day=day,
        question=question,
        answered=len(answers),
        bands=tuple((band, bands[band]) for band in BANDS),
        most_missed=tuple(sorted(missed.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_MISSED]),
        podium=tuple(
            Podium(row.display_name if row.named else None, row.score)
            for row in answers[:TOP_NAMED]
        ),
    )
