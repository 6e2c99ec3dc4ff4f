"""End-to-end fixtures: the real InterviewBot on a real SQLite file, against the fake Discord.

E2E tests run on SQLite only: the storage and engine tests already cover PostgreSQL, and
what is under test here is the Discord front end.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.discord.client import InterviewBot
from bot.discord.permissions import REQUIRED_PERMISSIONS
from questions.loader import default_bank
from storage.config import sqlite_url
from storage.database import Database
from tests.fake_discord import FakeChannel, FakeDiscord, FakeGuild, FakeUser, run_bot

GOOD_AUTH_ANSWER = (
    "When the user logs in over HTTPS with their password, which we store hashed with bcrypt, "
    "the server issues a signed JWT access token with a short expiry plus a refresh token. "
    "The client sends the token in the Authorization header as a bearer token on every "
    "request, and each service verifies the signature and expiry statelessly, without a "
    "session lookup. For third-party login we would use OAuth2 and OpenID Connect, and add "
    "MFA for sensitive accounts. Tokens can be revoked with a denylist or short lifetimes."
)
FIRST_QUESTION = "auth-web-services"  # unseen questions come first, in bank order


@dataclass
class World:
    fake: FakeDiscord
    guild: FakeGuild
    general: FakeChannel
    alice: FakeUser
    bob: FakeUser
    admin: FakeUser
    other_guild: FakeGuild
    other_general: FakeChannel


@pytest.fixture
async def e2e_database(_sqlite_template: Path, tmp_path: Path) -> AsyncIterator[Database]:
    path = tmp_path / "e2e.db"
    shutil.copyfile(_sqlite_template, path)
    database = Database(sqlite_url(path))
    await database.open()
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
def world(fake_discord: FakeDiscord) -> World:
    # The bot gets exactly the permissions the README's invite link asks for, so the tests
    # prove they are enough.
    guild = fake_discord.create_guild("Interview Guild", bot_permissions=REQUIRED_PERMISSIONS)
    mods = fake_discord.create_role(
        guild, "Mods", discord.Permissions(manage_guild=True, view_channel=True)
    )
    alice = fake_discord.create_user("alice", global_name="Alice")
    bob = fake_discord.create_user("bob", global_name="Bob")
    admin = fake_discord.create_user("admin", global_name="Admin")
    for user in (alice, bob):
        fake_discord.add_member(guild, user)
    fake_discord.add_member(guild, admin, roles=[mods])
    other = fake_discord.create_guild("Other Guild")
    fake_discord.add_member(other, alice)
    other_mods = fake_discord.create_role(other, "Mods", discord.Permissions(manage_guild=True))
    fake_discord.add_member(other, admin, roles=[other_mods])
    return World(
        fake_discord,
        guild,
        guild.channel_named("general"),
        alice,
        bob,
        admin,
        other,
        other.channel_named("general"),
    )


BotFactory = Callable[..., InterviewBot]


@pytest.fixture
def make_bot(e2e_database: Database) -> BotFactory:
    """A new bot instance on the same database: calling it twice is a restart."""

    def factory(**options: Any) -> InterviewBot:
        options.setdefault("answer_cooldown", (1000, 1.0))
        options.setdefault("admin_cooldown", (1000, 1.0))
        return InterviewBot(e2e_database, default_bank(), **options)

    return factory


def running(world: World, bot: InterviewBot) -> Any:
    return run_bot(world.fake, bot)


def embed_text(message: Any) -> str:
    return message.text
