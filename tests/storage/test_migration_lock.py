"""Several bot processes starting at once on one empty PostgreSQL migrate it exactly once:
the advisory lock makes them queue (real processes, because the lock is per connection)."""

from __future__ import annotations

import asyncio
import os
import secrets
import sys

import asyncpg
import pytest
from alembic.script import ScriptDirectory

from storage.database import alembic_config
from tests.conftest import POSTGRES_HOST_PORT, _admin_connection

pytestmark = pytest.mark.postgres
PROCESSES = 4


async def test_simultaneous_processes_migrate_an_empty_database_once() -> None:
    name = f"interview_bot_lock_{secrets.token_hex(6)}"
    admin = await _admin_connection()
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+asyncpg://postgres@{POSTGRES_HOST_PORT}/{name}"
    try:
        env = {**os.environ, "DATABASE_URL": url}
        starts = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-c",
                "from bot.cli import main; raise SystemExit(main(['db', 'upgrade']))",
                env=env,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            for _ in range(PROCESSES)
        ]
        results = await asyncio.wait_for(
            asyncio.gather(*(p.communicate() for p in starts)), timeout=60
        )
        for process, (_, err) in zip(starts, results, strict=True):
            assert process.returncode == 0, err.decode()
        connection = await asyncpg.connect(url.replace("+asyncpg", ""), timeout=5)
        try:
            versions = await connection.fetch("SELECT version_num FROM alembic_version")
        finally:
            await connection.close()
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert [row["version_num"] for row in versions] == [head]
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
