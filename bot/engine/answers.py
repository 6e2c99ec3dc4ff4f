"""Recording a scored answer: the attempt row and the review schedule it moves.

Solo sessions and study-group rounds both record through here, so progress, review and
leaderboards read every answer alike.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.engine.review import next_review
from questions.model import Question
from questions.scoring import ScoreResult
from storage.models import Attempt, ReviewSchedule
from storage.repositories.reviews import ReviewRepository


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
        user_id=user_id,
        guild_id=guild_id,
        session_id=session_id,
        round_id=round_id,
        question_id=question.id,
        topic=question.topic,
        pack_id=question.pack,
        pack_version=question.pack_version,
        answer=answer,
        score=result.score,
        band=result.band,
        concept_results=[c.to_dict() for c in result.concepts],
        misconceptions=[m.to_dict() for m in result.misconceptions],
        hints_used=hints_used,
        started_at=started_at,
        submitted_at=submitted_at,
        time_taken_ms=max(0, int((submitted_at - started_at).total_seconds() * 1000)),
    )
