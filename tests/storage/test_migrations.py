"""The migration must build exactly the schema the models describe, on both backends."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

import storage.database
from storage import Base, Database
from storage.config import sqlite_url
from storage.database import MIGRATIONS_DIR, alembic_config

REPO_ROOT = Path(__file__).resolve().parents[2]
EXPECTED_TABLES = {
    "alembic_version",
    "users",
    "guilds",
    "custom_questions",
    "interview_sessions",
    "attempts",
    "review_schedule",
    "rounds",
    "round_participants",
    "round_answers",
    "daily_schedules",
    "daily_posts",
    "daily_answers",
    "user_habits",
    "mock_sessions",
    "mock_rounds",
    "mock_members",
    "mock_blocks",
}
HEAD = "0005"


def _table_names(conn: Connection) -> set[str]:
    return set(inspect(conn).get_table_names())


def _schema_diff(conn: Connection) -> list[object]:
    context = MigrationContext.configure(conn, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


def _current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


async def test_open_migrates_an_empty_sqlite_file(tmp_path: Path) -> None:
    async with Database(sqlite_url(tmp_path / "fresh.db")) as db, db.engine.connect() as conn:
        assert await conn.run_sync(_table_names) == EXPECTED_TABLES
        assert await conn.run_sync(_current_revision) == HEAD


async def test_every_table_exists_at_head(database: Database) -> None:
    async with database.engine.connect() as conn:
        assert await conn.run_sync(_table_names) == EXPECTED_TABLES
        assert await conn.run_sync(_current_revision) == HEAD


async def test_models_match_the_migrated_schema(database: Database) -> None:
    async with database.engine.connect() as conn:
        assert await conn.run_sync(_schema_diff) == []


async def test_downgrade_then_upgrade_round_trips(database: Database) -> None:
    def downgrade(conn: Connection) -> None:
        command.downgrade(alembic_config(conn), "base")

    try:
        async with database.engine.begin() as conn:
            await conn.run_sync(downgrade)
        async with database.engine.connect() as conn:
            assert await conn.run_sync(_table_names) == {"alembic_version"}
    finally:
        await database.upgrade()
    async with database.engine.connect() as conn:
        assert await conn.run_sync(_schema_diff) == []


async def test_upgrade_to_rounds_keeps_existing_history(database: Database) -> None:
    """0002 rebuilds `attempts` on SQLite (batch mode): every row must survive it."""

    def downgrade(conn: Connection) -> None:
        command.downgrade(alembic_config(conn), "0001")

    try:
        async with database.engine.begin() as conn:
            await conn.run_sync(downgrade)
            await conn.execute(
                text(
                    "INSERT INTO users (id, local_name, display_name, created_at) "
                    "VALUES (7, 'ana', 'ana', CURRENT_TIMESTAMP)"
                )
            )
            await conn.execute(
                text(
                    "INSERT INTO attempts (id, user_id, question_id, topic, pack_id, "
                    "pack_version, answer, score, band, concept_results, misconceptions, "
                    "hints_used, started_at, submitted_at) VALUES (3, 7, 'q', 't', 'p', '1', "
                    "'because', 61, 'good', '[]', '[]', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
    finally:
        await database.upgrade()
    async with database.engine.connect() as conn:
        assert await conn.run_sync(_current_revision) == HEAD
        rows = (await conn.execute(text("SELECT id, user_id, score, round_id FROM attempts"))).all()
        assert [tuple(row) for row in rows] == [(3, 7, 61, None)]
        assert await conn.run_sync(_schema_diff) == []


async def test_rounds_from_before_0005_count_as_announced(database: Database) -> None:
    """Rounds that existed before the announcement columns must not be announced again."""

    def downgrade(conn: Connection) -> None:
        command.downgrade(alembic_config(conn), "0004")

    try:
        async with database.engine.begin() as conn:
            await conn.run_sync(downgrade)
            await conn.execute(
                text(
                    "INSERT INTO guilds (id, name, settings, created_at) "
                    "VALUES (5, 'g', '{}', CURRENT_TIMESTAMP)"
                )
            )
            for id_, status, position in ((1, "finished", 3), (2, "running", 1), (3, "lobby", 0)):
                await conn.execute(
                    text(
                        "INSERT INTO rounds (id, guild_id, channel_id, status, filters, "
                        "question_ids, position, seconds, lobby_seconds, lobby_deadline, version, "
                        "created_at) VALUES (:id, 5, :channel, :status, '{}', :questions, "
                        ":position, 60, 30, CURRENT_TIMESTAMP, 0, CURRENT_TIMESTAMP)"
                    ),
                    {
                        "id": id_,
                        "channel": 10 + id_,
                        "status": status,
                        "position": position,
                        "questions": '["a", "b", "c"]',
                    },
                )
    finally:
        await database.upgrade()
    async with database.engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT id, revealed, standings_posted FROM rounds ORDER BY id")
        )
        assert [(i, r, bool(p)) for i, r, p in rows] == [(1, 3, True), (2, 1, False), (3, 0, False)]


def test_developer_alembic_ini_works(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["INTERVIEW_BOT_HOME"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "alembic", "-c", "storage/alembic.ini", "upgrade", "head"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "interview.db").is_file()
    assert "Running upgrade  -> 0001" in result.stderr
    assert "Running upgrade 0001 -> 0002" in result.stderr
    assert "Running upgrade 0002 -> 0003" in result.stderr
    assert "Running upgrade 0003 -> 0004" in result.stderr
    assert "Running upgrade 0004 -> 0005" in result.stderr


FAILING_REVISION = '''
"""Test-only revision: records the FK pragma it ran under, half-migrates, then fails."""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    fks = op.get_bind().exec_driver_sql("PRAGMA foreign_keys").scalar_one()
    op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))
    raise RuntimeError(f"boom (foreign_keys={fks})")


def downgrade() -> None:
    pass
'''


async def test_failed_sqlite_migration_rolls_back_whole_with_fks_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = sqlite_url(tmp_path / "interview.db")
    async with Database(url):
        pass
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9999_fails.py").write_text(FAILING_REVISION)
    monkeypatch.setattr(storage.database, "MIGRATIONS_DIR", scripts)

    # Foreign keys must be off, or a batch rebuild of `users` would cascade-delete history.
    with pytest.raises(RuntimeError, match=r"foreign_keys=0"):
        await Database(url).open()

    monkeypatch.undo()
    async with Database(url) as db, db.engine.connect() as conn:
        assert await conn.run_sync(_table_names) == EXPECTED_TABLES
        assert await conn.run_sync(_current_revision) == HEAD


async def test_simultaneous_first_opens_do_not_race(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "interview.db")
    databases = [Database(url) for _ in range(3)]
    try:
        await asyncio.gather(*(db.open() for db in databases))
        async with databases[0].engine.connect() as conn:
            assert await conn.run_sync(_current_revision) == HEAD
    finally:
        for db in databases:
            await db.close()
