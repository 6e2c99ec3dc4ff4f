"""What both halves of the mock-interview service share: loading a session as a view,
choosing questions, and ending a session."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot.engine.clock import Clock, SystemClock
from bot.engine.errors import MockError
from bot.engine.mock.rules import ROUND_LIMIT, Filters
from bot.engine.mock.views import Person, Rating, RoundState, SessionView
from bot.engine.selection import question_candidates, resolve_question
from questions.model import Question, QuestionBank
from storage.database import Database
from storage.mock_models import MockRound, MockSession
from storage.repositories import MockQueueRepository, MockSessionRepository, UserRepository

if TYPE_CHECKING:
    from bot.engine.guild_settings import SettingsService

GONE = "This mock interview is over."
MISSING_QUESTION = "(this question is no longer available)"


class MockBase:
    def __init__(
        self,
        database: Database,
        bank: QuestionBank,
        settings: SettingsService,
        clock: Clock | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.database = database
        self.bank = bank
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self.rng = rng or random.Random()

    async def wait_limit(self, guild_id: int) -> timedelta:
        return timedelta(minutes=(await self.settings.get(guild_id)).mock_wait_minutes)

    async def pool(self, guild_id: int, filters: Filters) -> list[Question]:
        """Distinct questions a pair with these filters may be asked."""
        found = await question_candidates(
            self.database,
            self.bank,
            guild_id,
            topic=filters.topic,
            difficulty=filters.difficulty,
        )
        return list({q.id: q for q in found}.values())

    async def _load(self, session: AsyncSession, session_id: int) -> MockSession:
        row = await MockSessionRepository(session).get(session_id)
        if row is None:
            raise MockError(GONE)
        return row

    async def view(self, session_id: int) -> SessionView:
        async with self.database.session() as session:
            row = await self._load(session, session_id)
            rounds = await MockSessionRepository(session).rounds(session_id)
            people = {
                user_id: await self._person(session, user_id)
                for user_id in {row.first_user_id, row.second_user_id}
            }
        states = []
        for r in rounds:
            question = await self._question(r.question_id, row.guild_id)
            states.append(_round_state(r, question, people))
        return SessionView(
            session_id=row.id,
            guild_id=row.guild_id,
            channel_id=row.channel_id,
            thread_id=row.thread_id,
            voice_channel_id=row.voice_channel_id,
            invite_message_id=row.invite_message_id,
            status=row.status,
            end_reason=row.end_reason,
            ended_by=row.ended_by_user_id,
            round=row.round,
            deadline=row.deadline,
            first=people[row.first_user_id],
            second=people[row.second_user_id],
            filters=dict(row.filters or {}),
            rounds=tuple(states),
            created_at=row.created_at,
            ended_at=row.ended_at,
        )

    async def person(self, user_id: int) -> Person:
        async with self.database.session() as session:
            return await self._person(session, user_id)

    @staticmethod
    async def _person(session: AsyncSession, user_id: int | None) -> Person:
        user = await UserRepository(session).get(user_id) if user_id is not None else None
        if user is None:
            return Person(None, None, "a former member")
        return Person(user.id, user.discord_id, user.display_name)

    async def _question(self, question_id: str, guild_id: int) -> Question:
        question = await resolve_question(self.database, self.bank, question_id, guild_id)
        if question is not None:
            return question
        return Question(
            id=question_id,
            topic="?",
            difficulty="medium",
            prompt=MISSING_QUESTION,
            model_answer="",
            tips=(),
            source="",
        )

    @staticmethod
    def _activate(row: MockSession, now: datetime) -> None:
        """Round 1 starts now (the caller saves the row, then adds its rounds)."""
        row.status = "active"
        row.round = 1
        row.deadline = now + ROUND_LIMIT

    @staticmethod
    async def _add_rounds(session: AsyncSession, row: MockSession, now: datetime) -> None:
        """Both rounds: round 2, with roles swapped, waits for round 1's rating."""
        repository = MockSessionRepository(session)
        first, second = row.first_user_id, row.second_user_id
        for number, (interviewer, candidate) in enumerate(((first, second), (second, first)), 1):
            await repository.add_round(
                MockRound(
                    session_id=row.id,
                    number=number,
                    interviewer_id=interviewer,
                    candidate_id=candidate,
                    question_id=row.question_ids[number - 1],
                    ticked=[],
                    started_at=now,
                )
            )

    async def _end(
        self,
        session: AsyncSession,
        row: MockSession,
        *,
        reason: str | None,
        by: int | None,
        now: datetime,
    ) -> None:
        """End the session (finished when `reason` is None) and free both members' places.

        Raises MockError if another writer changed the session first (a double click)."""
        expected = row.version
        row.status = "finished" if reason is None else "ended"
        row.end_reason = reason
        row.ended_by_user_id = by
        row.deadline = None
        row.ended_at = now
        if not await MockSessionRepository(session).save_if_version(row, expected):
            await session.rollback()
            raise MockError("That already happened; the session has moved on.")
        await MockQueueRepository(session).release(row.id)


def _round_state(
    row: MockRound, question: Question, people: dict[int | None, Person]
) -> RoundState:
    rating = None
    if row.rated_at is not None:
        rating = Rating(
            depth=row.depth or 0,
            communication=row.communication or 0,
            problem_solving=row.problem_solving or 0,
            note=row.note or "",
        )
    return RoundState(
        number=row.number,
        interviewer=people.get(row.interviewer_id) or Person(None, None, "a former member"),
        candidate=people.get(row.candidate_id) or Person(None, None, "a former member"),
        question=question,
        ticked=tuple(row.ticked or ()),
        rating=rating,
        answered=row.answer is not None,
        auto_score=row.auto_score,
        auto_band=row.auto_band,
        started_at=row.started_at,
    )
