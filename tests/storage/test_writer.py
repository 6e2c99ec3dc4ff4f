"""The group-commit writer on real databases: batching, one outcome per caller, replay."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from storage import hotpath
from storage.database import Database
from storage.writer import BatchWriter, WriterClosed

USERS = hotpath.USERS


class Recorder:
    """Inserts one local user per item, in one multi-row statement; refuses names "no-*"."""

    def __init__(self) -> None:
        self.batches: list[list[str | None]] = []

    async def write(self, connection: AsyncConnection, names: list[str | None]) -> list[Any]:
        self.batches.append(list(names))
        await hotpath.begin_write(connection)
        outcomes: list[Any] = []
        rows = []
        for name in names:
            if name is not None and name.startswith("no-"):
                outcomes.append(ValueError(f"refused {name}"))
            else:
                rows.append({"local_name": name, "display_name": name})
                outcomes.append(name)
        if rows:
            await connection.execute(USERS.insert(), rows)
        await connection.commit()
        return outcomes


async def stored(database: Database) -> list[str]:
    async with database.engine.connect() as connection:
        rows = await connection.execute(select(USERS.c.local_name).order_by(USERS.c.local_name))
        return [row[0] for row in rows]


async def test_answers_arriving_together_share_one_commit(database: Database) -> None:
    recorder = Recorder()
    names = [f"user-{i:02}" for i in range(30)]
    results = await asyncio.gather(*(database.writer.submit(recorder.write, n) for n in names))
    assert results == names
    assert await stored(database) == names
    assert len(recorder.batches) < len(names)  # grouped, not one transaction each
    assert max(len(batch) for batch in recorder.batches) > 1


async def test_a_refused_item_fails_alone(database: Database) -> None:
    recorder = Recorder()
    names = ["a", "no-b", "c"]
    results = await asyncio.gather(
        *(database.writer.submit(recorder.write, n) for n in names), return_exceptions=True
    )
    assert results[0] == "a" and results[2] == "c"
    assert isinstance(results[1], ValueError)
    assert await stored(database) == ["a", "c"]


async def test_a_bad_row_fails_alone_after_the_batch_is_replayed(database: Database) -> None:
    """A NOT NULL violation sinks the multi-row insert; each item is then written alone."""
    recorder = Recorder()
    names: list[str | None] = ["x", None, "y", "z"]
    results = await asyncio.gather(
        *(database.writer.submit(recorder.write, n) for n in names), return_exceptions=True
    )
    assert [r for r in results if not isinstance(r, BaseException)] == ["x", "y", "z"]
    assert isinstance(results[1], IntegrityError)
    assert await stored(database) == ["x", "y", "z"]
    assert len(recorder.batches[0]) == 4  # the whole batch was tried first


async def test_an_answer_is_acknowledged_only_once_committed(database: Database) -> None:
    seen: list[int] = []

    async def write(connection: AsyncConnection, names: list[str]) -> list[str]:
        await hotpath.begin_write(connection)
        await connection.execute(
            USERS.insert(), [{"local_name": n, "display_name": n} for n in names]
        )
        await connection.commit()
        return names

    async def count_after(name: str) -> None:
        await database.writer.submit(write, name)
        async with database.engine.connect() as other:  # a different connection sees it
            total = (await other.execute(select(func.count()).select_from(USERS))).scalar_one()
            seen.append(int(total))

    await asyncio.gather(*(count_after(f"n{i}") for i in range(5)))
    assert all(count >= 1 for count in seen)
    assert len(await stored(database)) == 5


async def test_close_finishes_the_queue_then_refuses(database_url: str) -> None:
    database = Database(database_url)
    await database.open()
    recorder = Recorder()
    pending = [
        asyncio.ensure_future(database.writer.submit(recorder.write, f"q{i}")) for i in range(5)
    ]
    await asyncio.sleep(0)
    await database.close()
    assert [await task for task in pending] == [f"q{i}" for i in range(5)]
    with pytest.raises(WriterClosed):
        await database.writer.submit(recorder.write, "late")


async def test_the_batch_size_is_bounded(database: Database) -> None:
    writer = BatchWriter(lambda: database.engine, max_batch=4)
    recorder = Recorder()
    try:
        await asyncio.gather(*(writer.submit(recorder.write, f"b{i}") for i in range(10)))
    finally:
        await writer.close()
    assert max(len(batch) for batch in recorder.batches) == 4
    assert len(await stored(database)) == 10
