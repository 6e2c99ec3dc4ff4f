"""Interview sessions on both backends: scopes and the version check."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from storage import (
    Database,
    GuildRepository,
    InterviewSession,
    SessionRepository,
    UserRepository,
)
from tests.storage.repositories.rows import GUILD, OTHER_GUILD, T0


async def test_active_for_respects_scope_and_recency(session: AsyncSession) -> None:
    user = await UserRepository(session).get_or_create_local("scoped")
    await GuildRepository(session).ensure(GUILD, "G")
    sessions = SessionRepository(session)
    assert await sessions.active_for(user.id, None) is None
    older = await sessions.add(
        InterviewSession(user_id=user.id, mode="practice", created_at=T0, question_ids=["a"])
    )
    newer = await sessions.add(
        InterviewSession(user_id=user.id, mode="review", created_at=T0 + timedelta(hours=1))
    )
    finished = await sessions.add(
        InterviewSession(
            user_id=user.id, mode="practice", status="finished", created_at=T0 + timedelta(days=1)
        )
    )
    in_guild = await sessions.add(
        InterviewSession(user_id=user.id, guild_id=GUILD, mode="practice", channel_id=77)
    )
    assert await sessions.active_for(user.id, None) is newer
    assert await sessions.active_for(user.id, GUILD) is in_guild
    assert await sessions.active_for(user.id, OTHER_GUILD) is None
    assert await sessions.get(finished.id) is finished
    assert (older.position, older.hints_used, older.version, older.filters) == (0, 0, 0, {})


async def test_save_if_version_refuses_a_stale_writer(database: Database) -> None:
    async with database.session() as s, s.begin():
        user = await UserRepository(s).get_or_create_local("clicker")
        created = await SessionRepository(s).add(
            InterviewSession(user_id=user.id, mode="practice", question_ids=["a", "b", "c"])
        )
        session_id = created.id

    async with database.session() as first_s, database.session() as second_s:
        first = await SessionRepository(first_s).get(session_id)
        second = await SessionRepository(second_s).get(session_id)
        assert first is not None and second is not None

        first.position = 1
        first.question_ids.append("d")  # in-place edits are written too
        assert await SessionRepository(first_s).save_if_version(first, 0)
        assert first.version == 1
        await first_s.commit()

        second.position = 5
        second.status = "stopped"
        assert not await SessionRepository(second_s).save_if_version(second, 0)
        # The loser sees the winner's state, and its own edits cannot leak into a commit.
        assert (second.position, second.status, second.version) == (1, "active", 1)
        await second_s.commit()

        assert await SessionRepository(second_s).save_if_version(second, 1)
        await second_s.commit()

    async with database.session() as s:
        stored = await SessionRepository(s).get(session_id)
        assert stored is not None
        assert (stored.position, stored.version) == (1, 2)
        assert stored.question_ids == ["a", "b", "c", "d"]
        assert stored.updated_at.tzinfo is UTC


async def test_save_if_version_scores_once_under_concurrency(database: Database) -> None:
    async with database.session() as s, s.begin():
        user = await UserRepository(s).get_or_create_local("double")
        session_id = (
            await SessionRepository(s).add(InterviewSession(user_id=user.id, mode="practice"))
        ).id

    async def click() -> bool:
        async with database.session() as s, s.begin():
            current = await SessionRepository(s).get(session_id)
            assert current is not None
            current.position += 1
            return await SessionRepository(s).save_if_version(current, current.version)

    results = await asyncio.gather(*(click() for _ in range(4)))
    async with database.session() as s:
        stored = await SessionRepository(s).get(session_id)
        assert stored is not None
        # Every successful click advanced the position exactly once; no write was lost.
        assert stored.position == stored.version == results.count(True) >= 1


async def test_save_if_version_stamps_updated_at(session: AsyncSession) -> None:
    user = await UserRepository(session).get_or_create_local("stamp")
    sessions = SessionRepository(session)
    row = await sessions.add(InterviewSession(user_id=user.id, mode="practice", updated_at=T0))
    row.position = 1
    assert await sessions.save_if_version(row, 0)
    assert abs(row.updated_at - datetime.now(UTC)) < timedelta(minutes=1)
    later = T0 + timedelta(days=3)
    row.position, row.updated_at = 2, later
    assert await sessions.save_if_version(row, 1)
    session.expunge_all()
    stored = await sessions.get(row.id)
    assert stored is not None and (stored.position, stored.updated_at) == (2, later)


async def test_save_if_version_needs_a_stored_session(session: AsyncSession) -> None:
    with pytest.raises(ValueError):
        await SessionRepository(session).save_if_version(
            InterviewSession(user_id=1, mode="practice"), 0
        )
