"""Solo answers through the group-commit writer, on SQLite and PostgreSQL: many submitters
at once, each answer stored exactly once, each refusal its caller's alone."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.engine.errors import AlreadyAnswered, NotYourSession
from bot.engine.interview import Feedback, InterviewService
from storage import hotpath
from storage.database import Database
from storage.repositories import AttemptRepository, ReviewRepository
from tests.bot.engine.interview.test_service import GOOD, make_bank

SUBMITTERS = 24


async def attempt_count(database: Database) -> int:
    async with database.engine.connect() as connection:
        statement = select(func.count()).select_from(hotpath.ATTEMPTS)
        return int((await connection.execute(statement)).scalar_one())


async def test_concurrent_submitters_are_grouped_and_each_stored_once(database: Database) -> None:
    service = InterviewService(database, make_bank())
    sizes: list[int] = []
    database.writer.observers.append(lambda _name, size, _seconds: sizes.append(size))
    users = [await service.local_user(f"u{i}") for i in range(SUBMITTERS)]
    views = [await service.start(user, count=2) for user in users]

    async def answer_all(user: int, session_id: int) -> list[Feedback]:
        first = await service.submit(session_id, user, GOOD, expected_position=0)
        second = await service.submit(session_id, user, "no idea", expected_position=1)
        return [first, second]

    pairs = zip(users, views, strict=True)
    results = await asyncio.gather(*(answer_all(u, v.session_id) for u, v in pairs))
    assert max(sizes) > 1 and len(sizes) < 2 * SUBMITTERS
    assert await attempt_count(database) == 2 * SUBMITTERS
    ids = {feedback.attempt_id for pair in results for feedback in pair}
    assert len(ids) == 2 * SUBMITTERS
    for user, (first, second) in zip(users, results, strict=True):
        assert (first.number, second.number) == (1, 2)
        assert first.next.active and not second.next.active
        assert first.result.score > second.result.score
        async with database.session() as session:
            stored = await AttemptRepository(session).for_user(user)
            schedule = await ReviewRepository(session).for_user(user)
        assert [a.id for a in stored] == [first.attempt_id, second.attempt_id]
        assert [a.session_id for a in stored] == [first.next.session_id] * 2
        assert {row.question_id for row in schedule} == {a.question_id for a in stored}
        view = await service.view(first.next.session_id, user)
        assert view.status == "finished" and view.position == 2


async def test_a_double_submit_is_stored_once_and_refused_once(database: Database) -> None:
    service = InterviewService(database, make_bank())
    user = await service.local_user("ana")
    view = await service.start(user, count=3)
    outcomes = await asyncio.gather(
        *(service.submit(view.session_id, user, GOOD, expected_position=0) for _ in range(2)),
        return_exceptions=True,
    )
    assert sum(isinstance(o, Feedback) for o in outcomes) == 1
    assert sum(isinstance(o, AlreadyAnswered) for o in outcomes) == 1
    assert await attempt_count(database) == 1
    assert (await service.view(view.session_id, user)).position == 1


async def test_a_refusal_in_a_batch_fails_that_answer_alone(database: Database) -> None:
    service = InterviewService(database, make_bank())
    ana, ben = await service.local_user("ana"), await service.local_user("ben")
    anas, bens = await service.start(ana, count=2), await service.start(ben, count=2)
    outcomes = await asyncio.gather(
        service.submit(anas.session_id, ana, GOOD),
        service.submit(anas.session_id, ben, GOOD),  # not ben's session
        service.submit(bens.session_id, ben, GOOD),
        return_exceptions=True,
    )
    assert isinstance(outcomes[0], Feedback) and isinstance(outcomes[2], Feedback)
    assert isinstance(outcomes[1], NotYourSession)
    assert await attempt_count(database) == 2


async def test_a_session_moved_on_elsewhere_refuses_the_stale_answer(database: Database) -> None:
    service = InterviewService(database, make_bank())
    user = await service.local_user("ana")
    view = await service.start(user, count=2)
    await service.skip(view.session_id, user, expected_position=0)
    outcomes = await asyncio.gather(
        service.submit(view.session_id, user, GOOD, expected_position=0),
        service.submit(view.session_id, user, GOOD, expected_position=1),
        return_exceptions=True,
    )
    assert isinstance(outcomes[0], AlreadyAnswered)
    assert isinstance(outcomes[1], Feedback) and outcomes[1].number == 2
    assert await attempt_count(database) == 1
