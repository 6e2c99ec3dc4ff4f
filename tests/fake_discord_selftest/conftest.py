"""Self-test fixtures: the plugin's fixtures plus a small world to act in."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from tests.fake_discord import FakeChannel, FakeDiscord, FakeGuild, FakeUser
from tests.fake_discord.pytest_plugin import discord_error_guard, fake_discord

__all__ = ["discord_error_guard", "fake_discord"]

# Clean shutdown is part of the contract: no unclosed sessions, no destroyed pending tasks.
# The test modules that drive the sample bot set ``pytestmark = CLEAN_SHUTDOWN``.
CLEAN_SHUTDOWN = [
    pytest.mark.filterwarnings("error::ResourceWarning"),
    pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning"),
]


class World(NamedTuple):
    guild: FakeGuild
    general: FakeChannel
    alice: FakeUser
    bob: FakeUser


@pytest.fixture
def world(fake_discord: FakeDiscord) -> World:
    guild = fake_discord.create_guild("Interview Guild")
    alice = fake_discord.create_user("alice")
    bob = fake_discord.create_user("bob")
    fake_discord.add_member(guild, alice)
    fake_discord.add_member(guild, bob)
    return World(guild, guild.channel_named("general"), alice, bob)
