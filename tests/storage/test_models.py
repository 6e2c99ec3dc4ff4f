"""Model-level guarantees: aware UTC datetimes and constraints the database enforces."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, StatementError

from storage import Attempt, Database, Guild, ReviewSchedule, User, UserRepository

PLUS_TWO = timezone(timedelta(hours=2))


def _attempt(user_id: int, submitted_at: datetime, **overrides: object) -> Attempt:
    fields: dict[str, object] = {
        "user_id": user_id,
        "question_id": "q",
        "topic": "databases",
        "pack_id": "core",
        "pack_version": "1",
        "answer": "a",
        "score": 50,
        "band": "partial",
        "started_at": submitted_at - timedelta(minutes=2),
        "submitted_at": submitted_at,
    }
    fields.update(overrides)
    return Attempt(**fields)


async def test_datetimes_come_back_aware_utc_and_equal(database: Database) -> None:
    local = datetime(2025, 6, 1, 14, 0, 0, 123456, tzinfo=PLUS_TWO)
    async with database.session() as session, session.begin():
        user = await UserRepository(session).get_or_create_local("tz")
        session.add(_attempt(user.id, local))

    async with database.session() as session:
        attempt = (await session.execute(select(Attempt))).scalar_one()
        user_row = (await session.execute(select(User))).scalar_one()
    assert attempt.submitted_at == local
    assert attempt.submitted_at.tzinfo is UTC
    assert attempt.submitted_at.hour == 12
    assert attempt.started_at.tzinfo is UTC
    assert user_row.created_at.tzinfo is UTC
    assert abs(datetime.now(UTC) - user_row.created_at) < timedelta(minutes=1)


async def test_filtering_by_time_compares_instants_not_text(database: Database) -> None:
    # 13:00+02:00 is 11:00Z: earlier than 12:00Z although its wall-clock hour is later.
    async with database.session() as session, session.begin():
        user = await UserRepository(session).get_or_create_local("order")
        session.add(_attempt(user.id, datetime(2025, 1, 1, 13, tzinfo=PLUS_TWO), question_id="a"))
        session.add(_attempt(user.id, datetime(2025, 1, 1, 12, tzinfo=UTC), question_id="b"))
    async with database.session() as session:
        cutoff = datetime(2025, 1, 1, 11, 30, tzinfo=UTC)
        rows = await session.execute(
            select(Attempt.question_id).where(Attempt.submitted_at > cutoff)
        )
        assert rows.scalars().all() == ["b"]


async def test_naive_datetimes_are_refused(database: Database) -> None:
    async with database.session() as session:
        user = await UserRepository(session).get_or_create_local("naive")
        session.add(_attempt(user.id, datetime(2025, 1, 1, 12)))
        with pytest.raises(StatementError, match="naive datetime"):
            await session.flush()


@pytest.mark.parametrize(
    "identity",
    [{}, {"discord_id": 1234, "local_name": "both"}],
    ids=["neither", "both"],
)
async def test_user_needs_exactly_one_identity(database: Database, identity: dict) -> None:
    async with database.session() as session:
        session.add(User(display_name="x", **identity))
        with pytest.raises(IntegrityError):
            await session.flush()


async def test_foreign_keys_are_enforced(database: Database) -> None:
    async with database.session() as session:
        session.add(_attempt(999_999, datetime.now(UTC)))
        with pytest.raises(IntegrityError):
            await session.flush()


async def test_snowflakes_and_json_round_trip(database: Database) -> None:
    snowflake = 1_234_567_890_123_456_789  # beyond 32 bits, as real Discord ids are
    async with database.session() as session, session.begin():
        session.add(Guild(id=snowflake, name="Big", settings={"leaderboard": {"size": 10}}))
        user = await UserRepository(session).get_or_create_discord(snowflake + 1, "Ana")
        session.add(
            ReviewSchedule(
                user_id=user.id,
                question_id="q",
                interval_days=2.5,
                repetitions=1,
                last_score=70,
                due_at=datetime.now(UTC),
            )
        )
    async with database.session() as session:
        guild = await session.get(Guild, snowflake)
        assert guild is not None
        assert guild.settings == {"leaderboard": {"size": 10}}
        user = await session.get(User, user.id)
        assert user is not None and user.discord_id == snowflake + 1
        review = (await session.execute(select(ReviewSchedule))).scalar_one()
        assert review.interval_days == 2.5
