"""`run --metrics-port`: /metrics and /healthz scraped over loopback from a running bot."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
from pathlib import Path

import aiohttp

from bot.config import BotSettings
from bot.discord.runner import build_bot, serve, start_metrics
from bot.engine.interview import InterviewService
from bot.engine.shards import ShardPlan
from bot.observability import LOG_FORMAT, ContextFilter, log_context
from questions.loader import default_bank
from storage.config import sqlite_url
from storage.database import Database
from tests.fake_discord import FakeDiscord
from tests.fake_discord.logguard import ErrorLogGuard
from tests.fake_discord.runner import run_bot


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.text()


async def wait_healthy(base: str, within: float = 10.0) -> str:
    deadline = asyncio.get_running_loop().time() + within
    while True:
        try:
            status, body = await get(f"{base}/healthz")
        except aiohttp.ClientConnectionError:
            status, body = 0, "not listening"
        if status == 200:
            return body
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"never healthy: {status} {body}")
        await asyncio.sleep(0.05)


async def test_metrics_and_health_of_a_running_bot(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    path, port = tmp_path / "bot.db", free_port()
    base = f"http://127.0.0.1:{port}"
    settings = BotSettings(token="fake-bot-token", database_url=sqlite_url(path), metrics_port=port)
    with fake_discord.patch_discord():
        task = asyncio.create_task(serve(settings))
        try:
            assert await wait_healthy(base) == "ok\n"
            status, before = await get(f"{base}/metrics")
            assert status == 200
            assert 'interview_gateway_latency_seconds{shard="0"}' in before
            assert "interview_open_sessions 0.0" in before
            # The gateway goes: the health check says so.
            await fake_discord.gateway.close_all(code=4000)
            status, body = await get(f"{base}/healthz")
            assert status == 503 and "gateway" in body
        finally:
            os.kill(os.getpid(), signal.SIGTERM)
            await asyncio.wait_for(task, timeout=10)
    assert task.exception() is None


async def test_answers_and_errors_are_counted(
    fake_discord: FakeDiscord, discord_error_guard: ErrorLogGuard, tmp_path: Path
) -> None:
    database = Database(sqlite_url(tmp_path / "bot.db"))
    await database.open()
    settings = BotSettings(token="t", database_url=database.url, metrics_port=free_port())
    bot = build_bot(settings, database)
    health = await start_metrics(settings, bot, database)
    assert health is not None
    base = f"http://127.0.0.1:{health.port}"
    try:
        status, body = await get(f"{base}/healthz")
        assert status == 503 and "not connected" in body  # before the bot has logged in
        async with run_bot(fake_discord, bot):
            assert await wait_healthy(base) == "ok\n"
            service = InterviewService(database, default_bank())
            user = await service.local_user("metrics")
            view = await service.start(user, count=1)
            await service.submit(view.session_id, user, "an answer", expected_position=0)
            discord_error_guard.expect("boom")
            logging.getLogger("bot.test").error("boom", exc_info=ValueError("x"))
            _, text = await get(f"{base}/metrics")
            assert 'interview_answers_scored_total{kind="solo"} 1.0' in text
            assert 'interview_write_batch_size_count{kind="solo"} 1.0' in text
            assert 'interview_submit_latency_seconds_count{kind="solo"} 1.0' in text
            assert 'interview_errors_total{kind="ValueError"} 1.0' in text
            assert "interview_open_sessions 0.0" in text  # the one-question session ended
        await database.close()
        status, body = await get(f"{base}/healthz")
        assert status == 503 and "database does not answer" in body
    finally:
        await health.close()
        await database.close()


def test_log_lines_name_shard_guild_and_reference() -> None:
    record = logging.LogRecord("bot", logging.INFO, __file__, 1, "hello", None, None)
    formatter = logging.Formatter(LOG_FORMAT)
    context = ContextFilter(ShardPlan(2, (1,)))
    guild = (3 << 22) | 5  # shard 1 of 2
    with log_context(guild, "round:7"):
        context.filter(record)
    assert f"[shard=1 guild={guild} ref=round:7]: hello" in formatter.format(record)
    context.filter(record)  # outside any interaction or round: the process's own shards
    assert "[shard=1 guild=- ref=-]" in formatter.format(record)
