"""What every repository shares: the session it wraps, dialect-aware inserts, versioned saves."""

from __future__ import annotations

import enum
from typing import Any, Final, cast

from sqlalchemy import CursorResult, Select, Table, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from storage.models import Base


class Unset(enum.Enum):
    """Sentinel type: lets `guild_id=None` mean "DM scope" rather than "any scope"."""

    UNSET = "UNSET"


UNSET: Final = Unset.UNSET


def insert(session: AsyncSession, model: type[Any]) -> Any:
    """Dialect-specific INSERT so upserts use ON CONFLICT and cannot race."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)


async def rowcount(session: AsyncSession, statement: Any) -> int:
    result = cast(CursorResult[Any], await session.execute(statement))
    return result.rowcount


class Repository:
    """Wraps an AsyncSession and only flushes: the caller owns the transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _first(self, statement: Select[Any]) -> Any:
        return (await self.session.execute(statement.limit(1))).scalars().first()

    async def _all(self, statement: Select[Any]) -> list[Any]:
        return list((await self.session.execute(statement)).scalars().all())

    async def _save_versioned(
        self, row: Base, row_id: int, expected_version: int, values: dict[str, Any]
    ) -> bool:
        """Write `values` to `row` only if its stored version is still `expected_version`.

        On success the version becomes expected_version + 1 and the written values count as
        the stored state, so no second UPDATE follows. On failure an object held by this
        session is refreshed to the winner's state, discarding local edits. The UPDATE
        bypasses the unit of work on purpose: an autoflush of the object's edits would write
        them without the version check.
        """
        table = cast(Table, type(row).__table__)
        values = {**values, "version": expected_version + 1}
        with self.session.no_autoflush:
            won = (
                await rowcount(
                    self.session,
                    update(table)
                    .where(table.c.id == row_id, table.c.version == expected_version)
                    .values(**values),
                )
                == 1
            )
            if won:
                for name, value in values.items():
                    set_committed_value(row, name, value)
            elif row in self.session:
                await self.session.refresh(row)
        return won
