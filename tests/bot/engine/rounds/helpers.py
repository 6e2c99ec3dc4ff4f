"""Shared data for the study-group round tests: a manual clock, ids, answers of known
score, a six-question bank and readers of what the rounds stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.engine.rounds import RoundService, RoundView
from questions.model import QuestionBank
from storage.database import Database
from storage.models import Attempt
from tests.bot.engine.interview.test_service import make_question

START = datetime(2026, 6, 1, 18, 0, tzinfo=UTC)
GUILD, OTHER_GUILD = 4242, 4343
CHANNEL, OTHER_CHANNEL, THREAD = 9001, 9002, 9003

# Against make_question's rubric (Caching required, weight 2; Indexes, weight 1).
CACHE_ONLY = (
    "I would put a caching layer in front of the database so that repeated reads are served "
    "straight from memory instead of hitting the disk every single time a user asks."
)
INDEX_ONLY = (
    "I would add a b-tree index on the columns that the queries filter by, so that lookups "
    "stay fast even when the table grows to many millions of rows over time."
)
NOTHING = "I am not sure what to say here honestly, maybe buy a bigger server and hope."


class ManualTime:
    """A clock that only moves when told to."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def make_bank() -> QuestionBank:
    bank = QuestionBank()
    for qid, topic, difficulty in (
        ("r-1", "caching", "easy"),
        ("r-2", "caching", "medium"),
        ("r-3", "databases", "easy"),
        ("r-4", "caching", "hard"),
        ("r-5", "databases", "medium"),
        ("r-6", "caching", "easy"),
    ):
        bank.questions[qid] = make_question(qid, topic, difficulty)
    return bank


async def count(database: Database, model: type, **where: object) -> int:
    statement = select(func.count()).select_from(model)
    for column, value in where.items():
        statement = statement.where(getattr(model, column) == value)
    async with database.session() as session:
        return int((await session.execute(statement)).scalar_one())


async def running_round(
    service: RoundService,
    members: list[int],
    *,
    questions: int = 3,
    channel_id: int = CHANNEL,
    guild_id: int = GUILD,
    seconds: int = 60,
) -> RoundView:
    view = await service.create(
        guild_id, channel_id, members[0], questions=questions, seconds=seconds
    )
    for user in members:
        await service.join(view.round_id, user)
    return await service.begin(view.round_id)


async def question_ids(database: Database, round_id: int) -> list[str]:
    from storage.repositories import RoundRepository

    async with database.session() as session:
        row = await RoundRepository(session).get(round_id)
    assert row is not None
    return list(row.question_ids)


async def attempts(database: Database, **where: object) -> list[Attempt]:
    statement = select(Attempt).order_by(Attempt.id)
    for column, value in where.items():
        statement = statement.where(getattr(Attempt, column) == value)
    async with database.session() as session:
        return list((await session.execute(statement)).scalars().all())


async def play(service: RoundService, channel: int, guild: int, answers: dict[int, str]) -> int:
    """A one-question round in which each user gives their answer; returns its id."""
    view = await running_round(
        service, list(answers), questions=1, channel_id=channel, guild_id=guild
    )
    for user, answer in answers.items():
        await service.submit(view.round_id, 0, user, answer)
    await service.close_question(view.round_id, 0)
    return view.round_id
