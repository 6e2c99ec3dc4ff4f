"""A guild's own questions, stored as pack-format JSON."""

from __future__ import annotations

import builtins
from typing import Any

from sqlalchemy import select, update

from storage.errors import ConflictError
from storage.models import CustomQuestion, utcnow
from storage.repositories.base import Repository, rowcount


class CustomQuestionRepository(Repository):
    """Guild-authored questions; deletion is soft so attempts keep their question text."""

    async def get(
        self, guild_id: int, question_id: str, include_deleted: bool = False
    ) -> CustomQuestion | None:
        statement = select(CustomQuestion).where(
            CustomQuestion.guild_id == guild_id, CustomQuestion.question_id == question_id
        )
        if not include_deleted:
            statement = statement.where(CustomQuestion.deleted_at.is_(None))
        return await self._first(statement)

    async def list(self, guild_id: int) -> builtins.list[CustomQuestion]:
        """The guild's live questions, by id."""
        return await self._all(
            select(CustomQuestion)
            .where(CustomQuestion.guild_id == guild_id, CustomQuestion.deleted_at.is_(None))
            .order_by(CustomQuestion.question_id)
        )

    async def add(self, question: CustomQuestion) -> CustomQuestion:
        """Store a new question; re-adding a deleted id revives that row with the new data.

        Returns the stored instance, which is the revived row rather than `question` in
        that case. Raises ConflictError if the guild already has a live question with
        that id.
        """
        existing = await self.get(question.guild_id, question.question_id, include_deleted=True)
        if existing is None:
            self.session.add(question)
            await self.session.flush()
            return question
        if existing.deleted_at is None:
            raise ConflictError(
                f"this server already has a custom question with id {question.question_id!r}"
            )
        existing.data = question.data
        existing.created_by = question.created_by
        existing.deleted_at = None
        existing.updated_at = utcnow()
        await self.session.flush()
        return existing

    async def unattribute(self, user_id: int) -> int:
        """Questions a user wrote stay with the guild, without their name; how many."""
        statement = (
            update(CustomQuestion)
            .where(CustomQuestion.created_by == user_id)
            .values(created_by=None)
        )
        return await rowcount(self.session, statement)

    async def soft_delete(self, guild_id: int, question_id: str) -> bool:
        """Hide a live question; False if there was none to hide."""
        question = await self.get(guild_id, question_id)
        if question is None:
            return False
        question.deleted_at = utcnow()
        await self.session.flush()
        return True

    async def update_data(
        self, guild_id: int, question_id: str, data: dict[str, Any]
    ) -> CustomQuestion | None:
        """Replace a live question's content; None if there is no such live question."""
        question = await self.get(guild_id, question_id)
        if question is None:
            return None
        question.data = data
        question.updated_at = utcnow()
        await self.session.flush()
        return question


# What RoundRepository.save_if_version writes. Thread and message ids are left out on
# purpose: set_messages writes them without a version check, and a state change racing it
