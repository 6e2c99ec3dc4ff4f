"""Database lifecycle: failures a deployer can cause must read as one line, not a trace."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text

from storage import Attempt, Database, StorageError, UserRepository
from storage.config import sqlite_url


def _assert_one_line(error: StorageError) -> str:
    message = str(error)
    assert message
    assert "\n" not in message
    assert "Traceback" not in message
    return message


async def test_sqlite_pragmas_apply_to_every_connection(tmp_path: Path) -> None:
    db = Database(sqlite_url(tmp_path / "interview.db"))
    # Hold two connections at once so the pool must open a second one.
    async with db, db.engine.connect() as first, db.engine.connect() as second:
        for conn in (first, second):
            pragmas = {
                name: (await conn.exec_driver_sql(f"PRAGMA {name}")).scalar_one()
                for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
            }
            # synchronous=NORMAL reads back as 1.
            assert pragmas == {
                "journal_mode": "wal",
                "foreign_keys": 1,
                "busy_timeout": 5000,
                "synchronous": 1,
            }


async def test_a_missing_directory_is_an_error_naming_it_and_nothing_is_created(
    tmp_path: Path,
) -> None:
    path = tmp_path / "typo" / "b" / "interview.db"
    with pytest.raises(StorageError) as caught:
        await Database(sqlite_url(path)).open()
    assert _assert_one_line(caught.value) == (
        f"cannot open the database at {path}: the directory {path.parent} does not exist"
    )
    assert os.listdir(tmp_path) == []
    explicit = {"DATABASE_URL": sqlite_url(path), "INTERVIEW_BOT_HOME": str(tmp_path / "home")}
    with pytest.raises(StorageError):
        await Database.from_environment(explicit).open()
    assert os.listdir(tmp_path) == []


async def test_the_default_location_is_created_on_first_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home" / "sub"
    async with Database.from_environment({"INTERVIEW_BOT_HOME": str(home)}):
        pass
    assert (home / "interview.db").is_file()

    data_dir = tmp_path / "user-data" / "interview-bot"
    monkeypatch.setattr("storage.config.platformdirs.user_data_dir", lambda _app: str(data_dir))
    async with Database.from_environment({"DATABASE_URL": " "}):
        pass
    assert (data_dir / "interview.db").is_file()


@pytest.mark.parametrize("below", ["interview.db", "sub/dir/interview.db"])
async def test_path_below_a_regular_file_is_a_storage_error(tmp_path: Path, below: str) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    with pytest.raises(StorageError) as caught:
        await Database(sqlite_url(blocker / below)).open()
    message = _assert_one_line(caught.value)
    assert str(blocker / below) in message
    assert f"{blocker} is a file, not a directory" in message


async def test_directory_as_database_path_is_a_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError) as caught:
        await Database(sqlite_url(tmp_path)).open()
    assert "unable to open database file" in _assert_one_line(caught.value)


async def test_read_only_database_is_refused_at_open(tmp_path: Path) -> None:
    path = tmp_path / "interview.db"
    async with Database(sqlite_url(path)):
        pass
    # Root ignores file modes, so ask SQLite itself for a read-only handle.
    with pytest.raises(StorageError) as caught:
        await Database(f"sqlite:///file:{path}?mode=ro&uri=true").open()
    assert "readonly" in _assert_one_line(caught.value)


async def test_file_that_is_not_a_database_is_a_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "interview.db"
    path.write_bytes(b"definitely not sqlite " * 300)
    with pytest.raises(StorageError) as caught:
        await Database(sqlite_url(path)).open()
    assert "file is not a database" in _assert_one_line(caught.value)


async def test_unreachable_postgres_is_a_storage_error() -> None:
    db = Database("postgresql://postgres:hunter2@127.0.0.1:1/test")
    with pytest.raises(StorageError) as caught:
        await db.open()
    message = _assert_one_line(caught.value)
    assert message == "cannot reach PostgreSQL at 127.0.0.1:1: connection refused"
    assert not db.is_open


@pytest.mark.postgres
async def test_unknown_postgres_database_is_a_storage_error(_postgres_session_url: str) -> None:
    with pytest.raises(StorageError) as caught:
        await Database("postgresql://postgres@127.0.0.1:5432/no_such_interview_db").open()
    message = _assert_one_line(caught.value)
    assert "127.0.0.1:5432" in message
    assert 'database "no_such_interview_db" does not exist' in message


async def test_open_twice_and_reopen_are_harmless(database: Database) -> None:
    engine = database.engine
    await database.open()
    await database.upgrade()
    assert database.engine is engine
    async with Database(database.url) as again, again.session() as session:
        assert (await session.execute(text("SELECT 1"))).scalar_one() == 1


async def test_close_is_idempotent_and_session_needs_open(database_url: str) -> None:
    db = Database(database_url)
    with pytest.raises(RuntimeError):
        db.session()
    async with db:
        assert db.is_open
    assert not db.is_open
    await db.close()
    with pytest.raises(RuntimeError):
        _ = db.engine


async def test_committed_attempt_survives_a_new_database_instance(database_url: str) -> None:
    submitted = datetime(2025, 3, 1, 12, 30, tzinfo=UTC)
    async with Database(database_url) as writer, writer.session() as session, session.begin():
        user = await UserRepository(session).get_or_create_local("durable")
        session.add(
            Attempt(
                user_id=user.id,
                question_id="q-1",
                topic="databases",
                pack_id="core",
                pack_version="1.0.0",
                answer="an answer",
                score=80,
                band="strong",
                started_at=submitted,
                submitted_at=submitted,
            )
        )

    async with Database(database_url) as reader, reader.session() as session:
        attempts = (await session.execute(select(Attempt))).scalars().all()
        assert [(a.question_id, a.score, a.submitted_at) for a in attempts] == [
            ("q-1", 80, submitted)
        ]
