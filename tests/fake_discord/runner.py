"""Run a real ``discord.Client`` against a FakeDiscord for the duration of an ``async with``."""

# The public API takes explicit `timeout=` arguments by design (tests read better).
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import TypeVar

import discord

from .server import FakeDiscord
from .waiting import FakeDiscordTimeout

ClientT = TypeVar("ClientT", bound=discord.Client)


@contextlib.asynccontextmanager
async def run_bot(
    fake: FakeDiscord,
    client: ClientT,
    *,
    token: str = "fake-bot-token",
    ready_timeout: float = 10.0,
    reconnect: bool = True,
    guild_ready_timeout: float | None = 0.05,
) -> AsyncIterator[ClientT]:
    """Log ``client`` in (``setup_hook`` runs, so commands synced there are stored), connect it
    and yield once ``on_ready`` fired. On exit the client is closed cleanly and any exception
    its connection task raised is re-raised (LoginFailure propagates from entering).

    discord.py fires on_ready ``guild_ready_timeout`` after the last GUILD_CREATE (2 s by
    default). Unless ``guild_ready_timeout=None``, the client's value is lowered to the given
    one (private attribute ``_connection.guild_ready_timeout``, the constructor's option).
    The fake puts full guilds in READY, so even 0 would leave a complete cache.
    """
    if guild_ready_timeout is not None:
        state = client._connection
        state.guild_ready_timeout = min(state.guild_ready_timeout, guild_ready_timeout)
    with fake.patch_discord():
        fake.attach_client(client)
        task: asyncio.Task[None] | None = None
        try:
            await client.login(token)
            task = asyncio.create_task(
                client.connect(reconnect=reconnect), name=f"fake-discord-client-{id(client)}"
            )
            await _wait_ready(fake, client, task, ready_timeout)
            yield client
        finally:
            failure = await _shutdown(client, task)
            fake.detach_client(client)
        if failure is not None:
            raise failure


async def _wait_ready(
    fake: FakeDiscord, client: discord.Client, task: asyncio.Task[None], timeout: float
) -> None:
    ready = asyncio.create_task(client.wait_until_ready())
    try:
        done, _ = await asyncio.wait(
            {ready, task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
        )
    finally:
        if not ready.done():
            ready.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ready
    if task in done:
        task.result()
        raise RuntimeError("the client stopped before it became ready")
    if ready not in done:
        raise FakeDiscordTimeout(fake.describe_timeout("the bot to become ready"))


async def _shutdown(client: discord.Client, task: asyncio.Task[None] | None) -> Exception | None:
    # discord.py's delayed READY can fire after close() and then fail to schedule on_ready
    # (the client's loop is gone), leaving a never-awaited coroutine: stop it first.
    ready_task = getattr(client._connection, "_ready_task", None)
    if ready_task is not None and not ready_task.done():
        ready_task.cancel()
    await client.close()
    if task is None:
        return None
    try:
        await asyncio.wait_for(task, timeout=10)
    except TimeoutError:
        return RuntimeError("the client did not stop within 10 s of close()")
    except discord.ConnectionClosed as exc:
        return None if exc.code == 1000 else exc
    except Exception as exc:
        return exc
    return None
