"""A bounded load test of the answer write path: 50 submitters answer back to back for a few
seconds through the engine, on SQLite and on PostgreSQL. Every acknowledged answer must be
stored exactly once, and SQLite must never report "database is locked". Speed is `make
bench`'s business; this only checks correctness under a crowd."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter

import pytest
from sqlalchemy import select

from bot.engine.interview import InterviewService
from questions.loader import default_bank
from storage import hotpath
from storage.database import Database
from tests.benchmarks.writepath import QUESTIONS_PER_SESSION, _prepare

SUBMITTERS = 50
SECONDS = 3.0
SESSIONS_EACH = 8  # more than 3 s can use up: every submitter keeps busy to the end
ANSWER = "Use parameterised queries, validate input, and least-privilege database accounts."


async def test_fifty_submitters_every_acknowledged_answer_stored_once(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    service = InterviewService(database, default_bank())
    plan = await _prepare(database, SUBMITTERS, SESSIONS_EACH)
    acknowledged: list[int] = []  # attempt ids handed back to submitters
    stop = time.monotonic() + SECONDS

    async def submitter(user: int, sessions: list[int]) -> None:
        for session_id in sessions:
            for position in range(QUESTIONS_PER_SESSION):
                if time.monotonic() >= stop:
                    return
                feedback = await service.submit(
                    session_id, user, ANSWER, expected_position=position
                )
                acknowledged.append(feedback.attempt_id)

    # Any error (a lock timeout, a lost version race) fails the gather, and so the test.
    await asyncio.wait_for(
        asyncio.gather(*(submitter(user, sessions) for user, *sessions in plan)),
        timeout=SECONDS + 30,
    )
    async with database.engine.connect() as connection:
        rows = (
            await connection.execute(
                select(
                    hotpath.ATTEMPTS.c.id,
                    hotpath.ATTEMPTS.c.session_id,
                    hotpath.ATTEMPTS.c.question_id,
                )
            )
        ).all()
    assert len(acknowledged) >= SUBMITTERS * 2  # the crowd really answered, more than once each
    assert len(acknowledged) < SUBMITTERS * SESSIONS_EACH * QUESTIONS_PER_SESSION  # busy to the end
    assert sorted(acknowledged) == sorted(row.id for row in rows)  # all there, none extra
    per_question = Counter((row.session_id, row.question_id) for row in rows)
    assert max(per_question.values()) == 1  # no answer stored twice
    assert "database is locked" not in caplog.text.lower()
