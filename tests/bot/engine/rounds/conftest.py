"""Fixtures for the round tests: a manual clock, two guilds with five users, and a seeded
RoundService. Every test that uses them runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import random

import pytest

from bot.engine.rounds import RoundService
from storage.database import Database
from storage.repositories import GuildRepository, UserRepository
from tests.bot.engine.rounds.helpers import GUILD, OTHER_GUILD, ManualTime, make_bank


@pytest.fixture
def clock() -> ManualTime:
    return ManualTime()


@pytest.fixture
async def people(database: Database) -> dict[str, int]:
    """Two guilds and five Discord users (internal ids by name)."""
    async with database.session() as session, session.begin():
        await GuildRepository(session).ensure(GUILD, "Study group")
        await GuildRepository(session).ensure(OTHER_GUILD, "Elsewhere")
        users = UserRepository(session)
        return {
            name: (await users.get_or_create_discord(discord_id, name)).id
            for discord_id, name in enumerate(["ada", "bob", "cy", "dan", "eve"], start=100)
        }


@pytest.fixture
def service(database: Database, clock: ManualTime, people: dict[str, int]) -> RoundService:
    return RoundService(database, make_bank(), clock=clock, rng=random.Random(7))
