"""The answer write path under a crowd, beside a raw-driver floor measured in the same run.

Submitters call `InterviewService.submit` as the Discord layer does. Sessions are prepared
beforehand (25 questions each, enough for the run), so only answering is timed. The scorer
costs about 1 ms per 120-word answer on its own, so the write path is timed with answers
scored ahead of the clock ("pre-scored"), and once more with the real scorer.

The floor runs the same statements per answer straight through `sqlite3` / `asyncpg`,
committing each: read the session, insert the attempt, read the schedule, upsert it, the
versioned update, commit.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg
from sqlalchemy import func, select

from bot.engine.interview import InterviewService
from questions.loader import default_bank
from questions.model import Question
from questions.scoring import ScoreResult, score_answer
from storage import hotpath
from storage.database import Database

QUESTIONS_PER_SESSION = 25
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"


@dataclass
class Run:
    answers: int
    seconds: float
    latencies_ms: list[float]
    stored: int  # attempts found in the database afterwards

    @property
    def rate(self) -> float:
        return self.answers / self.seconds

    @property
    def p99(self) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def prescorer(answers: list[str]) -> Callable[[Question, str], ScoreResult]:
    """Every (question, answer) the run can meet, scored before the clock starts."""
    table = {
        (q.id, a): score_answer(q, a) for q in default_bank().questions.values() for a in answers
    }
    return lambda question, text: table[(question.id, text)]


async def _prepare(database: Database, submitters: int, sessions_each: int) -> list[list[int]]:
    bank = default_bank()
    ids = list(bank.questions)
    now = datetime.now(UTC)
    async with database.engine.begin() as connection:
        users = [
            {"local_name": f"bench{i}-{secrets.token_hex(3)}", "display_name": f"b{i}"}
            for i in range(submitters)
        ]
        user_ids = [
            row[0]
            for row in await connection.execute(
                hotpath.USERS.insert().returning(hotpath.USERS.c.id, sort_by_parameter_order=True),
                users,
            )
        ]
        rows = [
            {
                "user_id": user,
                "mode": "practice",
                "status": "active",
                "filters": {},
                "question_ids": [ids[(k + n) % len(ids)] for k in range(QUESTIONS_PER_SESSION)],
                "position": 0,
                "hints_used": 0,
                "version": 0,
                "question_started_at": now,
                "created_at": now,
                "updated_at": now,
            }
            for user in user_ids
            for n in range(sessions_each)
        ]
        session_ids = await hotpath.insert_returning_ids(connection, hotpath.SESSIONS, rows)
    per_user = [session_ids[i * sessions_each : (i + 1) * sessions_each] for i in range(submitters)]
    return [[user, *sessions] for user, sessions in zip(user_ids, per_user, strict=True)]


async def submitters(
    url: str,
    answers: list[str],
    *,
    count: int,
    seconds: float,
    prescored: Callable[[Question, str], ScoreResult] | None,
) -> Run:
    """`count` submitters answer back to back for `seconds`; every answer is then counted."""
    database = Database(url)
    await database.open()
    try:
        service = InterviewService(database, default_bank())
        if prescored is not None:
            service.recorder.score = prescored
        sessions_each = max(2, int(seconds * 3000 / count / QUESTIONS_PER_SESSION) + 2)
        plan = await _prepare(database, count, sessions_each)
        latencies: list[float] = []
        done = 0
        stop = time.perf_counter() + seconds

        async def submitter(user: int, sessions: list[int]) -> None:
            nonlocal done
            for session_id in sessions:
                for position in range(QUESTIONS_PER_SESSION):
                    if time.perf_counter() >= stop:
                        return
                    text = answers[(done + position) % len(answers)]
                    started = time.perf_counter()
                    await service.submit(session_id, user, text, expected_position=position)
                    latencies.append(1000 * (time.perf_counter() - started))
                    done += 1

        begun = time.perf_counter()
        await asyncio.gather(*(submitter(user, sessions) for user, *sessions in plan))
        elapsed = time.perf_counter() - begun
        async with database.engine.connect() as connection:
            statement = select(func.count()).select_from(hotpath.ATTEMPTS)
            stored = int((await connection.execute(statement)).scalar_one())
    finally:
        await database.close()
    return Run(done, elapsed, latencies, stored)


# -- the raw-driver floor ----------------------------------------------------------------------

_ATTEMPT_SQL = (
    "INSERT INTO attempts (user_id, session_id, question_id, topic, pack_id, pack_version, "
    "answer, score, band, concept_results, misconceptions, hints_used, started_at, "
    "submitted_at, time_taken_ms) VALUES ({}) RETURNING id"
)
_REVIEW_SQL = (
    "INSERT INTO review_schedule (user_id, question_id, interval_days, repetitions, "
    "last_score, due_at, updated_at) VALUES ({}) ON CONFLICT (user_id, question_id) DO UPDATE "
    "SET interval_days = excluded.interval_days, repetitions = excluded.repetitions, "
    "last_score = excluded.last_score, due_at = excluded.due_at, updated_at = excluded.updated_at"
)
_SESSION_SQL = (
    "UPDATE interview_sessions SET position = {}, question_started_at = {}, updated_at = {}, "
    "version = version + 1 WHERE id = {} AND version = {}"
)


def _marks(n: int, style: str) -> str:
    return ", ".join("?" if style == "qmark" else f"${i}" for i in range(1, n + 1))


def _attempt_params(user: int, session: int, question: str, answer: str, now: Any) -> list[Any]:
    concepts = json.dumps([{"name": "x", "covered": True, "weight": 1.0}] * 6)
    return [user, session, question, "topic", "pack", "1", answer, 70, "good", concepts, "[]", 0]


def sqlite_floor(path: str, plan: list[list[int]], answers: list[str], seconds: float) -> float:
    """Answers per second through `sqlite3` itself, one transaction per answer."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    attempt = _ATTEMPT_SQL.format(_marks(15, "qmark"))
    review = _REVIEW_SQL.format(_marks(7, "qmark"))
    save = _SESSION_SQL.format(*["?"] * 5)
    done, stop = 0, time.perf_counter() + seconds
    begun = time.perf_counter()
    sessions = [(user, s) for user, *ss in plan for s in ss]
    while time.perf_counter() < stop and sessions:
        user, session = sessions.pop()
        for position in range(QUESTIONS_PER_SESSION):
            now = datetime.now(UTC).isoformat(sep=" ")
            connection.execute("BEGIN IMMEDIATE")
            row = connection.execute(
                "SELECT question_ids, version FROM interview_sessions WHERE id = ?", (session,)
            ).fetchone()
            question = json.loads(row[0])[position]
            params = _attempt_params(user, session, question, answers[done % len(answers)], now)
            connection.execute(attempt, [*params, now, now, 5]).fetchall()
            connection.execute(
                "SELECT interval_days, repetitions FROM review_schedule "
                "WHERE user_id = ? AND question_id = ?",
                (user, question),
            ).fetchone()
            connection.execute(review, (user, question, 2.0, 1, 70, now, now))
            connection.execute(save, (position + 1, now, now, session, row[1]))
            connection.execute("COMMIT")
            done += 1
    connection.close()
    return done / (time.perf_counter() - begun)


async def postgres_floor(
    dsn: str, plan: list[list[int]], answers: list[str], seconds: float, concurrency: int
) -> float:
    """Answers per second through `asyncpg` itself, `concurrency` submitters, 15 connections."""
    pool = await asyncpg.create_pool(dsn, min_size=15, max_size=15)
    attempt = _ATTEMPT_SQL.format(_marks(15, "numeric"))
    review = _REVIEW_SQL.format(_marks(7, "numeric"))
    save = _SESSION_SQL.format("$1", "$2", "$3", "$4", "$5")
    done, stop = 0, time.perf_counter() + seconds

    async def submitter(user: int, sessions: list[int]) -> None:
        nonlocal done
        for session in sessions:
            for position in range(QUESTIONS_PER_SESSION):
                if time.perf_counter() >= stop:
                    return
                now = datetime.now(UTC)
                async with pool.acquire() as connection, connection.transaction():
                    row = await connection.fetchrow(
                        "SELECT question_ids, version FROM interview_sessions WHERE id = $1",
                        session,
                    )
                    question = json.loads(row[0])[position]
                    text = answers[done % len(answers)]
                    params = _attempt_params(user, session, question, text, now)
                    await connection.fetchval(attempt, *params, now, now, 5)
                    await connection.fetchrow(
                        "SELECT interval_days, repetitions FROM review_schedule "
                        "WHERE user_id = $1 AND question_id = $2",
                        user,
                        question,
                    )
                    await connection.execute(review, user, question, 2.0, 1, 70, now, now)
                    await connection.execute(save, position + 1, now, now, session, row[1])
                done += 1

    begun = time.perf_counter()
    try:
        await asyncio.gather(*(submitter(user, sessions) for user, *sessions in plan))
    finally:
        await pool.close()
    return done / (time.perf_counter() - begun)


async def floor_plan(url: str, count: int, seconds: float) -> list[list[int]]:
    """Fresh users and sessions for the floor, prepared through the engine's own schema."""
    database = Database(url)
    await database.open()
    try:
        return await _prepare(database, count, max(2, int(seconds * 16000 / count / 25) + 2))
    finally:
        await database.close()


async def throwaway_postgres() -> tuple[str, Callable[[], Any]] | None:
    """A new database on the local server, and how to drop it; None when none is running."""
    name = f"interview_bot_bench_{secrets.token_hex(4)}"
    try:
        admin = await asyncpg.connect(POSTGRES_ADMIN, timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return None
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()

    async def drop() -> None:
        admin = await asyncpg.connect(POSTGRES_ADMIN, timeout=3)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()

    return f"postgresql://postgres@127.0.0.1:5432/{name}", drop
