"""Reading rounds: views, standings and a participant's own result, never a write."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.engine.clock import utcnow
from bot.engine.errors import QuestionUnavailable, RoundError
from bot.engine.rounds.rules import NOT_FOUND, questions_asked, rank_members
from bot.engine.rounds.views import Participant, RoundView, Standings
from bot.engine.selection import resolve_question
from questions.model import Question, QuestionBank
from questions.scoring import ScoreResult, score_answer
from storage.database import Database
from storage.models import Round
from storage.repositories.rounds import RoundMember, RoundRepository


class RoundReader:
    """What every round service needs: the database, the bank, a clock and the views."""

    def __init__(
        self,
        database: Database,
        bank: QuestionBank,
        clock: Callable[[], datetime] = utcnow,
        rng: random.Random | None = None,
    ) -> None:
        self.database = database
        self.bank = bank
        self.clock = clock
        self.rng = rng if rng is not None else random.Random()

    async def get(self, round_id: int) -> RoundView:
        async with self.database.session() as session:
            row = await self._load(session, round_id)
            view = await self._view_parts(session, row)
        return await self._finish_view(*view)

    async def active_in_channel(self, channel_id: int) -> RoundView | None:
        """The round in its lobby or running in this channel or in a round's thread."""
        async with self.database.session() as session:
            row = await RoundRepository(session).active_in_channel(channel_id)
            if row is None:
                return None
            view = await self._view_parts(session, row)
        return await self._finish_view(*view)

    async def pending(self) -> list[RoundView]:
        """Rounds in their lobby or running, oldest first: what to reschedule after a restart."""
        async with self.database.session() as session:
            rows = await RoundRepository(session).pending()
            parts = [await self._view_parts(session, row) for row in rows]
        return [await self._finish_view(*part) for part in parts]

    async def standings(self, round_id: int) -> Standings:
        async with self.database.session() as session:
            row = await self._load(session, round_id)
            rounds = RoundRepository(session)
            members = await rounds.participants(round_id)
            scores = await rounds.scores(round_id)
        return Standings(
            round_id=row.id,
            status=row.status,
            rows=tuple(rank_members(members, scores)),
            winner_user_id=row.winner_user_id,
            questions_asked=questions_asked(row),
            total=len(row.question_ids),
        )

    async def result_for(
        self, round_id: int, position: int, user_id: int
    ) -> tuple[Question, ScoreResult] | None:
        """A participant's own scored answer to a closed question; None if they gave none.

        The stored answer is scored again rather than read from the attempt, so this still
        works after the attempt was deleted. Refused while the question is open, so nobody
        can polish an answer against its score before time is up.
        """
        async with self.database.session() as session:
            row = await self._load(session, round_id)
            if not 0 <= position < len(row.question_ids):
                raise RoundError("That question is not part of this round.")
            if row.status == "running" and position == row.position:
                raise RoundError("Scores for this question are shown when time is up.")
            if position >= row.position:
                return None
            answer = await RoundRepository(session).answer_for(round_id, position, user_id)
        if answer is None:
            return None
        question = await self._question(row, position)
        return question, score_answer(question, answer.answer)

    async def _load(
        self, session: AsyncSession, round_id: int, *, share_lock: bool = False
    ) -> Round:
        row = await RoundRepository(session).get(round_id, share_lock=share_lock)
        if row is None:
            raise RoundError(NOT_FOUND)
        return row

    @staticmethod
    async def _save_held(session: AsyncSession, row: Round) -> None:
        """Save a second change in a transaction that already won the version check."""
        if not await RoundRepository(session).save_if_version(row, row.version):
            raise RuntimeError(f"round {row.id} changed while this transaction held it")

    async def _question(self, row: Round, position: int) -> Question:
        question_id = row.question_ids[position]
        question = await resolve_question(self.database, self.bank, question_id, row.guild_id)
        if question is None:
            raise QuestionUnavailable(
                f"Question '{question_id}' is no longer available; stop this round and start "
                "a new one."
            )
        return question

    async def _view_parts(
        self, session: AsyncSession, row: Round
    ) -> tuple[Round, list[RoundMember], set[int]]:
        """What a view needs from the database, read in the caller's session."""
        rounds = RoundRepository(session)
        members = await rounds.participants(row.id)
        answered = (
            await rounds.answered_user_ids(row.id, row.position)
            if row.status == "running"
            else set()
        )
        return row, members, answered

    async def _finish_view(
        self, row: Round, members: list[RoundMember], answered: set[int]
    ) -> RoundView:
        """The view, with the current question resolved outside any open transaction."""
        question = None
        if row.status == "running" and row.position < len(row.question_ids):
            question = await resolve_question(
                self.database, self.bank, row.question_ids[row.position], row.guild_id
            )
        return RoundView(
            round_id=row.id,
            guild_id=row.guild_id,
            channel_id=row.channel_id,
            thread_id=row.thread_id,
            starter_user_id=row.starter_user_id,
            status=row.status,
            position=row.position,
            total=len(row.question_ids),
            question=question,
            seconds=row.seconds,
            lobby_deadline=row.lobby_deadline,
            question_deadline=row.question_deadline if row.status == "running" else None,
            participants=tuple(
                Participant(m.user_id, m.discord_id, m.display_name, m.joined_at) for m in members
            ),
            answered_user_ids=frozenset(answered),
            lobby_message_id=row.lobby_message_id,
            question_message_id=row.question_message_id,
            version=row.version,
            revealed=row.revealed,
            standings_posted=row.standings_posted,
        )
