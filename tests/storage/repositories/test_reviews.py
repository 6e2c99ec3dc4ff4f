"""Review schedules on both backends: upserts and what is due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import (
    ReviewRepository,
    ReviewSchedule,
    UserRepository,
)
from tests.storage.repositories.rows import T0, make_review


async def test_review_upsert_due_and_next_due(session: AsyncSession) -> None:
    user = await UserRepository(session).get_or_create_local("reviewer")
    reviews = ReviewRepository(session)
    assert await reviews.next_due(user.id) is None
    assert await reviews.get(user.id, "q1") is None

    await reviews.upsert(make_review(user.id, "q1", 3))
    await reviews.upsert(make_review(user.id, "q2", 1))
    await reviews.upsert(make_review(user.id, "q3", 10))
    updated = await reviews.upsert(make_review(user.id, "q1", -1, repetitions=2, interval_days=6.0))
    assert (updated.repetitions, updated.interval_days) == (2, 6.0)
    assert await reviews.get(user.id, "q1") is updated

    now = T0 + timedelta(days=2)
    assert [r.question_id for r in await reviews.due(user.id, now)] == ["q1", "q2"]
    assert [r.question_id for r in await reviews.due(user.id, now, limit=1)] == ["q1"]
    assert [r.question_id for r in await reviews.due(user.id, T0 - timedelta(days=5))] == []
    next_row = await reviews.next_due(user.id)
    assert next_row is not None and next_row.question_id == "q1"
    assert next_row.due_at == T0 - timedelta(days=1)
    count = (await session.execute(select(func.count()).select_from(ReviewSchedule))).scalar()
    assert count == 3
    assert [r.question_id for r in await reviews.for_user(user.id)] == ["q1", "q2", "q3"]
    assert await reviews.for_user(user.id + 1) == []


async def test_review_upsert_keeps_a_caller_supplied_updated_at(session: AsyncSession) -> None:
    user = await UserRepository(session).get_or_create_local("clocked")
    reviews = ReviewRepository(session)
    stamped = await reviews.upsert(make_review(user.id, "q", 1, updated_at=T0))
    assert stamped.updated_at == T0
    fresh = await reviews.upsert(make_review(user.id, "q", 2))
    assert abs(fresh.updated_at - datetime.now(UTC)) < timedelta(minutes=1)
