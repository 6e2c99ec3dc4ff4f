"""Members' habits: their time zone, review reminders and recap opt-in, one row per user."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import date
from typing import Any, cast

from sqlalchemy import delete, select, update

from storage.habit_models import UserHabits
from storage.models import User, utcnow
from storage.repositories.base import Repository, insert, rowcount


class HabitsRepository(Repository):
    async def get(self, user_id: int) -> UserHabits | None:
        return await self._first(
            select(UserHabits)
            .where(UserHabits.user_id == user_id)
            .execution_options(populate_existing=True)
        )

    async def ensure(self, user_id: int) -> UserHabits:
        """The member's row, created with the defaults on first use (safe under concurrency)."""
        await self.session.execute(
            insert(self.session, UserHabits)
            .values(
                user_id=user_id,
                remind=False,
                remind_time="18:00",
                daily_names=False,
                version=0,
                updated_at=utcnow(),
            )
            .on_conflict_do_nothing(index_elements=[UserHabits.user_id])
        )
        return cast(UserHabits, await self.get(user_id))

    async def change(self, user_id: int, **values: Any) -> UserHabits:
        """Set the given fields (creating the row first); every change bumps the version."""
        await self.ensure(user_id)
        await self.session.execute(
            update(UserHabits)
            .where(UserHabits.user_id == user_id)
            .values(**values, updated_at=utcnow(), version=UserHabits.version + 1)
        )
        return cast(UserHabits, await self.get(user_id))

    async def with_reminders(self) -> builtins.list[tuple[UserHabits, int]]:
        """Members with reminders on, each with their Discord id (reminders are DMs)."""
        statement = (
            select(UserHabits, User.discord_id)
            .join(User, User.id == UserHabits.user_id)
            .where(UserHabits.remind.is_(True), User.discord_id.is_not(None))
            .order_by(UserHabits.user_id)
            .execution_options(populate_existing=True)
        )
        rows = (await self.session.execute(statement)).all()
        return [(row[0], int(row[1] or 0)) for row in rows]

    async def claim_reminder_day(self, user_id: int, day: date, expected_version: int) -> bool:
        """Mark `day` as handled, only if nothing changed since the row was read."""
        statement = (
            update(UserHabits)
            .where(
                UserHabits.user_id == user_id,
                UserHabits.version == expected_version,
                UserHabits.remind.is_(True),
            )
            .values(last_reminded_day=day, version=expected_version + 1)
        )
        return await rowcount(self.session, statement) == 1

    async def timezones(self, user_ids: Iterable[int]) -> dict[int, str]:
        """The time zones members chose; members without one are left out (UTC)."""
        ids = list(set(user_ids))
        if not ids:
            return {}
        statement = select(UserHabits.user_id, UserHabits.timezone).where(
            UserHabits.user_id.in_(ids), UserHabits.timezone.is_not(None)
        )
        rows = (await self.session.execute(statement)).all()
        return {row[0]: str(row[1]) for row in rows}

    async def delete_for_user(self, user_id: int) -> int:
        return await rowcount(self.session, delete(UserHabits).where(UserHabits.user_id == user_id))
