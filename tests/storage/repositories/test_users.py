"""Users on both backends: first contact under concurrency, and erasure."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import (
    AttemptRepository,
    CustomQuestion,
    CustomQuestionRepository,
    Database,
    GuildRepository,
    InterviewSession,
    ReviewRepository,
    SessionRepository,
    UserRepository,
)
from tests.storage.repositories.rows import GUILD, make_attempt, make_review


async def test_local_users_are_created_once(session: AsyncSession) -> None:
    users = UserRepository(session)
    assert await users.find_local("ana") is None
    first = await users.get_or_create_local("ana")
    again = await users.get_or_create_local("ana")
    assert first.id == again.id
    assert first.display_name == "ana" and first.discord_id is None
    assert await users.find_local("ana") is first
    assert await users.get(first.id) is first
    assert await users.get(first.id + 1000) is None
    with pytest.raises(ValueError):
        await users.get_or_create_local("   ")


async def test_discord_users_are_created_once_and_renamed(session: AsyncSession) -> None:
    users = UserRepository(session)
    created = await users.get_or_create_discord(111_222_333_444_555_666, "Old Name")
    renamed = await users.get_or_create_discord(111_222_333_444_555_666, "New Name")
    assert renamed.id == created.id
    assert renamed.display_name == "New Name"
    assert await users.find_discord(111_222_333_444_555_666) is created
    assert await users.find_discord(1) is None
    count = (await session.execute(select(func.count()).select_from(type(created)))).scalar()
    assert count == 1


async def test_concurrent_first_contact_creates_one_user(database: Database) -> None:
    async def create() -> int:
        async with database.session() as s, s.begin():
            return (await UserRepository(s).get_or_create_discord(42, "Racer")).id

    ids = await asyncio.gather(*(create() for _ in range(5)))
    assert len(set(ids)) == 1


async def test_delete_everything_counts_and_cascades(database: Database) -> None:
    async with database.session() as s, s.begin():
        users = UserRepository(s)
        gone = await users.get_or_create_local("gone")
        kept = await users.get_or_create_local("kept")
        await GuildRepository(s).ensure(GUILD, "Guild")
        sessions = SessionRepository(s)
        for who in (gone, gone, kept):
            await sessions.add(InterviewSession(user_id=who.id, mode="practice"))
        attempts = AttemptRepository(s)
        for minute in range(3):
            await attempts.add(make_attempt(gone.id, minute))
        await attempts.add(make_attempt(kept.id, 9))
        reviews = ReviewRepository(s)
        await reviews.upsert(make_review(gone.id, "q1", 1))
        await reviews.upsert(make_review(kept.id, "q1", 1))
        await CustomQuestionRepository(s).add(
            CustomQuestion(guild_id=GUILD, question_id="mine", data={"q": 1}, created_by=gone.id)
        )
        gone_id, kept_id = gone.id, kept.id

    async with database.session() as s, s.begin():
        counts = await UserRepository(s).delete_everything(gone_id)
    assert counts == {
        "attempts": 3,
        "sessions": 2,
        "reviews": 1,
        "custom_questions_unattributed": 1,
        "users": 1,
        "round_answers": 0,
        "round_participations": 0,
        "daily_answers": 0,
        "habits": 0,
        "mock_places": 0,
        "mock_blocks": 0,
        "mock_rounds_unattributed": 0,
    }

    async with database.session() as s:
        assert await UserRepository(s).get(gone_id) is None
        assert await AttemptRepository(s).count_for_user(gone_id) == 0
        assert await AttemptRepository(s).count_for_user(kept_id) == 1
        assert await ReviewRepository(s).next_due(kept_id) is not None
        question = await CustomQuestionRepository(s).get(GUILD, "mine")
        assert question is not None and question.created_by is None
        remaining = (await s.execute(select(InterviewSession.user_id))).scalars().all()
        assert remaining == [kept_id]

    async with database.session() as s, s.begin():
        assert set((await UserRepository(s).delete_everything(gone_id)).values()) == {0}
