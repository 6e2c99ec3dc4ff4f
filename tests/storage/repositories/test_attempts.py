"""Attempts on both backends: scopes, time windows and what outlives a session."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from storage import (
    Attempt,
    AttemptRepository,
    GuildRepository,
    InterviewSession,
    SessionRepository,
    UserRepository,
)
from tests.storage.repositories.rows import GUILD, OTHER_GUILD, T0, make_attempt


async def test_attempt_queries_by_scope_time_and_limit(session: AsyncSession) -> None:
    users = UserRepository(session)
    ana = await users.get_or_create_local("ana")
    bob = await users.get_or_create_local("bob")
    await GuildRepository(session).ensure(GUILD, "G")
    await GuildRepository(session).ensure(OTHER_GUILD, "H")
    attempts = AttemptRepository(session)
    # Added out of order to prove the ordering comes from submitted_at.
    for minute, guild in [(3, None), (1, GUILD), (2, None), (4, OTHER_GUILD), (0, GUILD)]:
        await attempts.add(make_attempt(ana.id, minute, guild_id=guild))
    await attempts.add(make_attempt(bob.id, 5, guild_id=GUILD))

    def minutes(rows: list[Attempt]) -> list[int]:
        return [int((a.submitted_at - T0).total_seconds() // 60) for a in rows]

    assert minutes(await attempts.for_user(ana.id)) == [0, 1, 2, 3, 4]
    assert minutes(await attempts.for_user(ana.id, guild_id=None)) == [2, 3]
    assert minutes(await attempts.for_user(ana.id, guild_id=GUILD)) == [0, 1]
    assert minutes(await attempts.for_user(ana.id, since=T0 + timedelta(minutes=2))) == [2, 3, 4]
    assert minutes(await attempts.for_user(ana.id, limit=2)) == [3, 4]
    assert minutes(await attempts.for_user(ana.id, guild_id=GUILD, limit=1)) == [1]
    assert minutes(await attempts.for_guild(GUILD)) == [0, 1, 5]
    assert minutes(await attempts.for_guild(GUILD, since=T0 + timedelta(minutes=1))) == [1, 5]
    assert await attempts.count_for_user(ana.id) == 5
    assert await attempts.count_for_user(bob.id) == 1

    stored = (await attempts.for_user(bob.id))[0]
    assert stored.concept_results == [{"concept": "x", "hit": True}]
    assert stored.misconceptions == ["y"]
    assert (stored.pack_version, stored.time_taken_ms, stored.hints_used) == ("1.2.0", 30_000, 0)


async def test_attempts_by_session_and_seen_question_ids(session: AsyncSession) -> None:
    user = await UserRepository(session).get_or_create_local("seen")
    other = await UserRepository(session).get_or_create_local("other")
    sessions = SessionRepository(session)
    first = await sessions.add(InterviewSession(user_id=user.id, mode="practice"))
    second = await sessions.add(InterviewSession(user_id=user.id, mode="review"))
    attempts = AttemptRepository(session)
    await attempts.add(make_attempt(user.id, 2, session_id=first.id, question_id="b"))
    await attempts.add(make_attempt(user.id, 1, session_id=first.id, question_id="a"))
    await attempts.add(make_attempt(user.id, 3, session_id=second.id, question_id="a"))
    await attempts.add(make_attempt(other.id, 4, question_id="z"))
    assert [a.question_id for a in await attempts.for_session(first.id)] == ["a", "b"]
    assert [a.question_id for a in await attempts.for_session(second.id)] == ["a"]
    assert await attempts.question_ids_for_user(user.id) == {"a", "b"}
    assert await attempts.question_ids_for_user(other.id + 100) == set()
    (stored,) = await attempts.for_session(second.id)
    assert stored.topic == "networking"


async def test_deleting_a_session_keeps_its_attempts(session: AsyncSession) -> None:
    user = await UserRepository(session).get_or_create_local("keeper")
    interview = await SessionRepository(session).add(
        InterviewSession(user_id=user.id, mode="practice")
    )
    attempt = await AttemptRepository(session).add(
        make_attempt(user.id, 1, session_id=interview.id)
    )
    await session.delete(interview)
    await session.commit()
    session.expunge_all()
    (kept,) = await AttemptRepository(session).for_user(user.id)
    assert kept.id == attempt.id and kept.session_id is None
