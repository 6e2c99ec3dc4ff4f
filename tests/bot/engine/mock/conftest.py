"""A mock-interview service on real databases (SQLite and PostgreSQL), with a manual clock."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from bot.engine.guild_settings import SettingsService
from bot.engine.mock import MockService, Paired, Queued, SessionView
from bot.engine.mock.rules import Filters
from questions.model import QuestionBank
from storage.database import Database
from storage.repositories import GuildRepository, UserRepository
from tests.bot.engine.interview.test_service import make_question

GUILD, OTHER_GUILD = 5151, 5252
CHANNEL = 7001


class Time:
    def __init__(self) -> None:
        self.now = datetime(2026, 7, 1, 18, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def make_bank() -> QuestionBank:
    bank = QuestionBank()
    for qid, topic, difficulty in (
        ("m-1", "caching", "easy"),
        ("m-2", "caching", "easy"),
        ("m-3", "databases", "medium"),
        ("m-4", "databases", "medium"),
        ("m-5", "networking", "hard"),
    ):
        bank.questions[qid] = make_question(qid, topic, difficulty)
    return bank


@pytest.fixture
def clock() -> Time:
    return Time()


@pytest.fixture
async def people(database: Database) -> dict[str, int]:
    async with database.session() as session, session.begin():
        await GuildRepository(session).ensure(GUILD, "Peers")
        await GuildRepository(session).ensure(OTHER_GUILD, "Elsewhere")
        users = UserRepository(session)
        return {
            name: (await users.get_or_create_discord(discord_id, name)).id
            for discord_id, name in enumerate(["ada", "bob", "cy", "dan"], start=300)
        }


@pytest.fixture
def service(database: Database, clock: Time, people: dict[str, int]) -> MockService:
    return MockService(
        database, make_bank(), SettingsService(database), clock=clock, rng=random.Random(3)
    )


async def pair(service: MockService, first: int, second: int, **filters: str) -> SessionView:
    """`first` waits, `second` joins and is paired with them."""
    queued = await service.join(GUILD, first, CHANNEL, Filters(**filters))
    assert isinstance(queued, Queued)
    paired = await service.join(GUILD, second, CHANNEL, Filters(**filters))
    assert isinstance(paired, Paired)
    return paired.view
