"""The fake's connection and failure paths with the real client: bad tokens, refused
intents, resuming the gateway, unknown routes and the error-log guard."""

from __future__ import annotations

import asyncio

import discord
import pytest
from discord.http import Route

from tests.fake_discord import ErrorLogGuard, FakeDiscord, FakeDiscordTimeout, run_bot

from .conftest import CLEAN_SHUTDOWN, World
from .sample_bot import SampleBot

pytestmark = CLEAN_SHUTDOWN


async def test_rejected_token_raises_login_failure(fake_discord: FakeDiscord, world: World) -> None:
    fake_discord.reject_token = True
    with pytest.raises(discord.LoginFailure):
        async with run_bot(fake_discord, SampleBot(world.guild.id)):
            pytest.fail("must not get here")
    assert fake_discord.gateway.identify_count == 0


async def test_error_guard_catches_command_exception(
    fake_discord: FakeDiscord, world: World, discord_error_guard: ErrorLogGuard
) -> None:
    discord_error_guard.expect("boom from command")
    with ErrorLogGuard() as strict:
        async with run_bot(fake_discord, SampleBot(world.guild.id)):
            handle = await fake_discord.slash(world.alice, world.general, "boom")
            record = await strict.wait_for("boom from command")
            # A waiting test gets the logged error in its timeout message, not just "timeout".
            with pytest.raises(FakeDiscordTimeout, match="boom from command"):
                await handle.wait_response(timeout=0.2)

    assert "Ignoring exception in command" in record.getMessage()
    with pytest.raises(AssertionError, match="unexpected error log"):
        strict.check()
    missing = ErrorLogGuard()
    missing.expect("never logged")
    with pytest.raises(AssertionError, match="never appeared"):
        missing.check()


async def test_unknown_routes_are_recorded(fake_discord: FakeDiscord, world: World) -> None:
    async with run_bot(fake_discord, SampleBot(world.guild.id)) as bot:
        with pytest.raises(discord.NotFound):
            await bot.http.request(Route("GET", "/no/such/route"))
    assert fake_discord.unhandled_requests == ["GET /api/v10/no/such/route"]
    fake_discord.unhandled_requests.clear()  # deliberate, so the fixture's teardown passes


async def test_gateway_resume_after_reconnect(fake_discord: FakeDiscord, world: World) -> None:
    async with run_bot(fake_discord, SampleBot(world.guild.id)):
        await fake_discord.send_reconnect()
        for _ in range(200):
            if fake_discord.gateway.resume_count and fake_discord.gateway.active:
                break
            await asyncio.sleep(0.01)
        assert fake_discord.gateway.resume_count == 1
        handle = await fake_discord.slash(world.alice, world.general, "ping")
        await handle.wait_response()
    assert fake_discord.gateway.identify_count == 1


async def test_disallowed_privileged_intent_is_refused(
    fake_discord: FakeDiscord, world: World
) -> None:
    fake_discord.disallowed_intents = discord.Intents(message_content=True).value
    intents = discord.Intents.default()
    intents.message_content = True
    bot = SampleBot(world.guild.id, intents=intents)
    with pytest.raises(discord.PrivilegedIntentsRequired):
        async with run_bot(fake_discord, bot):
            pytest.fail("must not get here")
