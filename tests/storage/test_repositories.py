"""Repository behaviour on both backends: scopes, upserts, concurrency and deletion."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import (
    Attempt,
    AttemptRepository,
    ConflictError,
    CustomQuestion,
    CustomQuestionRepository,
    Database,
    GuildRepository,
    InterviewSession,
    ReviewRepository,
    ReviewSchedule,
    SessionRepository,
    UserRepository,
)

T0 = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)
GUILD = 900_000_000_000_000_001
OTHER_GUILD = 900_000_000_000_000_002


@pytest.fixture
async def session(database: Database) -> AsyncIterator[AsyncSession]:
    async with database.session() as s:
        yield s


def _attempt(
    user_id: int, minutes: int, *, guild_id: int | None = None, **extra: object
) -> Attempt:
    fields: dict[str, object] = {
        "user_id": user_id,
        "guild_id": guild_id,
        "question_id": f"q{minutes}",
        "topic": "networking",
        "pack_id": "core",
        "pack_version": "1.2.0",
        "answer": "because",
        "score": 60,
        "band": "partial",
        "concept_results": [{"concept": "x", "hit": True}],
        "misconceptions": ["y"],
        "started_at": T0 + timedelta(minutes=minutes) - timedelta(seconds=30),
        "submitted_at": T0 + timedelta(minutes=minutes),
        "time_taken_ms": 30_000,
    }
    fields.update(extra)
    return Attempt(**fields)


def _review(user_id: int, question_id: str, due_days: float, **extra: object) -> ReviewSchedule:
    fields: dict[str, object] = {
        "user_id": user_id,
        "question_id": question_id,
        "interval_days": 1.0,
        "repetitions": 1,
        "last_score": 70,
        "due_at": T0 + timedelta(days=due_days),
    }
    fields.update(extra)
    return ReviewSchedule(**fields)


# --- users -------------------------------------------------------------------------------


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
            await attempts.add(_attempt(gone.id, minute))
        await attempts.add(_attempt(kept.id, 9))
        reviews = ReviewRepository(s)
        await reviews.upsert(_review(gone.id, "q1", 1))
        await reviews.upsert(_review(kept.id, "q1", 1))
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


# --- guilds ------------------------------------------------------------------------------


async def test_guild_ensure_get_and_settings(session: AsyncSession) -> None:
    guilds = GuildRepository(session)
    assert await guilds.get(GUILD) is None
    guild = await guilds.ensure(GUILD, "Before")
    assert guild.settings == {}
    assert (await guilds.ensure(GUILD, "After")).name == "After"
    await guilds.update_settings(GUILD, {"channel": 5})
    updated = await guilds.update_settings(GUILD, {"difficulty": "hard"})
    assert updated is not None
    assert updated.settings == {"channel": 5, "difficulty": "hard"}
    assert await guilds.update_settings(OTHER_GUILD, {"x": 1}) is None
    await session.commit()
    session.expunge_all()
    stored = await guilds.get(GUILD)
    assert stored is not None
    assert (stored.name, stored.settings) == ("After", {"channel": 5, "difficulty": "hard"})


# --- interview sessions ------------------------------------------------------------------


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


# --- attempts ----------------------------------------------------------------------------


async def test_attempt_queries_by_scope_time_and_limit(session: AsyncSession) -> None:
    users = UserRepository(session)
    ana = await users.get_or_create_local("ana")
    bob = await users.get_or_create_local("bob")
    await GuildRepository(session).ensure(GUILD, "G")
    await GuildRepository(session).ensure(OTHER_GUILD, "H")
    attempts = AttemptRepository(session)
    # Added out of order to prove the ordering comes from submitted_at.
    for minute, guild in [(3, None), (1, GUILD), (2, None), (4, OTHER_GUILD), (0, GUILD)]:
        await attempts.add(_attempt(ana.id, minute, guild_id=guild))
    await attempts.add(_attempt(bob.id, 5, guild_id=GUILD))

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
    await attempts.add(_attempt(user.id, 2, session_id=first.id, question_id="b"))
    await attempts.add(_attempt(user.id, 1, session_id=first.id, question_id="a"))
    await attempts.add(_attempt(user.id, 3, session_id=second.id, question_id="a"))
    await attempts.add(_attempt(other.id, 4, question_id="z"))
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
    attempt = await AttemptRepository(session).add(_attempt(user.id, 1, session_id=interview.id))
    await session.delete(interview)
    await session.commit()
    session.expunge_all()
    (kept,) = await AttemptRepository(session).for_user(user.id)
    assert kept.id == attempt.id and kept.session_id is None


# --- review schedule ---------------------------------------------------------------------


async def test_review_upsert_due_and_next_due(session: AsyncSession) -> None:
    user = await UserRepository(session).get_or_create_local("reviewer")
    reviews = ReviewRepository(session)
    assert await reviews.next_due(user.id) is None
    assert await reviews.get(user.id, "q1") is None

    await reviews.upsert(_review(user.id, "q1", 3))
    await reviews.upsert(_review(user.id, "q2", 1))
    await reviews.upsert(_review(user.id, "q3", 10))
    updated = await reviews.upsert(_review(user.id, "q1", -1, repetitions=2, interval_days=6.0))
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
    stamped = await reviews.upsert(_review(user.id, "q", 1, updated_at=T0))
    assert stamped.updated_at == T0
    fresh = await reviews.upsert(_review(user.id, "q", 2))
    assert abs(fresh.updated_at - datetime.now(UTC)) < timedelta(minutes=1)


# --- custom questions --------------------------------------------------------------------


async def test_custom_question_lifecycle(session: AsyncSession) -> None:
    author = await UserRepository(session).get_or_create_discord(7, "Author")
    await GuildRepository(session).ensure(GUILD, "G")
    await GuildRepository(session).ensure(OTHER_GUILD, "H")
    questions = CustomQuestionRepository(session)
    for slug in ("beta", "alpha"):
        await questions.add(
            CustomQuestion(guild_id=GUILD, question_id=slug, data={"v": 1}, created_by=author.id)
        )
    await questions.add(CustomQuestion(guild_id=OTHER_GUILD, question_id="alpha", data={}))
    assert [q.question_id for q in await questions.list(GUILD)] == ["alpha", "beta"]

    with pytest.raises(ConflictError):
        await questions.add(CustomQuestion(guild_id=GUILD, question_id="alpha", data={}))

    updated = await questions.update_data(GUILD, "alpha", {"v": 2})
    assert updated is not None and updated.data == {"v": 2}
    assert await questions.update_data(GUILD, "missing", {}) is None

    assert await questions.soft_delete(GUILD, "alpha")
    assert not await questions.soft_delete(GUILD, "alpha")
    assert await questions.get(GUILD, "alpha") is None
    deleted = await questions.get(GUILD, "alpha", include_deleted=True)
    assert deleted is not None and deleted.deleted_at is not None
    assert deleted.deleted_at.tzinfo is UTC
    assert await questions.update_data(GUILD, "alpha", {"v": 3}) is None
    assert [q.question_id for q in await questions.list(GUILD)] == ["beta"]
    assert [q.question_id for q in await questions.list(OTHER_GUILD)] == ["alpha"]

    revived = await questions.add(
        CustomQuestion(guild_id=GUILD, question_id="alpha", data={"v": 4})
    )
    assert revived.id == deleted.id
    assert (revived.data, revived.deleted_at, revived.created_by) == ({"v": 4}, None, None)


async def test_soft_deleting_a_custom_question_keeps_attempts(database: Database) -> None:
    async with database.session() as s, s.begin():
        user = await UserRepository(s).get_or_create_discord(8, "Solver")
        await GuildRepository(s).ensure(GUILD, "G")
        await CustomQuestionRepository(s).add(
            CustomQuestion(guild_id=GUILD, question_id="ours", data={"prompt": "Why?"})
        )
        await AttemptRepository(s).add(
            _attempt(user.id, 1, guild_id=GUILD, question_id="ours", pack_id="guild")
        )
        user_id = user.id

    async with database.session() as s, s.begin():
        assert await CustomQuestionRepository(s).soft_delete(GUILD, "ours")

    async with database.session() as s:
        (attempt,) = await AttemptRepository(s).for_guild(GUILD)
        assert (attempt.user_id, attempt.question_id) == (user_id, "ours")
        original = await CustomQuestionRepository(s).get(GUILD, "ours", include_deleted=True)
        assert original is not None and original.data == {"prompt": "Why?"}
