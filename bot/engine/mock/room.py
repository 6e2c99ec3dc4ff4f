"""The room: the interviewer's kit and checklist, the candidate's written answer, ratings,
the role swap, and every way a session ends (finished, left, silent, reported)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.engine.answers import Answer
from bot.engine.errors import MockError
from bot.engine.mock.base import GONE, MockBase
from bot.engine.mock.rules import AXES, NOTE_LIMIT, ROUND_LIMIT, check_rating
from bot.engine.mock.views import Rating, RoundState, SessionView
from questions.scoring import score_answer
from storage.mock_models import MockRound, MockSession
from storage.repositories import MockBlockRepository, MockSessionRepository
from storage.repositories.mock_blocks import NOT_USEFUL, REPORTED

NOT_INTERVIEWER = "Only this round's interviewer can do that."
NOT_CANDIDATE = "Only this round's candidate can answer here."
ROUND_OVER = "This round is over; the session has moved on."


class MockRoom(MockBase):
    async def _current(
        self, session: AsyncSession, session_id: int, number: int
    ) -> tuple[MockSession, MockRound]:
        row = await self._load(session, session_id)
        if row.status != "active":
            raise MockError(GONE)
        if row.round != number:
            raise MockError(ROUND_OVER)
        round_ = await MockSessionRepository(session).round(session_id, number)
        if round_ is None or round_.rated_at is not None:
            raise MockError(ROUND_OVER)
        return row, round_

    async def kit(self, session_id: int, number: int, user_id: int) -> RoundState:
        """The round as its interviewer sees it; nobody else may open it."""
        async with self.database.session() as session:
            _, round_ = await self._current(session, session_id, number)
            if round_.interviewer_id != user_id:
                raise MockError(NOT_INTERVIEWER)
        state = (await self.view(session_id)).current
        assert state is not None
        return state

    async def tick(
        self, session_id: int, number: int, user_id: int, concepts: list[str]
    ) -> RoundState:
        """Replace the checklist with the concepts ticked now; unknown names are ignored."""
        view = await self.view(session_id)
        state = view.current
        known = [c.name for c in state.question.rubric] if state else []
        async with self.database.session() as session:
            _, round_ = await self._current(session, session_id, number)
            if round_.interviewer_id != user_id:
                raise MockError(NOT_INTERVIEWER)
            round_.ticked = [name for name in known if name in set(concepts)]
            await session.commit()
        return await self.kit(session_id, number, user_id)

    async def answer(self, session_id: int, number: int, user_id: int, answer: Answer) -> bool:
        """Score the candidate's written answer with the rubric; True if it replaced one."""
        async with self.database.session() as session:
            row, round_ = await self._current(session, session_id, number)
            if round_.candidate_id != user_id:
                raise MockError(NOT_CANDIDATE)
            question = await self._question(round_.question_id, row.guild_id)
            result = score_answer(question, answer.text)
            replaced = round_.answer is not None
            round_.answer = answer.text
            round_.auto_score = result.score
            round_.auto_band = result.band
            await session.commit()
        return replaced

    async def rate(self, session_id: int, number: int, user_id: int, rating: Rating) -> SessionView:
        """Rate the candidate: round 1 hands over to round 2 with roles swapped; round 2
        finishes the session. A second submit of the same form is refused."""
        for axis, value in rating.axes().items():
            check_rating(axis, value)
        note = rating.note.strip()[:NOTE_LIMIT]
        now = self.clock()
        async with self.database.session() as session:
            row, round_ = await self._current(session, session_id, number)
            if round_.interviewer_id != user_id:
                raise MockError(NOT_INTERVIEWER)
            for axis in AXES:
                setattr(round_, axis, getattr(rating, axis))
            round_.note = note
            round_.rated_at = now
            if number == 1:
                expected = row.version
                row.round = 2
                row.deadline = now + ROUND_LIMIT
                if not await MockSessionRepository(session).save_if_version(row, expected):
                    await session.rollback()
                    raise MockError(ROUND_OVER)
                following = await MockSessionRepository(session).round(session_id, 2)
                assert following is not None
                following.started_at = now
            else:
                await self._end(session, row, reason=None, by=None, now=now)
            await session.commit()
        return await self.view(session_id)

    async def leave_session(self, session_id: int, user_id: int) -> SessionView:
        """A member leaves a running session: it ends, and their partner may requeue."""
        async with self.database.session() as session:
            row = await self._load(session, session_id)
            if user_id not in (row.first_user_id, row.second_user_id):
                raise MockError("This isn't your mock interview.")
            if row.status != "active":
                raise MockError(GONE)
            await self._end(session, row, reason="left", by=user_id, now=self.clock())
            await session.commit()
        return await self.view(session_id)

    async def time_out(self, session_id: int, number: int) -> SessionView | None:
        """The round's interviewer never rated it in time: they went silent. None if the
        round moved on or the session ended first."""
        now = self.clock()
        async with self.database.session() as session:
            row = await self._load(session, session_id)
            if row.status != "active" or row.round != number:
                return None
            if row.deadline is not None and row.deadline > now:
                return None
            round_ = await MockSessionRepository(session).round(session_id, number)
            silent = round_.interviewer_id if round_ is not None else None
            await self._end(session, row, reason="silent", by=silent, now=now)
            await session.commit()
        return await self.view(session_id)

    async def report(self, session_id: int, user_id: int) -> SessionView:
        """End the session at once (if it still runs) and never pair these two again."""
        now = self.clock()
        async with self.database.session() as session:
            row = await self._load(session, session_id)
            if user_id not in (row.first_user_id, row.second_user_id):
                raise MockError("This isn't your mock interview.")
            other = row.second_user_id if user_id == row.first_user_id else row.first_user_id
            if row.status in ("invited", "active"):
                await self._end(session, row, reason="reported", by=user_id, now=now)
            if other is not None:
                await MockBlockRepository(session).block(
                    row.guild_id, user_id, other, REPORTED, now
                )
            await session.commit()
        return await self.view(session_id)

    async def vote(self, session_id: int, user_id: int, useful: bool) -> SessionView:
        """Was the session useful? "Not useful" keeps the queue from pairing them again; a
        change of mind takes that back (a report is never taken back)."""
        now = self.clock()
        async with self.database.session() as session:
            row = await self._load(session, session_id)
            if user_id not in (row.first_user_id, row.second_user_id):
                raise MockError("This isn't your mock interview.")
            if row.status in ("invited", "active"):
                raise MockError("You can rate the session once it is over.")
            expected = row.version
            if user_id == row.first_user_id:
                row.first_useful = useful
            else:
                row.second_useful = useful
            if not await MockSessionRepository(session).save_if_version(row, expected):
                await session.rollback()
                raise MockError("That was already saved; try again.")
            other = row.second_user_id if user_id == row.first_user_id else row.first_user_id
            if other is not None:
                blocks = MockBlockRepository(session)
                if useful:
                    await blocks.unblock_not_useful(row.guild_id, user_id, other)
                else:
                    await blocks.block(row.guild_id, user_id, other, NOT_USEFUL, now)
            await session.commit()
        return await self.view(session_id)

    async def set_places(
        self,
        session_id: int,
        *,
        thread_id: int | None = None,
        voice_channel_id: int | None = None,
        invite_message_id: int | None = None,
    ) -> None:
        """Remember where the session is shown; only the ids given are changed."""
        given = {
            name: value
            for name, value in (
                ("thread_id", thread_id),
                ("voice_channel_id", voice_channel_id),
                ("invite_message_id", invite_message_id),
            )
            if value is not None
        }
        async with self.database.session() as session:
            await MockSessionRepository(session).set_places(session_id, **given)
            await session.commit()

    async def end_without_room(self, session_id: int) -> SessionView:
        """No private thread could be opened: the session ends before it starts."""
        async with self.database.session() as session:
            row = await self._load(session, session_id)
            if row.status == "active":
                await self._end(session, row, reason="no_room", by=None, now=self.clock())
                await session.commit()
        return await self.view(session_id)

    async def open_sessions(self) -> list[SessionView]:
        """Every invited or running session, for restart recovery."""
        async with self.database.session() as session:
            ids = [row.id for row in await MockSessionRepository(session).open_sessions()]
        return [await self.view(session_id) for session_id in ids]
