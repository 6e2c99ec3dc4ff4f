"""Database fixtures: any test that takes `database_url` or `database` runs on SQLite and on
PostgreSQL, because the bot ships with SQLite but production may run PostgreSQL.

PostgreSQL gets one throw-away database per test session, migrated once and truncated
before each test; SQLite gets a fresh file per test, copied from a template migrated once.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import NoReturn

import asyncpg
import pytest

from storage.config import sqlite_url
from storage.database import Database

# The fake Discord server's fixtures (`fake_discord`, `discord_error_guard`), for e2e tests.
pytest_plugins = ["tests.fake_discord.pytest_plugin"]

POSTGRES_HOST_PORT = "127.0.0.1:5432"
POSTGRES_ADMIN_DSN = f"postgresql://postgres@{POSTGRES_HOST_PORT}/test"
KEPT_TABLES = ("alembic_version",)  # truncating it would make the next open() re-migrate


def _postgres_unavailable(exc: BaseException) -> NoReturn:
    """Skip locally, but fail under CI: a silently skipped backend is an untested backend."""
    message = (
        f"PostgreSQL is not reachable at {POSTGRES_HOST_PORT} ({type(exc).__name__}: {exc}). "
        "Start it with `bash .ci/ensure-postgres` (or `pg_ctlcluster 15 main start`); it "
        "must accept user `postgres` with trust auth and have a database `test`."
    )
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"{message} CI=true, so this is a failure, not a skip.", pytrace=False)
    pytest.skip(message)


async def _admin_connection() -> asyncpg.Connection:
    try:
        return await asyncpg.connect(POSTGRES_ADMIN_DSN, timeout=5)
    except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
        error = exc
    _postgres_unavailable(error)  # outside `except`, so the report shows no chained trace


@pytest.fixture(scope="session")
async def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file; copying it is much faster than migrating per test."""
    path = tmp_path_factory.mktemp("sqlite-template") / "interview.db"
    async with Database(sqlite_url(path)):
        pass
    return path


@pytest.fixture(scope="session")
async def _postgres_session_url() -> AsyncIterator[str]:
    """A migrated PostgreSQL database that exists only for this test session."""
    name = f"interview_bot_test_{secrets.token_hex(6)}"
    admin = await _admin_connection()
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    url = f"postgresql+asyncpg://postgres@{POSTGRES_HOST_PORT}/{name}"
    try:
        async with Database(url):
            pass
        yield url
    finally:
        admin = await _admin_connection()
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@pytest.fixture
async def _postgres_clean_url(_postgres_session_url: str) -> str:
    """The session's PostgreSQL database, emptied so each test starts from nothing."""
    connection = await asyncpg.connect(_postgres_session_url.replace("+asyncpg", ""), timeout=5)
    try:
        tables = await connection.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND NOT tablename = ANY($1::text[])",
            list(KEPT_TABLES),
        )
        if tables:
            names = ", ".join(f'"{row["tablename"]}"' for row in tables)
            await connection.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    finally:
        await connection.close()
    return _postgres_session_url


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database URL; the test runs once per backend."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("_sqlite_template")
        path = tmp_path / "interview.db"
        shutil.copyfile(template, path)
        return sqlite_url(path)
    return request.getfixturevalue("_postgres_clean_url")


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    """An opened Database on `database_url`, closed after the test."""
    db = Database(database_url)
    await db.open()
    try:
        yield db
    finally:
        await db.close()
