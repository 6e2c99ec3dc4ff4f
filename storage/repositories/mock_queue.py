"""Members' places in a server's mock interviews: waiting in the queue, or taken by a session.

The primary key (guild, user) is what keeps a member in at most one queue or session per
server; claiming a waiting member for a session is one conditional UPDATE, so two joins
racing for the same partner cannot both win.
"""

from __future__ import annotations

import builtins
from datetime import datetime

from sqlalchemy import delete, select, update

from storage.mock_models import MockMember
from storage.repositories.base import Repository, insert, rowcount


class MockQueueRepository(Repository):
    async def place(self, guild_id: int, user_id: int) -> MockMember | None:
        return await self._first(
            select(MockMember)
            .where(MockMember.guild_id == guild_id, MockMember.user_id == user_id)
            .execution_options(populate_existing=True)
        )

    async def add(self, member: MockMember) -> bool:
        """Take a place; False if the member already has one in this server."""
        inserted = await rowcount(
            self.session,
            insert(self.session, MockMember)
            .values(
                guild_id=member.guild_id,
                user_id=member.user_id,
                session_id=member.session_id,
                channel_id=member.channel_id,
                topic=member.topic,
                difficulty=member.difficulty,
                front=bool(member.front),
                joined_at=member.joined_at,
            )
            .on_conflict_do_nothing(index_elements=[MockMember.guild_id, MockMember.user_id]),
        )
        return inserted == 1

    async def waiting(self, guild_id: int) -> builtins.list[MockMember]:
        """The queue in pairing order: sent back to the front first, then oldest first."""
        return await self._all(
            select(MockMember)
            .where(MockMember.guild_id == guild_id, MockMember.session_id.is_(None))
            .order_by(MockMember.front.desc(), MockMember.joined_at, MockMember.user_id)
            .execution_options(populate_existing=True)
        )

    async def all_waiting(self) -> builtins.list[MockMember]:
        """Every waiting member of every server (restart recovery)."""
        return await self._all(
            select(MockMember)
            .where(MockMember.session_id.is_(None))
            .order_by(MockMember.joined_at)
            .execution_options(populate_existing=True)
        )

    async def claim(self, guild_id: int, user_id: int, session_id: int) -> bool:
        """Move a waiting member into a session; False if someone else claimed them first."""
        statement = (
            update(MockMember)
            .where(
                MockMember.guild_id == guild_id,
                MockMember.user_id == user_id,
                MockMember.session_id.is_(None),
            )
            .values(session_id=session_id)
        )
        return await rowcount(self.session, statement) == 1

    async def remove_waiting(
        self, guild_id: int, user_id: int, *, joined_at: datetime | None = None
    ) -> bool:
        """Leave the queue; with `joined_at`, only that stay (a timer for an old one misses)."""
        statement = delete(MockMember).where(
            MockMember.guild_id == guild_id,
            MockMember.user_id == user_id,
            MockMember.session_id.is_(None),
        )
        if joined_at is not None:
            statement = statement.where(MockMember.joined_at == joined_at)
        return await rowcount(self.session, statement) == 1

    async def release(self, session_id: int) -> int:
        """Free the places a session held, when it ends."""
        return await rowcount(
            self.session, delete(MockMember).where(MockMember.session_id == session_id)
        )

    async def forget_user(self, user_id: int) -> int:
        return await rowcount(self.session, delete(MockMember).where(MockMember.user_id == user_id))
