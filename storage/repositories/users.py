"""Users: created on first contact (terminal name or Discord account), erased on request."""

from __future__ import annotations

from typing import cast

from sqlalchemy import delete, select, update

from storage.models import (
    Attempt,
    CustomQuestion,
    InterviewSession,
    ReviewSchedule,
    Round,
    RoundAnswer,
    RoundParticipant,
    User,
    utcnow,
)
from storage.repositories.base import Repository, insert, rowcount


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

        Custom questions they wrote belong to the guild, so they stay, unattributed.
        """
        # Rounds they started or won belong to the group: they stay, unattributed. Explicit
        # for the same reason as the custom questions below.
        await self.session.execute(
            update(Round).where(Round.starter_user_id == user_id).values(starter_user_id=None)
        )
        await self.session.execute(
            update(Round).where(Round.winner_user_id == user_id).values(winner_user_id=None)
        )
        # Round answers before attempts: they point at them.
        counts = {
            "round_answers": await rowcount(
                self.session, delete(RoundAnswer).where(RoundAnswer.user_id == user_id)
            ),
            "round_participations": await rowcount(
                self.session,
                delete(RoundParticipant).where(RoundParticipant.user_id == user_id),
            ),
            "attempts": await rowcount(
                self.session, delete(Attempt).where(Attempt.user_id == user_id)
            ),
            "sessions": await rowcount(
                self.session, delete(InterviewSession).where(InterviewSession.user_id == user_id)
            ),
            "reviews": await rowcount(
                self.session, delete(ReviewSchedule).where(ReviewSchedule.user_id == user_id)
            ),
            # Explicit rather than trusting ON DELETE SET NULL, which SQLite only honours
            # when foreign_keys is on for that connection.
            "custom_questions_unattributed": await rowcount(
                self.session,
                update(CustomQuestion)
                .where(CustomQuestion.created_by == user_id)
                .values(created_by=None),
            ),
            "users": await rowcount(self.session, delete(User).where(User.id == user_id)),
        }
        await self.session.flush()
        return counts
