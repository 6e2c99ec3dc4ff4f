"""`interview-bot run`'s lifecycle against the fake Discord: rejected token, clean SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest

from bot.config import BotSettings, ConfigError
from bot.discord.runner import serve
from storage.config import sqlite_url
from storage.database import Database
from tests.fake_discord import FakeDiscord


def settings_for(path: Path) -> BotSettings:
    return BotSettings(token="fake-bot-token", database_url=sqlite_url(path))


async def test_a_rejected_token_is_one_clear_error(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    fake_discord.reject_token = True
    with fake_discord.patch_discord(), pytest.raises(ConfigError, match="rejected DISCORD_TOKEN"):
        await serve(settings_for(tmp_path / "bot.db"))


async def test_sigterm_stops_cleanly_and_keeps_the_database(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    path = tmp_path / "bot.db"
    with fake_discord.patch_discord():
        task = asyncio.create_task(serve(settings_for(path)))
        await fake_discord.wait_for_commands("interview", timeout=10)
        await fake_discord.wait_for_gateway(timeout=10)
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(task, timeout=10)
    assert task.exception() is None
    # The database was closed and is intact: it opens again, already migrated.
    async with Database(sqlite_url(path)) as database:
        assert database.is_open
    # The signal handlers were removed again: the default SIGTERM handling is back.
    assert signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None)
