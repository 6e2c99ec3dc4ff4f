"""Two bot processes, one per shard, on one PostgreSQL, against the fake Discord.

A solo interview runs in the guild on shard 0 and a round in the guild on shard 1. The round's
process is killed (SIGKILL) mid-question and started again: the round finishes exactly once
with every acknowledged answer stored, and neither process touched the other's guild.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from bot.discord.permissions import REQUIRED_PERMISSIONS
from tests.fake_discord import FakeChannel, FakeDiscord, FakeGuild
from tests.fake_discord.models import FakeUser

from .conftest import GOOD_AUTH_ANSWER, World
from .interview.test_e2e import answer, button_id, start_in_thread
from .rounds.test_e2e import good_answer, join, next_question, open_round, reveal_of, submit

pytestmark = pytest.mark.postgres
ANSWER_COOLDOWN = 3.1  # bot/discord/client.py: one answer per 3 seconds, plus a margin
START_TIMEOUT = 30.0
ROOT = Path(__file__).parents[3]


class BotProcess:
    """`interview-bot run` for one shard, its log lines kept for assertions and failures."""

    def __init__(self, fake: FakeDiscord, shard: int, database_url: str, home: Path) -> None:
        self.fake, self.shard, self.home = fake, shard, home
        self.token = f"fake-bot-token-shard{shard}"
        self.env = {
            **os.environ,
            "DISCORD_TOKEN": self.token,
            "DATABASE_URL": database_url,
            "SHARD_COUNT": "2",
            "SHARD_IDS": str(shard),
            "INTERVIEW_SEMANTIC": "off",
            "INTERVIEW_BOT_HOME": str(home),
            "PYTHONPATH": str(ROOT),
        }
        self.lines: list[str] = []
        self.process: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.lines.append("--- start ---")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.fake_discord.process",
            self.fake.api_base,
            self.fake.gateway_url,
            cwd=self.home,
            env=self.env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        self._reader = asyncio.create_task(self._read(self.process))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + START_TIMEOUT
        mark = len(self.lines)
        while not any(" ready as " in line for line in self.lines[mark:]):
            if self.process.returncode is not None or loop.time() > deadline:
                raise AssertionError(f"shard {self.shard} did not start:\n{self.log}")
            await asyncio.sleep(0.05)

    async def _read(self, process: asyncio.subprocess.Process) -> None:
        assert process.stderr is not None
        async for raw in process.stderr:
            self.lines.append(raw.decode(errors="replace").rstrip())

    @property
    def log(self) -> str:
        return "\n".join(self.lines)

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()
        if self._reader is not None:
            await self._reader

    async def stop(self) -> None:
        if self.process is None or self.process.returncode is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.process.wait(), timeout=15)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
        if self._reader is not None:
            await self._reader


@contextlib.asynccontextmanager
async def bot_processes(
    fake: FakeDiscord, database_url: str, home: Path
) -> AsyncIterator[tuple[BotProcess, BotProcess]]:
    bots = (BotProcess(fake, 0, database_url, home), BotProcess(fake, 1, database_url, home))
    try:
        await asyncio.gather(*(bot.start() for bot in bots))
        yield bots
    finally:
        for bot in bots:
            await bot.stop()


def world_on(fake: FakeDiscord, guild: FakeGuild, users: dict[str, FakeUser]) -> World:
    general = guild.channel_named("general")
    alice, bob = users["alice"], users["bob"]
    return World(fake, guild, general, alice, bob, alice, guild, general)


async def new_thread(fake: FakeDiscord, before: int) -> FakeChannel:
    await fake.notifier.wait_until(
        lambda: len(fake.threads_created) > before or None, timeout=10, describe=lambda: "thread"
    )
    return fake.threads_created[-1].thread


def channels_of(fake: FakeDiscord, guild: FakeGuild) -> set[int]:
    return {c.id for c in fake.channels.values() if c.guild_id == guild.id}


async def test_two_shards_a_killed_round_process_and_exactly_once(
    fake_discord: FakeDiscord, _postgres_clean_url: str, tmp_path: Path
) -> None:
    fake = fake_discord
    fake.interaction_timeout = None  # a process just restarted answers in its own time
    zero = fake.create_guild("Shard zero", bot_permissions=REQUIRED_PERMISSIONS, shard=(0, 2))
    one = fake.create_guild("Shard one", bot_permissions=REQUIRED_PERMISSIONS, shard=(1, 2))
    users = {"alice": fake.create_user("alice", global_name="Alice")}
    users["bob"] = fake.create_user("bob", global_name="Bob")
    for guild in (zero, one):
        for user in users.values():
            fake.add_member(guild, user)
    solo, group = world_on(fake, zero, users), world_on(fake, one, users)

    async with bot_processes(fake, _postgres_clean_url, tmp_path) as (shard0, shard1):
        # Shard 0: a solo interview, answered once.
        question = await start_in_thread(solo, count=1)
        feedback = await answer(fake, solo.alice, question, GOOD_AUTH_ANSWER)
        assert feedback.embeds[0]["title"] == "Feedback · question 1 of 1"

        # Shard 1: a round of two questions; Alice answers the first, then its process dies.
        threads = len(fake.threads_created)
        lobby = await open_round(group, questions=2, seconds=120, lobby=600)
        await join(group, lobby, group.alice, group.bob)
        begin = await fake.click(group.alice, lobby, button_id(lobby, "Start now"))
        await begin.wait_response()
        thread = await new_thread(fake, threads)
        first = await next_question(group, thread, 1)
        acknowledged = await submit(group, group.alice, first, good_answer(first))
        assert acknowledged.ephemeral
        await shard1.kill()
        await shard1.start()

        # Bob's answer after the restart closes the first question: one reveal, and on.
        await submit(group, group.bob, first, "A token.")
        bob_answered = asyncio.get_running_loop().time()
        reveal = await reveal_of(group, thread, 1)
        assert "Alice" in reveal.text and "Bob" in reveal.text
        second = await next_question(group, thread, 2)
        await submit(group, group.alice, second, good_answer(second))
        # The real process keeps its one-answer-per-3-seconds cooldown.
        await asyncio.sleep(
            max(0.0, bob_answered + ANSWER_COOLDOWN - asyncio.get_running_loop().time())
        )
        await submit(group, group.bob, second, "A token.")
        await reveal_of(group, thread, 2)
        await fake.wait_for_message(
            thread, lambda m: bool(m.embeds) and "standings" in m.embeds[0]["title"].lower()
        )
        await asyncio.sleep(0.5)  # room for a duplicate to show up, were there one
    # The restarted shard 1 picked the round up; shard 0 never looked at it.
    assert re.search(r"\[shard=1 guild=- ref=-\]: resumed round \d+ \(running\)", shard1.log)
    assert "resumed round" not in shard0.log

    titles = [m.embeds[0]["title"] for m in fake.bot_messages(thread) if m.embeds]
    for number in (1, 2):
        assert sum(t.startswith(f"Reveal · question {number}") for t in titles) == 1, titles
    assert sum("standings" in t.lower() for t in titles) == 1, titles

    connection = await asyncpg.connect(_postgres_clean_url.replace("+asyncpg", ""), timeout=5)
    try:
        rows = await connection.fetch("SELECT round_id, user_id, question_id FROM attempts")
    finally:
        await connection.close()
    round_rows = [r for r in rows if r["round_id"] is not None]
    assert len(round_rows) == 4  # two players, two questions, the killed process lost none
    assert len({(r["user_id"], r["question_id"]) for r in round_rows}) == 4
    assert len(rows) - len(round_rows) == 1  # the solo answer

    # Neither process touched the other's guild (requests carry each process's token).
    # Interaction replies carry no bot token: the interaction's own token, which only the
    # shard it was delivered to (the fake routes by guild) has ever seen.
    mine = {shard0.token: zero, shard1.token: one}
    for request in fake.requests:
        if not request.token:
            assert request.path.startswith(("/interactions/", "/webhooks/")), request
            continue
        guild = mine[request.token]
        other = one if guild is zero else zero
        for number in map(int, re.findall(r"/(?:channels|guilds)/(\d+)", request.path)):
            assert number != other.id and number not in channels_of(fake, other), request
