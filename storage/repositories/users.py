"""Users: created on first contact (terminal name or Discord account), erased on request."""

from __future__ import annotations

from typing import cast

from sqlalchemy import delete, select

from storage.models import User, utcnow
from storage.repositories.attempts import AttemptRepository
from storage.repositories.base import Repository, insert, rowcount
from storage.repositories.custom_questions import CustomQuestionRepository
from storage.repositories.daily import DailyRepository
from storage.repositories.habits import HabitsRepository
from storage.repositories.mock_blocks import MockBlockRepository
from storage.repositories.mock_queue import MockQueueRepository
from storage.repositories.mock_sessions import MockSessionRepository
from storage.repositories.reviews import ReviewRepository
from storage.repositories.rounds import RoundRepository
from storage.repositories.sessions import SessionRepository


class UserRepository(Repository):
    """Users are created on first contact, so creation must be safe under concurrency."""

    async def get(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)

    async def find_local(self, name: str) -> User | None:
        return await self._first(select(User).where(User.local_name == name))

    async def find_discord(self, discord_id: int) -> User | None:
        return await self._first(select(User).where(User.discord_id == discord_id))

    async def get_or_create_local(self, name: str) -> User:
        """The terminal user named `name`, created if new."""
        name = name.strip()
        if not name:
            raise ValueError("a local user needs a non-empty name")
        user = await self.find_local(name)
        if user is None:
            await self.session.execute(
                insert(self.session, User)
                .values(local_name=name, display_name=name, created_at=utcnow())
                .on_conflict_do_nothing(index_elements=[User.local_name])
            )
            user = await self._first(
                select(User)
                .where(User.local_name == name)
                .execution_options(populate_existing=True)
            )
        return cast(User, user)

    async def get_or_create_discord(self, discord_id: int, display_name: str) -> User:
        """The user for a Discord account; keeps the display name current on each call."""
        user = await self.find_discord(discord_id)
        if user is None:
            await self.session.execute(
                insert(self.session, User)
                .values(discord_id=discord_id, display_name=display_name, created_at=utcnow())
                .on_conflict_do_nothing(index_elements=[User.discord_id])
            )
            user = await self._first(
                select(User)
                .where(User.discord_id == discord_id)
                .execution_options(populate_existing=True)
            )
            user = cast(User, user)
        if user.display_name != display_name:
            user.display_name = display_name
            await self.session.flush()
        return user

    async def delete_everything(self, user_id: int) -> dict[str, int]:
        """Erase a user's history for a "forget me" request; returns counts per kind.

        Each aggregate erases its own rows, in the caller's transaction. What belongs to a
        group (rounds they started or won, questions they wrote) stays, unattributed.
        """
        # Round answers first: they point at attempts.
        counts = await RoundRepository(self.session).forget_user(user_id)
        counts["mock_places"] = await MockQueueRepository(self.session).forget_user(user_id)
        counts["mock_blocks"] = await MockBlockRepository(self.session).forget_user(user_id)
        counts["mock_rounds_unattributed"] = await MockSessionRepository(self.session).forget_user(
            user_id
        )
        counts["attempts"] = await AttemptRepository(self.session).delete_for_user(user_id)
        counts["sessions"] = await SessionRepository(self.session).delete_for_user(user_id)
        counts["reviews"] = await ReviewRepository(self.session).delete_for_user(user_id)
        counts["daily_answers"] = await DailyRepository(self.session).delete_answers_of(user_id)
        counts["habits"] = await HabitsRepository(self.session).delete_for_user(user_id)
        counts["custom_questions_unattributed"] = await CustomQuestionRepository(
            self.session
        ).unattribute(user_id)
        counts["users"] = await rowcount(self.session, delete(User).where(User.id == user_id))
        await self.session.flush()
        return counts
