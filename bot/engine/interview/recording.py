"""Recording solo answers in batches: the hot path, shaped for the database.

`InterviewService.submit` queues each answer on the process's writer (storage/writer.py);
the writer hands every answer queued meanwhile to `AnswerRecorder.record`, which writes them
in one transaction with one statement per step: read the sessions, read the review
schedules, insert the attempts, upsert the schedules, save the sessions under their version,
commit. Each answer gets its own feedback or its own refusal; none is acknowledged before
the commit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.engine.answers import attempt_values, review_row
from bot.engine.errors import (
    AlreadyAnswered,
    EngineError,
    NotYourSession,
    SessionNotFound,
    SessionOver,
)
from bot.engine.interview.views import Feedback, SessionView
from questions.model import Question
from questions.scoring import ScoreResult, score_answer
from storage import hotpath

ALREADY_ANSWERED = "That question was already answered or skipped."

Resolver = Callable[[str, int | None], Awaitable[Question | None]]


@dataclass(frozen=True)
class SoloAnswer:
    """An accepted answer to the current question of a session, stamped when it arrived."""

    session_id: int
    user_id: int
    text: str
    expected_position: int | None
    now: datetime


@dataclass
class _Planned:
    request: SoloAnswer
    question: Question
    result: ScoreResult
    attempt: dict[str, Any]
    number: int
    after: dict[str, Any]  # the session as this answer leaves it


def session_view(row: dict[str, Any], question: Question | None) -> SessionView:
    """A view of a session row (a plain mapping, as the Core path reads it)."""
    return SessionView(
        session_id=row["id"],
        user_id=row["user_id"],
        guild_id=row["guild_id"],
        mode=row["mode"],
        status=row["status"],
        position=row["position"],
        total=len(row["question_ids"]),
        question=question if row["status"] == "active" else None,
        hints_used=row["hints_used"],
        version=row["version"],
    )


def advance(row: dict[str, Any], now: datetime) -> None:
    """Move a session row on to its next question (or finish it), in place."""
    row["position"] += 1
    row["hints_used"] = 0
    row["question_started_at"] = now
    row["updated_at"] = now
    if row["position"] >= len(row["question_ids"]):
        row["status"] = "finished"
        row["finished_at"] = now


class AnswerRecorder:
    """The batch handler for solo answers; `resolve` finds a question by id and guild."""

    def __init__(self, resolve: Resolver) -> None:
        self.resolve = resolve
        # Swappable so `make bench` can time the write path apart from the scorer.
        self.score: Callable[[Question, str], ScoreResult] = score_answer

    async def record(
        self, connection: AsyncConnection, requests: list[SoloAnswer]
    ) -> Sequence[Feedback | Exception]:
        await hotpath.begin_write(connection)
        sessions = await hotpath.sessions_by_id(connection, (r.session_id for r in requests))
        versions = {sid: row["version"] for sid, row in sessions.items()}
        outcomes: list[_Planned | Exception] = []
        for request in requests:
            try:
                outcomes.append(await self._plan(request, sessions.get(request.session_id)))
            except EngineError as refusal:
                outcomes.append(refusal)
        planned = [o for o in outcomes if isinstance(o, _Planned)]
        if planned:
            await self._write(connection, planned, sessions, versions)
        await connection.commit()
        return [o if isinstance(o, Exception) else await self._feedback(o) for o in outcomes]

    async def _plan(self, request: SoloAnswer, row: dict[str, Any] | None) -> _Planned:
        if row is None:
            raise SessionNotFound("That interview session does not exist.")
        if row["user_id"] != request.user_id:
            raise NotYourSession("This is someone else's interview; start your own.")
        if row["status"] != "active":
            raise SessionOver("This interview session is over. Start a new one to continue.")
        expected = request.expected_position
        if expected is not None and row["position"] != expected:
            raise AlreadyAnswered(ALREADY_ANSWERED)
        question = await self._current(row)
        if question is None:
            raise SessionOver("This interview session has no question left. Start a new one.")
        result = self.score(question, request.text)
        now = request.now
        attempt = attempt_values(
            question,
            result,
            user_id=request.user_id,
            guild_id=row["guild_id"],
            answer=request.text,
            started_at=row["question_started_at"] or now,
            submitted_at=now,
            session_id=row["id"],
            hints_used=row["hints_used"],
        )
        number = row["position"] + 1
        advance(row, now)
        return _Planned(request, question, result, attempt, number, dict(row))

    async def _current(self, row: dict[str, Any]) -> Question | None:
        if row["status"] != "active" or row["position"] >= len(row["question_ids"]):
            return None
        question_id = row["question_ids"][row["position"]]
        question = await self.resolve(question_id, row["guild_id"])
        if question is None:
            raise SessionOver(
                f"Question '{question_id}' is no longer available; stop this session and "
                "start a new one."
            )
        return question

    @staticmethod
    async def _write(
        connection: AsyncConnection,
        planned: list[_Planned],
        sessions: dict[int, dict[str, Any]],
        versions: dict[int, int],
    ) -> None:
        keys = [(p.request.user_id, p.question.id) for p in planned]
        previous = await hotpath.reviews_for(connection, keys)
        reviews = []
        for plan, key in zip(planned, keys, strict=True):
            row = review_row(*key, plan.result.score, plan.request.now, previous.get(key))
            previous[key] = (row["interval_days"], row["repetitions"])  # a second answer chains
            reviews.append(row)
        ids = await hotpath.insert_attempts(connection, [p.attempt for p in planned])
        for plan, attempt_id in zip(planned, ids, strict=True):
            plan.attempt["id"] = attempt_id
        await hotpath.upsert_reviews(connection, reviews)
        touched = {p.request.session_id for p in planned}
        await hotpath.save_sessions(
            connection,
            [
                {
                    "id": sid,
                    "version": versions[sid],
                    **{name: sessions[sid][name] for name in hotpath.SESSION_STATE},
                    "updated_at": sessions[sid]["updated_at"],
                }
                for sid in sorted(touched)
            ],
        )
        # What each answer's view shows: the version as committed.
        for plan in planned:
            plan.after["version"] = versions[plan.request.session_id] + 1

    async def _feedback(self, plan: _Planned) -> Feedback | Exception:
        try:
            following = session_view(plan.after, await self._current(plan.after))
        except EngineError as refusal:
            return refusal
        return Feedback(
            plan.attempt["id"],
            plan.result,
            plan.question,
            plan.number,
            len(plan.after["question_ids"]),
            plan.attempt["time_taken_ms"],
            following,
        )
