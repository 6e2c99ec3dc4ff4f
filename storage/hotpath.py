"""Set-based Core statements for the answer path: one statement per step for a whole batch.

The ORM stays where it reads well (authoring, admin, settings); answers arrive in crowds, so
their writes skip the unit of work: rows go in as plain dicts, one multi-row statement each.
Every function runs on the caller's connection, inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import CursorResult, Table, bindparam, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.models import (
    Attempt,
    InterviewSession,
    ReviewSchedule,
    Round,
    RoundAnswer,
    RoundParticipant,
    User,
)

SESSIONS = cast(Table, InterviewSession.__table__)
ATTEMPTS = cast(Table, Attempt.__table__)
REVIEWS = cast(Table, ReviewSchedule.__table__)
ROUNDS = cast(Table, Round.__table__)
ROUND_ANSWERS = cast(Table, RoundAnswer.__table__)
PARTICIPANTS = cast(Table, RoundParticipant.__table__)
USERS = cast(Table, User.__table__)

SESSION_STATE = ("position", "hints_used", "question_started_at", "status", "finished_at")
_REVIEW_VALUES = ("interval_days", "repetitions", "last_score", "due_at", "updated_at")


async def begin_write(connection: AsyncConnection) -> None:
    """Open the batch's transaction; on SQLite take the write lock now, not half-way.

    A deferred SQLite transaction that reads and then writes can fail at once with
    "database is locked" when another connection wrote in between; IMMEDIATE waits for the
    lock up front (busy_timeout) instead.
    """
    if connection.dialect.name == "sqlite":
        await connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif not connection.in_transaction():
        await connection.begin()


def _insert(connection: AsyncConnection, table: Table) -> Any:
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


async def sessions_by_id(
    connection: AsyncConnection, ids: Iterable[int]
) -> dict[int, dict[str, Any]]:
    """The sessions, locked for this transaction on PostgreSQL (SQLite's lock is whole-file)."""
    statement = select(SESSIONS).where(SESSIONS.c.id.in_(sorted(set(ids)))).order_by(SESSIONS.c.id)
    if connection.dialect.name == "postgresql":
        statement = statement.with_for_update()
    rows = (await connection.execute(statement)).mappings().all()
    return {row["id"]: dict(row) for row in rows}


async def reviews_for(
    connection: AsyncConnection, keys: Iterable[tuple[int, str]]
) -> dict[tuple[int, str], tuple[float, int]]:
    """(interval_days, repetitions) of the existing schedules among (user_id, question_id)."""
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    statement = select(
        REVIEWS.c.user_id, REVIEWS.c.question_id, REVIEWS.c.interval_days, REVIEWS.c.repetitions
    ).where(tuple_(REVIEWS.c.user_id, REVIEWS.c.question_id).in_(wanted))
    rows = (await connection.execute(statement)).all()
    return {(row[0], row[1]): (float(row[2]), int(row[3])) for row in rows}


async def insert_attempts(connection: AsyncConnection, rows: Sequence[dict[str, Any]]) -> list[int]:
    """One multi-row INSERT of attempts; the new ids come back in the order of `rows`."""
    return await insert_returning_ids(connection, ATTEMPTS, rows)


async def insert_returning_ids(
    connection: AsyncConnection, table: Table, rows: Sequence[dict[str, Any]]
) -> list[int]:
    """One multi-row INSERT into `table`; the new ids come back in the order of `rows`."""
    if not rows:
        return []
    statement = table.insert().returning(table.c.id, sort_by_parameter_order=True)
    result = await connection.execute(statement, list(rows))
    return [row[0] for row in result.all()]


async def upsert_reviews(connection: AsyncConnection, rows: Sequence[dict[str, Any]]) -> None:
    """Insert or overwrite schedules; one row per (user, question), the last one winning."""
    latest = {(row["user_id"], row["question_id"]): row for row in rows}
    if not latest:
        return
    insert = _insert(connection, REVIEWS)
    statement = insert.on_conflict_do_update(
        index_elements=[REVIEWS.c.user_id, REVIEWS.c.question_id],
        set_={name: insert.excluded[name] for name in _REVIEW_VALUES},
    )
    await connection.execute(statement, list(latest.values()))


async def save_sessions(connection: AsyncConnection, rows: Sequence[dict[str, Any]]) -> None:
    """Versioned UPDATE of every session in one executemany: `version` must still be `b_version`.

    The rows were read under this transaction's lock, so a mismatch means a bug, not a race:
    it raises, and the writer replays the batch item by item.
    """
    if not rows:
        return
    values: dict[str, Any] = {
        name: bindparam(f"b_{name}") for name in (*SESSION_STATE, "updated_at")
    }
    statement = (
        update(SESSIONS)
        .where(SESSIONS.c.id == bindparam("b_id"), SESSIONS.c.version == bindparam("b_version"))
        .values(**values, version=SESSIONS.c.version + 1)
    )
    params = [{f"b_{key}": value for key, value in row.items()} for row in rows]
    result = cast(CursorResult[Any], await connection.execute(statement, params))
    if connection.dialect.name == "sqlite" and result.rowcount != len(rows):
        raise RuntimeError(f"{len(rows) - result.rowcount} session(s) changed under their lock")


# -- rounds -------------------------------------------------------------------------------------


async def rounds_by_id(
    connection: AsyncConnection, ids: Iterable[int]
) -> dict[int, dict[str, Any]]:
    """The rounds, share-locked on PostgreSQL so a close waits for this transaction."""
    statement = select(ROUNDS).where(ROUNDS.c.id.in_(sorted(set(ids)))).order_by(ROUNDS.c.id)
    if connection.dialect.name == "postgresql":
        statement = statement.with_for_update(read=True)
    rows = (await connection.execute(statement)).mappings().all()
    return {row["id"]: dict(row) for row in rows}


async def round_members(connection: AsyncConnection, round_ids: Iterable[int]) -> list[Any]:
    """(round_id, user_id, discord_id, display_name, joined_at), in joining order."""
    statement = (
        select(
            PARTICIPANTS.c.round_id,
            USERS.c.id,
            USERS.c.discord_id,
            USERS.c.display_name,
            PARTICIPANTS.c.joined_at,
        )
        .join(USERS, USERS.c.id == PARTICIPANTS.c.user_id)
        .where(PARTICIPANTS.c.round_id.in_(sorted(set(round_ids))))
        .order_by(PARTICIPANTS.c.round_id, PARTICIPANTS.c.joined_at, USERS.c.id)
    )
    return list((await connection.execute(statement)).all())


async def round_answer_keys(
    connection: AsyncConnection, questions: Iterable[tuple[int, int]]
) -> set[tuple[int, int, int]]:
    """(round_id, position, user_id) of every stored answer to the given (round, position)s."""
    wanted = sorted(set(questions))
    if not wanted:
        return set()
    statement = select(
        ROUND_ANSWERS.c.round_id, ROUND_ANSWERS.c.position, ROUND_ANSWERS.c.user_id
    ).where(tuple_(ROUND_ANSWERS.c.round_id, ROUND_ANSWERS.c.position).in_(wanted))
    return {(row[0], row[1], row[2]) for row in (await connection.execute(statement)).all()}


async def upsert_round_answers(connection: AsyncConnection, rows: Sequence[dict[str, Any]]) -> None:
    """Store or replace answers; the unique key keeps one per participant and question."""
    latest = {(row["round_id"], row["position"], row["user_id"]): row for row in rows}
    if not latest:
        return
    insert = _insert(connection, ROUND_ANSWERS)
    statement = insert.on_conflict_do_update(
        index_elements=[
            ROUND_ANSWERS.c.round_id,
            ROUND_ANSWERS.c.position,
            ROUND_ANSWERS.c.user_id,
        ],
        set_={"answer": insert.excluded.answer, "submitted_at": insert.excluded.submitted_at},
    )
    await connection.execute(statement, list(latest.values()))


async def link_attempts(connection: AsyncConnection, links: Sequence[tuple[int, int]]) -> None:
    """Point each scored round answer at its attempt: (answer_id, attempt_id) pairs."""
    if not links:
        return
    statement = (
        update(ROUND_ANSWERS)
        .where(ROUND_ANSWERS.c.id == bindparam("b_id"))
        .values(attempt_id=bindparam("b_attempt"))
    )
    await connection.execute(statement, [{"b_id": a, "b_attempt": t} for a, t in links])
