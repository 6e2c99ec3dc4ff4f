"""Interview sessions: one active per user and scope, moved on under a version check."""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import delete, inspect, select

from storage.models import InterviewSession, utcnow
from storage.repositories.base import Repository, rowcount

# What save_if_version writes: everything that changes while a session runs.
_SESSION_MUTABLE_FIELDS: Final = (
    "channel_id",
    "status",
    "filters",
    "question_ids",
    "position",
    "hints_used",
    "question_started_at",
    "finished_at",
)


class SessionRepository(Repository):
    async def add(self, session: InterviewSession) -> InterviewSession:
        self.session.add(session)
        await self.session.flush()
        return session

    async def get(self, session_id: int) -> InterviewSession | None:
        return await self.session.get(InterviewSession, session_id)

    async def active_for(self, user_id: int, guild_id: int | None) -> InterviewSession | None:
        """The user's newest active session in one scope (guild_id None = DM/terminal)."""
        scope = (
            InterviewSession.guild_id.is_(None)
            if guild_id is None
            else InterviewSession.guild_id == guild_id
        )
        return await self._first(
            select(InterviewSession)
            .where(InterviewSession.user_id == user_id, InterviewSession.status == "active", scope)
            .order_by(InterviewSession.created_at.desc(), InterviewSession.id.desc())
        )

    async def delete_for_user(self, user_id: int) -> int:
        statement = delete(InterviewSession).where(InterviewSession.user_id == user_id)
        return await rowcount(self.session, statement)

    async def save_if_version(self, session: InterviewSession, expected_version: int) -> bool:
        """Write the session's progress only if nobody else has since `expected_version`.

        Returns False when another writer won (e.g. a double-clicked button): the caller
        should then do nothing, so an answer is scored once. On success the object's
        version becomes expected_version + 1. On failure an object held by this session
        is refreshed to the winner's state, discarding local edits. `updated_at` is written
        as the caller set it, or now if they did not.

        The UPDATE bypasses the unit of work on purpose: an autoflush of the object's edits
        would write them without the version check.
        """
        if session.id is None:
            raise ValueError("save_if_version needs a stored session; add() it first")
        # Keep an updated_at the caller set (an injected clock); otherwise stamp it now.
        touched = inspect(session).attrs.updated_at.history.added
        now = touched[0] if touched and touched[0] is not None else utcnow()
        values: dict[str, Any] = {name: getattr(session, name) for name in _SESSION_MUTABLE_FIELDS}
        return await self._save_versioned(
            session, session.id, expected_version, {**values, "updated_at": now}
        )
