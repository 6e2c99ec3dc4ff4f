"""Review schedules: when each question comes back for each user."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import delete, select

from storage.models import ReviewSchedule, utcnow
from storage.repositories.base import Repository, insert, rowcount


class ReviewRepository(Repository):
    async def get(self, user_id: int, question_id: str) -> ReviewSchedule | None:
        return await self.session.get(ReviewSchedule, (user_id, question_id))

    async def upsert(self, row: ReviewSchedule) -> ReviewSchedule:
        """Insert or overwrite the schedule for (row.user_id, row.question_id).

        `row` is only read, never added; the stored instance is returned. ON CONFLICT keeps
        two concurrent reviews of the same question from failing on the primary key.
        `row.updated_at` is kept if set (callers with an injected clock), else now.
        """
        values: dict[str, Any] = {
            "interval_days": row.interval_days,
            "repetitions": row.repetitions,
            "last_score": row.last_score,
            "due_at": row.due_at,
            "updated_at": row.updated_at or utcnow(),
        }
        await self.session.execute(
            insert(self.session, ReviewSchedule)
            .values(user_id=row.user_id, question_id=row.question_id, **values)
            .on_conflict_do_update(
                index_elements=[ReviewSchedule.user_id, ReviewSchedule.question_id],
                set_=values,
            )
        )
        stored = await self.session.get(
            ReviewSchedule, (row.user_id, row.question_id), populate_existing=True
        )
        return cast(ReviewSchedule, stored)

    async def delete_for_user(self, user_id: int) -> int:
        statement = delete(ReviewSchedule).where(ReviewSchedule.user_id == user_id)
        return await rowcount(self.session, statement)

    async def due(
        self, user_id: int, now: datetime, limit: int | None = None
    ) -> list[ReviewSchedule]:
        """Questions whose review is due at `now`, most overdue first."""
        statement = (
            select(ReviewSchedule)
            .where(ReviewSchedule.user_id == user_id, ReviewSchedule.due_at <= now)
            .order_by(ReviewSchedule.due_at, ReviewSchedule.question_id)
        )
        if limit is not None:
            statement = statement.limit(limit)
        return await self._all(statement)

    async def for_user(self, user_id: int) -> list[ReviewSchedule]:
        """The user's whole schedule, soonest first (selection weighs due and not-yet-due)."""
        return await self._all(
            select(ReviewSchedule)
            .where(ReviewSchedule.user_id == user_id)
            .order_by(ReviewSchedule.due_at, ReviewSchedule.question_id)
        )

    async def next_due(self, user_id: int) -> ReviewSchedule | None:
        """The earliest scheduled review, due or not (for "next review in 3 days")."""
        return await self._first(
            select(ReviewSchedule)
            .where(ReviewSchedule.user_id == user_id)
            .order_by(ReviewSchedule.due_at, ReviewSchedule.question_id)
        )
