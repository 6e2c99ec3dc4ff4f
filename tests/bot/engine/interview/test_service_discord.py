"""InterviewService methods the Discord front end needs, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.engine.errors import NotYourSession, SessionNotFound
from bot.engine.interview import InterviewService, SharedResult
from bot.engine.users import UserService
from storage.database import Database
from storage.models import (
    Attempt,
    CustomQuestion,
)
from storage.repositories import (
    AttemptRepository,
    CustomQuestionRepository,
    GuildRepository,
    SessionRepository,
)
from tests.bot.engine.interview.test_service import GOOD, Clock, make_bank, make_question

GUILD = 5150
PARTIAL = "Only a cache in front of everything, nothing else to add here really."


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def service(database: Database, clock: Clock) -> InterviewService:
    async with database.session() as session:
        await GuildRepository(session).ensure(GUILD, "Guild")
        await session.commit()
    return InterviewService(database, make_bank(), clock=clock)


@pytest.fixture
def users(database: Database) -> UserService:
    return UserService(database)


async def count(database: Database, model: type, **where: object) -> int:
    statement = select(func.count()).select_from(model)
    for column, value in where.items():
        statement = statement.where(getattr(model, column) == value)
    async with database.session() as session:
        return (await session.execute(statement)).scalar_one()


# -- set_channel -------------------------------------------------------------------------


async def test_set_channel(
    service: InterviewService, database: Database, users: UserService
) -> None:
    user = await users.discord_user(1, "ana")
    view = await service.start(user, guild_id=GUILD, channel_id=10, count=2)
    await service.set_channel(view.session_id, user, 99887766554433)
    async with database.session() as session:
        row = await SessionRepository(session).get(view.session_id)
    assert (row.channel_id, row.version, row.position, row.status) == (
        99887766554433,
        view.version + 1,
        0,
        "active",
    )
    # The session carries on as before.
    feedback = await service.submit(view.session_id, user, GOOD, expected_position=0)
    assert feedback.number == 1


async def test_session_channel_and_display_name(
    service: InterviewService, users: UserService
) -> None:
    user = await users.discord_user(1, "ana")
    view = await service.start(user, guild_id=GUILD, channel_id=10, count=2)
    assert await service.session_channel(view.session_id) == 10
    await service.set_channel(view.session_id, user, 42)
    assert await service.session_channel(view.session_id) == 42
    assert await service.session_channel(view.session_id + 1000) is None
    assert await users.display_name(user) == "ana"
    assert await users.display_name(user + 1000) is None


async def test_set_channel_refuses_others_and_unknown(
    service: InterviewService, database: Database, users: UserService
) -> None:
    ana = await users.discord_user(1, "ana")
    bob = await users.discord_user(2, "bob")
    view = await service.start(ana, guild_id=GUILD, channel_id=10)
    with pytest.raises(NotYourSession):
        await service.set_channel(view.session_id, bob, 20)
    with pytest.raises(SessionNotFound):
        await service.set_channel(424242, ana, 20)
    async with database.session() as session:
        row = await SessionRepository(session).get(view.session_id)
    assert (row.channel_id, row.version) == (10, view.version)


# -- attempt_result ----------------------------------------------------------------------


async def test_attempt_result(service: InterviewService, users: UserService) -> None:
    user = await users.discord_user(1, "ana")
    view = await service.start(user, guild_id=GUILD, count=2)
    strong = await service.submit(view.session_id, user, GOOD)
    weak = await service.submit(view.session_id, user, PARTIAL)

    shared = await service.attempt_result(strong.attempt_id, user)
    assert shared.question.id == strong.question.id
    assert (shared.score, shared.band) == (strong.result.score, strong.result.band)
    assert (shared.covered, shared.missed) == (("Caching", "Indexes"), 0)

    shared_weak = await service.attempt_result(weak.attempt_id, user)
    assert shared_weak.question.id == weak.question.id
    assert (shared_weak.score, shared_weak.band) == (weak.result.score, weak.result.band)
    assert (shared_weak.covered, shared_weak.missed) == (("Caching",), 1)


async def test_attempt_result_never_exposes_the_answer(
    service: InterviewService, users: UserService
) -> None:
    user = await users.discord_user(1, "ana")
    view = await service.start(user, guild_id=GUILD, count=1)
    feedback = await service.submit(view.session_id, user, GOOD)
    shared = await service.attempt_result(feedback.attempt_id, user)
    assert [f.name for f in dataclasses.fields(SharedResult)] == [
        "question",
        "score",
        "band",
        "covered",
        "missed",
    ]
    assert GOOD not in repr(shared)
    assert "b-tree index on the columns" not in repr(shared)


async def test_attempt_result_refuses_another_users_attempt(
    service: InterviewService, users: UserService
) -> None:
    ana = await users.discord_user(1, "ana")
    bob = await users.discord_user(2, "bob")
    view = await service.start(ana, guild_id=GUILD, count=1)
    feedback = await service.submit(view.session_id, ana, GOOD)
    with pytest.raises(SessionNotFound) as caught:
        await service.attempt_result(feedback.attempt_id, bob)
    assert str(caught.value) == "That answer is not yours to share, or it was deleted."
    with pytest.raises(SessionNotFound):
        await service.attempt_result(feedback.attempt_id + 1000, ana)


async def test_attempt_result_for_a_removed_custom_question(
    service: InterviewService, database: Database, users: UserService
) -> None:
    user = await users.discord_user(1, "ana")
    async with database.session() as session:
        await CustomQuestionRepository(session).add(
            CustomQuestion(
                guild_id=GUILD,
                question_id="our-own",
                data=make_question("our-own", "caching").to_dict(),
            )
        )
        await session.commit()
    view = await service.start(user, guild_id=GUILD, pack="custom", count=1)
    feedback = await service.submit(view.session_id, user, GOOD)
    async with database.session() as session:
        assert await CustomQuestionRepository(session).soft_delete(GUILD, "our-own")
        await session.commit()
    shared = await service.attempt_result(feedback.attempt_id, user)
    assert (shared.question.id, shared.question.pack, shared.score) == (
        "our-own",
        "custom",
        feedback.result.score,
    )


# -- question_at -------------------------------------------------------------------------


async def test_question_at_only_reached_positions(
    service: InterviewService, users: UserService
) -> None:
    user = await users.discord_user(1, "ana")
    view = await service.start(user, guild_id=GUILD, count=3)
    assert (await service.question_at(view.session_id, 0, user)).id == "q-one"
    for position in (1, 2, 3, -1):
        with pytest.raises(SessionNotFound, match="not part of this interview"):
            await service.question_at(view.session_id, position, user)
    await service.submit(view.session_id, user, GOOD)
    assert (await service.question_at(view.session_id, 0, user)).id == "q-one"
    assert (await service.question_at(view.session_id, 1, user)).id == "q-two"
    with pytest.raises(SessionNotFound):
        await service.question_at(view.session_id, 2, user)
    await service.skip(view.session_id, user)
    await service.submit(view.session_id, user, GOOD)
    assert (await service.view(view.session_id)).status == "finished"
    assert (await service.question_at(view.session_id, 2, user)).id == "q-three"
    with pytest.raises(SessionNotFound):
        await service.question_at(view.session_id, 3, user)


async def test_question_at_refuses_others(service: InterviewService, users: UserService) -> None:
    ana = await users.discord_user(1, "ana")
    bob = await users.discord_user(2, "bob")
    view = await service.start(ana, guild_id=GUILD, count=2)
    with pytest.raises(NotYourSession):
        await service.question_at(view.session_id, 0, bob)
    with pytest.raises(SessionNotFound, match="does not exist"):
        await service.question_at(424242, 0, ana)


# -- progress history --------------------------------------------------------------------


async def test_progress_history_is_chronological(
    service: InterviewService, database: Database, clock: Clock, users: UserService
) -> None:
    user = await users.discord_user(1, "ana")
    view = await service.start(user, guild_id=GUILD, count=3)
    expected = []
    for answer in (GOOD, PARTIAL, GOOD):
        clock.advance(minutes=5)
        feedback = await service.submit(view.session_id, user, answer)
        expected.append((clock.now, feedback.result.score))
    # An attempt stored later but made earlier (e.g. imported) goes first.
    earlier = clock.now - timedelta(days=3)
    async with database.session() as session:
        await AttemptRepository(session).add(
            Attempt(
                user_id=user,
                guild_id=None,
                question_id="q-two",
                topic="databases",
                pack_id="test-pack",
                pack_version="3",
                answer="old",
                score=17,
                band="weak",
                started_at=earlier,
                submitted_at=earlier,
            )
        )
        await session.commit()

    progress = await service.progress(user)
    assert progress.history == ((earlier, 17), *expected)
    assert [at for at, _ in progress.history] == sorted(at for at, _ in progress.history)
    assert expected[0][1] > expected[1][1]  # the scores really differ, so order is visible
    assert (await service.progress(user, guild_id=GUILD)).history == tuple(expected)
    assert (await service.progress(user, guild_id=None)).history == ((earlier, 17),)
    assert (await service.progress(await users.discord_user(2, "bob"))).history == ()
