"""Round answers through the process's writer: a burst of answers is one transaction.

Every participant answers in the same few seconds before a deadline, so answers are queued
on the group-commit writer (storage/writer.py) like solo answers. A batch reads its rounds
(share-locked on PostgreSQL, under SQLite's write lock), their members and the answers
already stored, refuses what it must per answer, upserts the rest in one statement and
commits; only then does each caller get its receipt.

A close changes the round before it reads the answers, and a batch reads the round under
the lock it writes under, so every answer is either seen by the close or refused here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.engine.answers import Answer, accept_answer
from bot.engine.errors import EngineError, NotParticipant, RoundClosed, RoundError
from bot.engine.rounds.closing import RoundCloser
from bot.engine.rounds.rules import NOT_FOUND, NOT_IN_ROUND, refusal
from bot.engine.rounds.views import Receipt
from storage import hotpath
from storage.models import Round
from storage.repositories.rounds import RoundMember


@dataclass(frozen=True)
class RoundAnswer:
    round_id: int
    position: int
    user_id: int
    text: str
    now: datetime


class RoundAnswers(RoundCloser):
    """Taking answers during a round's question."""

    async def submit(
        self, round_id: int, position: int, user_id: int, answer: str | Answer
    ) -> Receipt:
        """Store (or replace) a participant's answer; committed before this returns."""
        text = accept_answer(answer).text
        request = RoundAnswer(round_id, position, user_id, text, self.clock())
        receipt: Receipt = await self.database.writer.submit(self.record_answers, request)
        return receipt

    async def record_answers(
        self, connection: AsyncConnection, requests: list[RoundAnswer]
    ) -> Sequence[Receipt | Exception]:
        """The writer's handler: one transaction for every answer queued meanwhile."""
        await hotpath.begin_write(connection)
        round_ids = {r.round_id for r in requests}
        rounds = {
            rid: Round(**row)
            for rid, row in (await hotpath.rounds_by_id(connection, round_ids)).items()
        }
        members: dict[int, list[RoundMember]] = defaultdict(list)
        for round_id, *member in await hotpath.round_members(connection, round_ids):
            members[round_id].append(RoundMember(*member))
        stored = await hotpath.round_answer_keys(
            connection, {(rid, row.position) for rid, row in rounds.items()}
        )
        outcomes: list[tuple[RoundAnswer, bool] | Exception] = []
        rows = []
        for request in requests:
            try:
                resubmitted = self._check(request, rounds, members, stored)
            except EngineError as refused:
                outcomes.append(refused)
                continue
            stored.add((request.round_id, request.position, request.user_id))
            rows.append(
                {
                    "round_id": request.round_id,
                    "position": request.position,
                    "user_id": request.user_id,
                    "answer": request.text,
                    "submitted_at": request.now,
                }
            )
            outcomes.append((request, resubmitted))
        await hotpath.upsert_round_answers(connection, rows)
        await connection.commit()
        receipts: list[Receipt | Exception] = []
        for outcome in outcomes:
            if isinstance(outcome, Exception):
                receipts.append(outcome)
                continue
            request, resubmitted = outcome
            row = rounds[request.round_id]
            answered = {u for r, p, u in stored if r == row.id and p == row.position}
            view = await self._finish_view(row, members[row.id], answered)
            everyone = {p.user_id for p in view.participants}
            all_answered = (
                view.status == "running"
                and view.position == request.position
                and everyone <= view.answered_user_ids
            )
            receipts.append(Receipt(view, resubmitted, all_answered, request.now))
        return receipts

    @staticmethod
    def _check(
        request: RoundAnswer,
        rounds: dict[int, Round],
        members: dict[int, list[RoundMember]],
        stored: set[tuple[int, int, int]],
    ) -> bool:
        """Refuse the answer, or say whether it replaces one already stored."""
        row = rounds.get(request.round_id)
        if row is None:
            raise RoundError(NOT_FOUND)
        if all(m.user_id != request.user_id for m in members[row.id]):
            raise NotParticipant(NOT_IN_ROUND)
        if refused := refusal(row, request.position, request.now):
            raise RoundClosed(refused)
        return (request.round_id, request.position, request.user_id) in stored
