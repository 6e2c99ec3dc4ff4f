"""UserService on SQLite and PostgreSQL: look-ups that never create, and forget-me."""

from __future__ import annotations

from bot.engine.interview import InterviewService
from bot.engine.users import UserService
from storage.database import Database
from storage.models import Attempt, CustomQuestion, InterviewSession, ReviewSchedule, User
from storage.repositories import CustomQuestionRepository
from tests.bot.engine.interview.test_service import GOOD, make_question
from tests.bot.engine.interview.test_service_discord import (
    GUILD,
    PARTIAL,
    clock,
    count,
    service,
    users,
)

__all__ = ["clock", "service", "users"]  # fixtures shared with the session tests


# -- users -------------------------------------------------------------------------------


async def test_find_discord_user_does_not_create(
    service: InterviewService, database: Database, users: UserService
) -> None:
    assert await users.find_discord_user(31337) is None
    assert await count(database, User) == 0
    created = await users.discord_user(31337, "ana")
    assert await users.find_discord_user(31337) == created
    assert await users.find_discord_user(31338) is None
    assert await count(database, User) == 1


async def test_find_discord_user_ignores_local_users(
    service: InterviewService, users: UserService
) -> None:
    local = await users.local_user("ana")
    assert await users.find_discord_user(local) is None


# -- forget_discord_user -----------------------------------------------------------------


async def test_forget_discord_user(
    service: InterviewService, database: Database, users: UserService
) -> None:
    ana = await users.discord_user(1, "ana")
    bob = await users.discord_user(2, "bob")
    async with database.session() as session:
        await CustomQuestionRepository(session).add(
            CustomQuestion(
                guild_id=GUILD,
                question_id="by-ana",
                data=make_question("by-ana", "caching").to_dict(),
                created_by=ana,
            )
        )
        await session.commit()
    first = await service.start(ana, guild_id=GUILD, count=2)
    await service.submit(first.session_id, ana, GOOD)
    await service.submit(first.session_id, ana, PARTIAL)
    second = await service.start(ana, count=1)  # DM scope
    await service.submit(second.session_id, ana, GOOD)
    theirs = await service.start(bob, guild_id=GUILD, count=1)
    await service.submit(theirs.session_id, bob, GOOD)

    counts = await users.forget_discord_user(1)
    assert counts == {
        "attempts": 3,
        "sessions": 2,
        "reviews": 3,  # one schedule row per question: q-one, q-two, then q-three in DMs
        "custom_questions_unattributed": 1,
        "users": 1,
        "round_answers": 0,
        "round_participations": 0,
        "daily_answers": 0,
        "habits": 0,
        "mock_places": 0,
        "mock_blocks": 0,
        "mock_rounds_unattributed": 0,
    }
    assert await users.find_discord_user(1) is None
    for model in (Attempt, InterviewSession, ReviewSchedule):
        assert await count(database, model, user_id=ana) == 0
        assert await count(database, model, user_id=bob) == 1
    assert await count(database, User) == 1
    async with database.session() as session:
        question = await CustomQuestionRepository(session).get(GUILD, "by-ana")
    assert question is not None and question.created_by is None
    assert (await service.progress(bob)).answered == 1

    assert await users.forget_discord_user(1) == {}


async def test_forget_unknown_discord_user(
    service: InterviewService, database: Database, users: UserService
) -> None:
    local = await users.local_user("ana")
    assert await users.forget_discord_user(424242) == {}
    assert await users.forget_discord_user(local) == {}
    assert await count(database, User) == 1
