"""`run` with SHARD_COUNT: discord.py's sharded client, one IDENTIFY per shard."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

from bot.config import BotSettings
from bot.discord.client import InterviewBot, ShardedInterviewBot
from bot.discord.runner import build_bot, serve
from bot.engine.shards import ShardPlan
from storage.config import sqlite_url
from storage.database import Database
from tests.fake_discord import FakeDiscord


def test_the_plain_client_unless_sharding_is_asked_for(tmp_path: Path) -> None:
    database = Database(sqlite_url(tmp_path / "bot.db"))
    plain = build_bot(BotSettings(token="t", database_url=database.url), database)
    assert type(plain) is InterviewBot and plain.owns_guild(None)
    sharded = build_bot(
        BotSettings(token="t", database_url=database.url, shards=ShardPlan(4, (1, 3))), database
    )
    assert isinstance(sharded, ShardedInterviewBot)
    assert (sharded.shard_count, sharded.shard_ids) == (4, [1, 3])
    assert sharded.owns_guild((5 << 22) | 9) and not sharded.owns_guild(None)


async def test_every_shard_identifies_with_its_number(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    settings = BotSettings(
        token="fake-bot-token",
        database_url=sqlite_url(tmp_path / "bot.db"),
        shards=ShardPlan(2),
    )
    with fake_discord.patch_discord():
        task = asyncio.create_task(serve(settings))
        await fake_discord.wait_for_commands("interview", timeout=10)
        # discord.py spaces IDENTIFYs 5 s apart, as Discord's rate limit asks.
        await fake_discord.notifier.wait_until(
            lambda: fake_discord.gateway.identify_count == 2 or None,
            timeout=15,
            describe=lambda: "the second shard's IDENTIFY",
        )
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(task, timeout=10)
    assert task.exception() is None
    identifies = [p["d"] for p in fake_discord.gateway.received if p.get("op") == 2]
    assert sorted(tuple(d["shard"]) for d in identifies) == [(0, 2), (1, 2)]
