"""An answer's way in: the one gate it passes, then the attempt and review schedule it records.

Every front end and service sends answers through `accept_answer`, so an answer is accepted
or refused in one place with one error, `InvalidAnswer`. Solo sessions and study-group rounds
record through here too, so progress, review and leaderboards read every answer alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.engine.errors import InvalidAnswer
from bot.engine.review import next_review
from questions.model import Question
from questions.scoring import MAX_ANSWER_CHARS, AnswerRejected, ScoreResult, check_answer
from storage.models import Attempt, ReviewSchedule
from storage.repositories.reviews import ReviewRepository

__all__ = [
    "MAX_ANSWER_CHARS",
    "Answer",
    "ScoreResult",
    "accept_answer",
    "attempt_values",
    "review_row",
    "schedule_review",
    "scored_attempt",
]

# Control characters other than tab and line breaks: terminal escapes, NULs, stray bytes.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Answer:
    """An answer that passed the gate: stripped, not empty, within the limit, printable.

    Only `accept_answer` makes one; a service given an `Answer` does not check it again.
    """

    text: str


def accept_answer(answer: str | Answer) -> Answer:
    """Accept an answer, or refuse it with `InvalidAnswer` in words fit to show the candidate."""
    if isinstance(answer, Answer):
        return answer
    try:
        text = check_answer(answer)
    except AnswerRejected as error:
        raise InvalidAnswer(str(error)) from None
    if _CONTROL.search(text):
        raise InvalidAnswer(
            "The answer contains control characters; remove them and send it again."
        )
    return Answer(text)


async def schedule_review(
    session: AsyncSession, user_id: int, question_id: str, score: int, now: datetime
) -> None:
    """Move the user's spaced-repetition schedule for a question on after a scored answer.

    Runs in the caller's transaction, so the schedule changes exactly when the attempt is
    stored.
    """
    reviews = ReviewRepository(session)
    previous = await reviews.get(user_id, question_id)
    plan = next_review(
        score,
        now,
        previous.interval_days if previous else 0.0,
        previous.repetitions if previous else 0,
    )
    await reviews.upsert(
        ReviewSchedule(
            user_id=user_id,
            question_id=question_id,
            interval_days=plan.interval_days,
            repetitions=plan.repetitions,
            last_score=score,
            due_at=plan.due_at,
            updated_at=now,
        )
    )


def scored_attempt(
    question: Question,
    result: ScoreResult,
    *,
    user_id: int,
    guild_id: int | None,
    answer: str,
    started_at: datetime,
    submitted_at: datetime,
    session_id: int | None = None,
    round_id: int | None = None,
    hints_used: int = 0,
) -> Attempt:
    """One stored answer, the same for solo sessions and rounds."""
    return Attempt(
        **attempt_values(
            question,
            result,
            user_id=user_id,
            guild_id=guild_id,
            answer=answer,
            started_at=started_at,
            submitted_at=submitted_at,
            session_id=session_id,
            round_id=round_id,
            hints_used=hints_used,
        )
    )


def attempt_values(
    question: Question,
    result: ScoreResult,
    *,
    user_id: int,
    guild_id: int | None,
    answer: str,
    started_at: datetime,
    submitted_at: datetime,
    session_id: int | None = None,
    round_id: int | None = None,
    hints_used: int = 0,
) -> dict[str, Any]:
    """The attempt's columns as a plain row, for the batched (Core) write path."""
    return {
        "user_id": user_id,
        "guild_id": guild_id,
        "session_id": session_id,
        "round_id": round_id,
        "question_id": question.id,
        "topic": question.topic,
        "pack_id": question.pack,
        "pack_version": question.pack_version,
        "answer": answer,
        "score": result.score,
        "band": result.band,
        "concept_results": [c.to_dict() for c in result.concepts],
        "misconceptions": [m.to_dict() for m in result.misconceptions],
        "hints_used": hints_used,
        "started_at": started_at,
        "submitted_at": submitted_at,
        "time_taken_ms": max(0, int((submitted_at - started_at).total_seconds() * 1000)),
    }


def review_row(
    user_id: int,
    question_id: str,
    score: int,
    now: datetime,
    previous: tuple[float, int] | None,
) -> dict[str, Any]:
    """The schedule after a scored answer, as a plain row; `previous` is (interval, reps)."""
    interval, repetitions = previous if previous is not None else (0.0, 0)
    plan = next_review(score, now, interval, repetitions)
    return {
        "user_id": user_id,
        "question_id": question_id,
        "interval_days": plan.interval_days,
        "repetitions": plan.repetitions,
        "last_score": score,
        "due_at": plan.due_at,
        "updated_at": now,
    }
