"""The progress summary: computed from attempts in Python so it reads the same on any database."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from bot.engine.calendar import zone
from bot.engine.streaks import streak_of
from storage.database import Database
from storage.repositories import (
    UNSET,
    AttemptRepository,
    HabitsRepository,
    ReviewRepository,
    Unset,
)

RECENT_LIMIT = 10
TOP_MISSED_LIMIT = 5


@dataclass(frozen=True)
class AttemptRecord:
    """The slice of a stored attempt that progress needs."""

    question_id: str
    topic: str
    score: int
    band: str
    missed_concepts: tuple[str, ...]
    submitted_at: datetime


@dataclass(frozen=True)
class QuestionProgress:
    question_id: str
    topic: str
    attempts: int
    average: float
    best: int
    last: int


@dataclass(frozen=True)
class TopicMastery:
    topic: str
    questions: int
    mastery: float  # mean of each question's latest score in the topic


@dataclass(frozen=True)
class MissedConcept:
    question_id: str
    concept: str
    times: int


@dataclass(frozen=True)
class ProgressSummary:
    answered: int = 0
    distinct_questions: int = 0
    average: float = 0.0
    best: int = 0
    streak_days: int = 0
    questions: tuple[QuestionProgress, ...] = ()
    topics: tuple[TopicMastery, ...] = ()
    most_missed: tuple[MissedConcept, ...] = ()
    recent: tuple[AttemptRecord, ...] = field(default_factory=tuple)
    # Every (submitted_at, score), oldest first: what a chart of scores over time plots.
    history: tuple[tuple[datetime, int], ...] = ()
    due_for_review: int = 0  # questions due now
    next_review_at: datetime | None = None  # when the next not-yet-due one falls due
    longest_streak: int = 0
    # Why the bot turned the member's reminders off itself (closed DMs), if it did.
    reminders_off_reason: str | None = None


def streak_days(days: Iterable[date], today: date) -> int:
    """Consecutive days with an answer, ending today (or yesterday: today is not over yet)."""
    active = set(days)
    day = today if today in active else today - timedelta(days=1)
    streak = 0
    while day in active:
        streak += 1
        day -= timedelta(days=1)
    return streak


def summarize(attempts: Sequence[AttemptRecord], now: datetime) -> ProgressSummary:
    if not attempts:
        return ProgressSummary()
    ordered = sorted(attempts, key=lambda a: a.submitted_at)
    by_question: dict[str, list[AttemptRecord]] = defaultdict(list)
    missed: Counter[tuple[str, str]] = Counter()
    for attempt in ordered:
        by_question[attempt.question_id].append(attempt)
        missed.update((attempt.question_id, concept) for concept in attempt.missed_concepts)
    questions = tuple(
        QuestionProgress(
            question_id=qid,
            topic=rows[-1].topic,
            attempts=len(rows),
            average=sum(r.score for r in rows) / len(rows),
            best=max(r.score for r in rows),
            last=rows[-1].score,
        )
        for qid, rows in sorted(by_question.items())
    )
    latest_by_topic: dict[str, list[int]] = defaultdict(list)
    for progress in questions:
        latest_by_topic[progress.topic].append(progress.last)
    topics = tuple(
        TopicMastery(topic, len(scores), sum(scores) / len(scores))
        for topic, scores in sorted(latest_by_topic.items())
    )
    most_missed = tuple(
        MissedConcept(qid, concept, times)
        for (qid, concept), times in sorted(missed.items(), key=lambda kv: (-kv[1], kv[0]))[
            :TOP_MISSED_LIMIT
        ]
    )
    return ProgressSummary(
        answered=len(ordered),
        distinct_questions=len(by_question),
        average=sum(a.score for a in ordered) / len(ordered),
        best=max(a.score for a in ordered),
        streak_days=streak_days((a.submitted_at.date() for a in ordered), now.date()),
        questions=questions,
        topics=topics,
        most_missed=most_missed,
        recent=tuple(reversed(ordered[-RECENT_LIMIT:])),
        history=tuple((a.submitted_at, a.score) for a in ordered),
    )


async def load_progress(
    database: Database, user_id: int, guild_id: int | Unset | None = UNSET, *, now: datetime
) -> ProgressSummary:
    """Progress in one scope (a guild id, or None for DMs/terminal) or, by default, all."""
    async with database.session() as session:
        attempts = await AttemptRepository(session).for_user(user_id, guild_id=guild_id)
        reviews = await ReviewRepository(session).for_user(user_id)
        habits = await HabitsRepository(session).get(user_id)
    records = [
        AttemptRecord(
            question_id=a.question_id,
            topic=a.topic,
            score=a.score,
            band=a.band,
            missed_concepts=tuple(
                c["name"] for c in a.concept_results or () if not c.get("covered")
            ),
            submitted_at=a.submitted_at,
        )
        for a in attempts
    ]
    upcoming = [row.due_at for row in reviews if row.due_at > now]
    # Streaks count the scope's answers by the member's own days (UTC until they choose).
    streak = streak_of(
        (a.submitted_at for a in attempts), zone(habits.timezone if habits else None), now
    )
    return replace(
        summarize(records, now),
        streak_days=streak.current,
        longest_streak=streak.longest,
        reminders_off_reason=habits.remind_off_reason if habits and not habits.remind else None,
        due_for_review=sum(1 for row in reviews if row.due_at <= now),
        next_review_at=min(upcoming, default=None),
    )
