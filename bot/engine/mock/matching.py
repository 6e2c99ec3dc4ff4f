"""Matching: the per-server queue, direct invitations, and going back to the front.

A member holds at most one place per server (see MockQueueRepository): waiting, or taken by
an invited or running session. A join pairs with the oldest compatible waiting member at
once; claiming that member is a conditional update, so of two joins racing for the same
partner one wins and the other tries the next candidate.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.engine.errors import MockError, NoQuestions
from bot.engine.mock.base import GONE, MockBase
from bot.engine.mock.rules import Filters, merge
from bot.engine.mock.views import Departure, Paired, Queued, SessionView
from bot.engine.selection import nothing_matches
from questions.model import Question
from storage.mock_models import MockMember, MockSession
from storage.repositories import MockBlockRepository, MockQueueRepository, MockSessionRepository
from storage.repositories.mock_blocks import REPORTED

ATTEMPTS = 5
QUEUED = "You're already in the queue here; `/mock leave` takes you out."
IN_SESSION = "You're already in a mock interview in this server; finish it or `/mock leave` first."


class MockMatching(MockBase):
    async def _checked_pool(self, guild_id: int, filters: Filters) -> list[Question]:
        pool = await self.pool(guild_id, filters)
        if len(pool) < 2:
            reason = nothing_matches(None, filters.topic, filters.difficulty)
            raise NoQuestions(f"{reason[:-1]}: a mock interview needs two questions.")
        return pool

    async def join(
        self,
        guild_id: int,
        user_id: int,
        channel_id: int,
        filters: Filters,
        *,
        front: bool = False,
    ) -> Queued | Paired:
        """Pair with the oldest compatible waiting member, or wait in the queue."""
        await self._checked_pool(guild_id, filters)
        limit = await self.wait_limit(guild_id)
        for _ in range(ATTEMPTS):
            async with self.database.session() as session:
                queue = MockQueueRepository(session)
                place = await queue.place(guild_id, user_id)
                if place is not None:
                    raise MockError(QUEUED if place.session_id is None else IN_SESSION)
                blocked = await MockBlockRepository(session).partners_of(guild_id, user_id)
                waiting = [m for m in await queue.waiting(guild_id) if m.user_id not in blocked]
            partner = await self._first_compatible(guild_id, filters, waiting)
            now = self.clock()
            if partner is None:
                return await self._wait(guild_id, user_id, channel_id, filters, front, now, limit)
            other, merged, pool = partner
            paired = await self._pair(guild_id, channel_id, other, user_id, merged, pool, now)
            if paired is not None:
                return paired
        raise MockError("The queue is busy right now; try `/mock join` again in a moment.")

    async def _first_compatible(
        self, guild_id: int, filters: Filters, waiting: list[MockMember]
    ) -> tuple[MockMember, Filters, list[Question]] | None:
        for other in waiting:
            merged = merge(Filters(other.topic, other.difficulty), filters)
            if merged is None:
                continue
            pool = await self.pool(guild_id, merged)
            if len(pool) >= 2:
                return other, merged, pool
        return None

    async def _wait(
        self,
        guild_id: int,
        user_id: int,
        channel_id: int,
        filters: Filters,
        front: bool,
        now: datetime,
        limit: timedelta,
    ) -> Queued:
        async with self.database.session() as session:
            queue = MockQueueRepository(session)
            member = MockMember(
                guild_id=guild_id,
                user_id=user_id,
                session_id=None,
                channel_id=channel_id,
                topic=filters.topic,
                difficulty=filters.difficulty,
                front=front,
                joined_at=now,
            )
            if not await queue.add(member):
                raise MockError(QUEUED)
            waiting = len(await queue.waiting(guild_id))
            await session.commit()
        return Queued(guild_id, user_id, now, now + limit, waiting)

    async def _pair(
        self,
        guild_id: int,
        channel_id: int,
        other: MockMember,
        user_id: int,
        merged: Filters,
        pool: list[Question],
        now: datetime,
    ) -> Paired | None:
        """The longer waiter interviews first. None if the partner was claimed meanwhile."""
        chosen = self.rng.sample(pool, 2)
        async with self.database.session() as session:
            queue = MockQueueRepository(session)
            row = await MockSessionRepository(session).add(
                self._new_session(guild_id, channel_id, other.user_id, user_id, merged, chosen)
            )
            if not await queue.claim(guild_id, other.user_id, row.id):
                await session.rollback()
                return None
            await self._seat(session, queue, row, user_id, merged, now)
            self._activate(row, now)
            await self._add_rounds(session, row, now)
            await session.commit()
            session_id = row.id
        return Paired(await self.view(session_id), other.joined_at)

    @staticmethod
    async def _seat(
        session: AsyncSession,
        queue: MockQueueRepository,
        row: MockSession,
        user_id: int,
        filters: Filters,
        now: datetime,
    ) -> None:
        """Give a member their one place in this server: this session. A member who already
        holds a place (queued elsewhere, or in another session) is refused."""
        place = MockMember(
            guild_id=row.guild_id,
            user_id=user_id,
            session_id=row.id,
            channel_id=row.channel_id,
            topic=filters.topic,
            difficulty=filters.difficulty,
            front=False,
            joined_at=now,
        )
        if not await queue.add(place):
            await session.rollback()
            raise MockError(IN_SESSION)

    def _new_session(
        self,
        guild_id: int,
        channel_id: int,
        first: int,
        second: int,
        filters: Filters,
        questions: list[Question],
    ) -> MockSession:
        return MockSession(
            guild_id=guild_id,
            channel_id=channel_id,
            first_user_id=first,
            second_user_id=second,
            status="invited",
            filters=filters.as_dict(),
            question_ids=[q.id for q in questions],
            round=1,
            version=0,
            created_at=self.clock(),
        )

    async def leave(self, guild_id: int, user_id: int) -> Departure:
        """/mock leave: out of the queue, an invitation withdrawn, or a session left."""
        async with self.database.session() as session:
            place = await MockQueueRepository(session).place(guild_id, user_id)
            if place is None:
                raise MockError("You're not in the queue or in a mock interview here.")
            if place.session_id is None:
                await MockQueueRepository(session).remove_waiting(guild_id, user_id)
                await session.commit()
                return Departure("queue")
            row = await self._load(session, place.session_id)
            now = self.clock()
            if row.status == "invited":
                await self._end(session, row, reason="declined", by=user_id, now=now)
                await session.commit()
                return Departure("invite", await self.view(row.id))
            await self._end(session, row, reason="left", by=user_id, now=now)
            await session.commit()
        return Departure("session", await self.view(place.session_id))

    async def expire(self, guild_id: int, user_id: int, joined_at: datetime) -> bool:
        """Take a member out after waiting too long; False if they were paired or left."""
        async with self.database.session() as session:
            removed = await MockQueueRepository(session).remove_waiting(
                guild_id, user_id, joined_at=joined_at
            )
            await session.commit()
        return removed

    async def waiting_everywhere(self) -> list[tuple[int, int, datetime, datetime]]:
        """(guild, user, joined at, expires at) of every waiting member: restart recovery."""
        async with self.database.session() as session:
            members = await MockQueueRepository(session).all_waiting()
        found = []
        for member in members:
            limit = await self.wait_limit(member.guild_id)
            found.append(
                (member.guild_id, member.user_id, member.joined_at, member.joined_at + limit)
            )
        return found

    # -- invitations ---------------------------------------------------------------------------

    async def invite(
        self, guild_id: int, channel_id: int, inviter: int, invitee: int, filters: Filters
    ) -> tuple[SessionView, datetime | None]:
        """An invitation waiting for the invitee; also the inviter's queue stay it replaced."""
        if inviter == invitee:
            raise MockError("You can't invite yourself; `/mock join` finds you a partner.")
        pool = await self._checked_pool(guild_id, filters)
        now = self.clock()
        async with self.database.session() as session:
            queue = MockQueueRepository(session)
            if await MockBlockRepository(session).reason(guild_id, inviter, invitee) == REPORTED:
                raise MockError("You two can't be paired in this server any more.")
            theirs = await queue.place(guild_id, invitee)
            if theirs is not None and theirs.session_id is not None:
                raise MockError("They're already in a mock interview here; try again later.")
            mine = await queue.place(guild_id, inviter)
            if mine is not None and mine.session_id is not None:
                raise MockError(IN_SESSION)
            left_queue = mine.joined_at if mine is not None else None
            if mine is not None:
                await queue.remove_waiting(guild_id, inviter)
            chosen = self.rng.sample(pool, 2)
            row = await MockSessionRepository(session).add(
                self._new_session(guild_id, channel_id, inviter, invitee, filters, chosen)
            )
            await self._seat(session, queue, row, inviter, filters, now)
            await session.commit()
            session_id = row.id
        return await self.view(session_id), left_queue

    async def accept(self, session_id: int, user_id: int) -> Paired:
        """The invitee accepts: the session starts. `partner_joined_at` is the invitee's own
        queue stay, if accepting took them out of the queue."""
        now = self.clock()
        async with self.database.session() as session:
            queue = MockQueueRepository(session)
            row = await self._load(session, session_id)
            if row.second_user_id != user_id:
                raise MockError("This invitation is for someone else.")
            if row.status != "invited":
                raise MockError(_closed(row))
            place = await queue.place(row.guild_id, user_id)
            if place is not None and place.session_id is not None:
                raise MockError(IN_SESSION)
            stay = place.joined_at if place is not None else now
            if place is not None:
                if not await queue.claim(row.guild_id, user_id, row.id):
                    raise MockError(IN_SESSION)
            elif not await queue.add(
                MockMember(
                    guild_id=row.guild_id,
                    user_id=user_id,
                    session_id=row.id,
                    channel_id=row.channel_id,
                    front=False,
                    joined_at=now,
                )
            ):
                raise MockError(IN_SESSION)
            expected = row.version
            self._activate(row, now)
            if not await MockSessionRepository(session).save_if_version(row, expected):
                await session.rollback()
                raise MockError("This invitation was already answered.")
            await self._add_rounds(session, row, now)
            await session.commit()
        return Paired(await self.view(session_id), stay)

    async def decline(self, session_id: int, user_id: int) -> SessionView:
        """The invitee declines, or the inviter withdraws."""
        async with self.database.session() as session:
            row = await self._load(session, session_id)
            if user_id not in (row.first_user_id, row.second_user_id):
                raise MockError("This invitation is for someone else.")
            if row.status != "invited":
                raise MockError(_closed(row))
            await self._end(session, row, reason="declined", by=user_id, now=self.clock())
            await session.commit()
        return await self.view(session_id)

    async def expire_invite(self, session_id: int) -> SessionView | None:
        """Close an invitation nobody answered; None if it was answered meanwhile."""
        async with self.database.session() as session:
            row = await self._load(session, session_id)
            if row.status != "invited":
                return None
            await self._end(session, row, reason="expired", by=None, now=self.clock())
            await session.commit()
        return await self.view(session_id)

    async def requeue_front(
        self, session_id: int, user_id: int, channel_id: int
    ) -> Queued | Paired:
        """Back to the front of the queue for a member whose partner left or went silent,
        within the server's wait limit of the session ending."""
        view = await self.view(session_id)
        behind = view.left_behind
        if behind is None or behind.user_id != user_id:
            raise MockError("Only the member whose partner left can go back to the front.")
        limit = await self.wait_limit(view.guild_id)
        if view.ended_at is not None and self.clock() > view.ended_at + limit:
            raise MockError("This offer has expired; `/mock join` to wait in the queue.")
        filters = Filters(view.filters.get("topic"), view.filters.get("difficulty"))
        return await self.join(view.guild_id, user_id, channel_id, filters, front=True)


def _closed(row: MockSession) -> str:
    if row.status == "active":
        return "This invitation was already accepted."
    if row.status == "invited":
        return "This invitation is still open."
    return (
        "This invitation is no longer open." if row.end_reason in ("declined", "expired") else GONE
    )
