"""Attempts: every scored answer, solo or in a round; progress and leaderboards read them."""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select

from storage.models import Attempt, User
from storage.repositories.base import UNSET, Repository, Unset, rowcount


@dataclass(frozen=True)
class UserTotals:
    user_id: int
    display_name: str
    answered: int
    average: float


class AttemptRepository(Repository):
    async def add(self, attempt: Attempt) -> Attempt:
        self.session.add(attempt)
        await self.session.flush()
        return attempt

    async def for_user(
        self,
        user_id: int,
        *,
        guild_id: int | Unset | None = UNSET,
        since: datetime | None = None,
        limit: int | None = None,
    ) -> list[Attempt]:
        """A user's attempts, oldest first; with `limit`, the most recent `limit` of them.

        guild_id: UNSET = every scope, None = DM/terminal only, an id = that guild only.
        """
        statement = select(Attempt).where(Attempt.user_id == user_id)
        if guild_id is None:
            statement = statement.where(Attempt.guild_id.is_(None))
        elif not isinstance(guild_id, Unset):
            statement = statement.where(Attempt.guild_id == guild_id)
        if since is not None:
            statement = statement.where(Attempt.submitted_at >= since)
        newest_first = statement.order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
        if limit is not None:
            return list(reversed(await self._all(newest_first.limit(limit))))
        return await self._all(statement.order_by(Attempt.submitted_at, Attempt.id))

    async def for_guild(self, guild_id: int, since: datetime | None = None) -> list[Attempt]:
        """Every attempt made in a guild, oldest first (leaderboards, guild stats)."""
        statement = select(Attempt).where(Attempt.guild_id == guild_id)
        if since is not None:
            statement = statement.where(Attempt.submitted_at >= since)
        return await self._all(statement.order_by(Attempt.submitted_at, Attempt.id))

    async def guild_totals(
        self, guild_id: int, since: datetime | None = None
    ) -> builtins.list[UserTotals]:
        """Answers and average score per user in a guild, aggregated in the database."""
        statement = (
            select(
                User.id,
                User.display_name,
                func.count(Attempt.id),
                func.avg(Attempt.score),
            )
            .join(User, User.id == Attempt.user_id)
            .where(Attempt.guild_id == guild_id)
            .group_by(User.id, User.display_name)
        )
        if since is not None:
            statement = statement.where(Attempt.submitted_at >= since)
        rows = (await self.session.execute(statement)).all()
        return [UserTotals(row[0], row[1], int(row[2]), float(row[3])) for row in rows]

    async def for_session(self, session_id: int) -> list[Attempt]:
        """Attempts made in one interview session, oldest first (end-of-session summary)."""
        return await self._all(
            select(Attempt)
            .where(Attempt.session_id == session_id)
            .order_by(Attempt.submitted_at, Attempt.id)
        )

    async def question_ids_for_user(self, user_id: int) -> set[str]:
        """Every question the user has answered in any scope, so selection can skip them."""
        statement = select(Attempt.question_id).where(Attempt.user_id == user_id).distinct()
        return set((await self.session.execute(statement)).scalars().all())

    async def delete_for_user(self, user_id: int) -> int:
        return await rowcount(self.session, delete(Attempt).where(Attempt.user_id == user_id))

    async def count_for_user(self, user_id: int) -> int:
        """Attempts across all scopes, without loading them."""
        statement = select(func.count()).select_from(Attempt).where(Attempt.user_id == user_id)
        return int((await self.session.execute(statement)).scalar_one())

    async def answer_times(
        self, *, user_id: int | None = None, guild_id: int | Unset | None = UNSET
    ) -> builtins.list[tuple[int, datetime]]:
        """(user id, submitted_at) of every answer, for streaks; filtered like `for_user`."""
        statement = select(Attempt.user_id, Attempt.submitted_at)
        if user_id is not None:
            statement = statement.where(Attempt.user_id == user_id)
        if guild_id is None:
            statement = statement.where(Attempt.guild_id.is_(None))
        elif not isinstance(guild_id, Unset):
            statement = statement.where(Attempt.guild_id == guild_id)
        rows = (await self.session.execute(statement)).all()
        return [(row[0], row[1]) for row in rows]
