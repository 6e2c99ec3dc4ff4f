"""Fixtures for the authoring service tests: the built-in bank, the service with two guilds
registered, and an author account. Every service test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from bot.engine.authoring import QuestionAuthoring
from questions.loader import default_bank
from questions.model import QuestionBank
from storage.database import Database
from storage.repositories import GuildRepository, UserRepository
from tests.bot.engine.authoring.helpers import GUILD_A, GUILD_B


@pytest.fixture
def bank() -> QuestionBank:
    return default_bank()


@pytest.fixture
async def service(database: Database, bank: QuestionBank) -> QuestionAuthoring:
    async with database.session() as session:
        guilds = GuildRepository(session)
        await guilds.ensure(GUILD_A, "Guild A")
        await guilds.ensure(GUILD_B, "Guild B")
        await session.commit()
    return QuestionAuthoring(database, bank)


@pytest.fixture
async def author(database: Database) -> int:
    async with database.session() as session:
        user = await UserRepository(session).get_or_create_discord(9001, "author")
        await session.commit()
        return user.id
