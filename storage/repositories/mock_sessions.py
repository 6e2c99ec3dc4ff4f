"""Peer mock-interview sessions and their two rounds, moved on under a version check."""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import func, select, update

from storage.mock_models import MOCK_OPEN_STATUSES, MockRound, MockSession
from storage.models import User
from storage.repositories.base import UNSET, Repository, Unset, rowcount

# What save_if_version writes; message and channel ids go through set_places instead.
_MUTABLE_FIELDS: Final = (
    "status",
    "end_reason",
    "ended_by_user_id",
    "round",
    "deadline",
    "first_useful",
    "second_useful",
    "ended_at",
)


@dataclass(frozen=True)
class GivenTotals:
    """Mock interviews one member gave (rounds they rated as interviewer) in a server."""

    user_id: int
    display_name: str
    given: int


class MockSessionRepository(Repository):
    async def add(self, row: MockSession) -> MockSession:
        self.session.add(row)
        await self.session.flush()
        return row

    async def get(self, session_id: int) -> MockSession | None:
        """The session as stored now, never a stale copy from the identity map."""
        return await self._first(
            select(MockSession)
            .where(MockSession.id == session_id)
            .execution_options(populate_existing=True)
        )

    async def open_sessions(self) -> builtins.list[MockSession]:
        """Every invited or running session, oldest first (restart recovery)."""
        return await self._all(
            select(MockSession)
            .where(MockSession.status.in_(MOCK_OPEN_STATUSES))
            .order_by(MockSession.id)
            .execution_options(populate_existing=True)
        )

    async def save_if_version(self, row: MockSession, expected_version: int) -> bool:
        """Same contract as RoundRepository.save_if_version: False means another writer won."""
        values: dict[str, Any] = {name: getattr(row, name) for name in _MUTABLE_FIELDS}
        return await self._save_versioned(row, row.id, expected_version, values)

    async def set_places(self, session_id: int, **ids: int | None) -> None:
        """Record where the session is shown: its thread, voice room, invitation message."""
        allowed = {"thread_id", "voice_channel_id", "invite_message_id"}
        if unknown := set(ids) - allowed:
            raise ValueError(f"not a mock session place: {', '.join(sorted(unknown))}")
        if ids:
            await self.session.execute(
                update(MockSession).where(MockSession.id == session_id).values(**ids)
            )

    # -- rounds --------------------------------------------------------------------------------

    async def add_round(self, row: MockRound) -> None:
        self.session.add(row)
        await self.session.flush()

    async def rounds(self, session_id: int) -> builtins.list[MockRound]:
        return await self._all(
            select(MockRound)
            .where(MockRound.session_id == session_id)
            .order_by(MockRound.number)
            .execution_options(populate_existing=True)
        )

    async def round(self, session_id: int, number: int) -> MockRound | None:
        return await self._first(
            select(MockRound)
            .where(MockRound.session_id == session_id, MockRound.number == number)
            .execution_options(populate_existing=True)
        )

    async def rated_as_candidate(
        self, user_id: int, guild_id: int | Unset | None = UNSET
    ) -> builtins.list[MockRound]:
        """Rounds in which the member was rated as the candidate, oldest first."""
        statement = (
            select(MockRound)
            .join(MockSession, MockSession.id == MockRound.session_id)
            .where(MockRound.candidate_id == user_id, MockRound.rated_at.is_not(None))
            .order_by(MockRound.rated_at)
        )
        if guild_id is None:
            return []  # peer interviews only happen in servers
        if not isinstance(guild_id, Unset):
            statement = statement.where(MockSession.guild_id == guild_id)
        return await self._all(statement)

    async def given_count(self, user_id: int, guild_id: int | Unset | None = UNSET) -> int:
        statement = (
            select(func.count())
            .select_from(MockRound)
            .join(MockSession, MockSession.id == MockRound.session_id)
            .where(MockRound.interviewer_id == user_id, MockRound.rated_at.is_not(None))
        )
        if guild_id is None:
            return 0
        if not isinstance(guild_id, Unset):
            statement = statement.where(MockSession.guild_id == guild_id)
        return int((await self.session.execute(statement)).scalar_one())

    async def given_totals(
        self, guild_id: int, since: datetime | None = None
    ) -> builtins.list[GivenTotals]:
        """Per member of a server: the mock interviews they gave and rated since `since`."""
        statement = (
            select(User.id, User.display_name, func.count())
            .select_from(MockRound)
            .join(MockSession, MockSession.id == MockRound.session_id)
            .join(User, User.id == MockRound.interviewer_id)
            .where(MockSession.guild_id == guild_id, MockRound.rated_at.is_not(None))
            .group_by(User.id, User.display_name)
        )
        if since is not None:
            statement = statement.where(MockRound.rated_at >= since)
        rows = (await self.session.execute(statement)).all()
        return [GivenTotals(row[0], row[1], int(row[2])) for row in rows]

    async def forget_user(self, user_id: int) -> int:
        """Unattribute the member in sessions and rounds (the partner keeps their feedback)
        and erase their written answers. Explicit, as SQLite may not honour SET NULL."""
        for column in (
            MockSession.first_user_id,
            MockSession.second_user_id,
            MockSession.ended_by_user_id,
        ):
            await self.session.execute(
                update(MockSession).where(column == user_id).values({column.key: None})
            )
        await self.session.execute(
            update(MockRound)
            .where(MockRound.candidate_id == user_id)
            .values(candidate_id=None, answer=None)
        )
        return await rowcount(
            self.session,
            update(MockRound)
            .where(MockRound.interviewer_id == user_id)
            .values(interviewer_id=None),
        )
