"""Pairs of members the mock-interview queue must not match again, per server."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from sqlalchemy import delete, or_, select, update

from storage.mock_models import MockBlock
from storage.repositories.base import Repository, insert, rowcount

REPORTED: Final = "reported"
NOT_USEFUL: Final = "not_useful"


def ordered(first: int, second: int) -> tuple[int, int]:
    return (first, second) if first < second else (second, first)


class MockBlockRepository(Repository):
    async def block(
        self, guild_id: int, first: int, second: int, reason: str, now: datetime
    ) -> None:
        """Remember the pair; a report outranks "not useful" and is never downgraded."""
        low, high = ordered(first, second)
        await self.session.execute(
            insert(self.session, MockBlock)
            .values(guild_id=guild_id, user_low=low, user_high=high, reason=reason, created_at=now)
            .on_conflict_do_nothing(
                index_elements=[MockBlock.guild_id, MockBlock.user_low, MockBlock.user_high]
            )
        )
        if reason == REPORTED:
            await self.session.execute(
                update(MockBlock)
                .where(
                    MockBlock.guild_id == guild_id,
                    MockBlock.user_low == low,
                    MockBlock.user_high == high,
                )
                .values(reason=REPORTED)
            )

    async def unblock_not_useful(self, guild_id: int, first: int, second: int) -> bool:
        """Take back a "not useful" vote's block; a report stays."""
        low, high = ordered(first, second)
        statement = delete(MockBlock).where(
            MockBlock.guild_id == guild_id,
            MockBlock.user_low == low,
            MockBlock.user_high == high,
            MockBlock.reason == NOT_USEFUL,
        )
        return await rowcount(self.session, statement) == 1

    async def reason(self, guild_id: int, first: int, second: int) -> str | None:
        low, high = ordered(first, second)
        row = await self._first(
            select(MockBlock).where(
                MockBlock.guild_id == guild_id,
                MockBlock.user_low == low,
                MockBlock.user_high == high,
            )
        )
        return row.reason if row is not None else None

    async def partners_of(self, guild_id: int, user_id: int) -> set[int]:
        """Everyone this member must not be matched with in this server."""
        rows = await self._all(
            select(MockBlock).where(
                MockBlock.guild_id == guild_id,
                or_(MockBlock.user_low == user_id, MockBlock.user_high == user_id),
            )
        )
        return {row.user_high if row.user_low == user_id else row.user_low for row in rows}

    async def forget_user(self, user_id: int) -> int:
        statement = delete(MockBlock).where(
            or_(MockBlock.user_low == user_id, MockBlock.user_high == user_id)
        )
        return await rowcount(self.session, statement)
