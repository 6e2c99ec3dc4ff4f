"""The engine against real databases: every test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.engine.errors import (
    AlreadyAnswered,
    InvalidAnswer,
    NoQuestions,
    NotYourSession,
    SessionNotFound,
    SessionOver,
)
from bot.engine.interview import InterviewService
from questions.model import Concept, Question, QuestionBank
from storage.database import Database
from storage.models import CustomQuestion
from storage.repositories import (
    AttemptRepository,
    CustomQuestionRepository,
    GuildRepository,
    ReviewRepository,
)


def make_question(qid: str, topic: str, difficulty: str = "easy") -> Question:
    return Question(
        id=qid,
        topic=topic,
        difficulty=difficulty,  # type: ignore[arg-type]
        prompt=f"Explain {qid} to an interviewer.",
        model_answer=f"A careful explanation of {qid} with caching and indexes.",
        tips=(f"tip for {qid}",),
        source="test",
        rubric=(
            Concept("Caching", ("cache", "caching layer"), 2, True),
            Concept("Indexes", ("index", "b-tree"), 1),
        ),
        hints=("Think about memory.", "Think about lookups."),
        pack="test-pack",
        pack_version="3",
    )


def make_bank() -> QuestionBank:
    bank = QuestionBank()
    for question in (
        make_question("q-one", "caching"),
        make_question("q-two", "databases", "medium"),
        make_question("q-three", "caching", "hard"),
    ):
        bank.questions[question.id] = question
    return bank


GOOD = (
    "I would put a caching layer in front of the database so repeated reads come from memory, "
    "and add a b-tree index on the columns we filter by so the remaining lookups stay fast."
)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 5, 1, 9, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(database: Database, clock: Clock) -> InterviewService:
    return InterviewService(database, make_bank(), clock=clock)


async def test_whole_session_stores_every_answer_before_feedback(
    service: InterviewService, database: Database, clock: Clock
) -> None:
    user = await service.local_user("ana")
    view = await service.start(user, count=2)
    assert (view.number, view.total, view.question.id) == (1, 2, "q-one")
    clock.advance(seconds=42)
    feedback = await service.submit(view.session_id, user, GOOD)
    assert feedback.result.score >= 60
    assert feedback.time_taken_ms == 42_000
    assert (feedback.number, feedback.total) == (1, 2)
    async with database.session() as session:
        stored = await AttemptRepository(session).for_user(user)
    assert [(a.question_id, a.score, a.pack_version, a.topic) for a in stored] == [
        ("q-one", feedback.result.score, "3", "caching")
    ]
    assert stored[0].concept_results[0]["covered"] is True
    second = await service.submit(feedback.next.session_id, user, "No idea, sorry about that.")
    assert second.next.status == "finished"
    assert second.next.question is None
    summary = await service.summary(view.session_id)
    assert [a.question_id for a in summary.answered] == ["q-one", "q-two"]
    assert summary.skipped == 0


async def test_unseen_questions_come_first(service: InterviewService) -> None:
    user = await service.local_user("ana")
    first = await service.start(user, count=1)
    await service.submit(first.session_id, user, GOOD)
    second = await service.start(user, count=3)
    assert [second.question.id] == ["q-two"]
    view = await service.view(second.session_id)
    assert view.total == 3


async def test_filters_and_bad_filters(service: InterviewService) -> None:
    user = await service.local_user("ana")
    view = await service.start(user, topic="caching", difficulty="hard")
    assert view.question.id == "q-three"
    assert view.total == 1
    with pytest.raises(NoQuestions, match="topic 'nothing'"):
        await service.start(user, topic="nothing")
    with pytest.raises(NoQuestions, match="no pack called 'nope'"):
        await service.start(user, pack="nope")
    with pytest.raises(NoQuestions, match="between 1 and"):
        await service.start(user, count=0)


async def test_double_submit_scores_once(service: InterviewService, database: Database) -> None:
    user = await service.local_user("ana")
    view = await service.start(user, count=3)
    await service.submit(view.session_id, user, GOOD, expected_position=0)
    with pytest.raises(AlreadyAnswered):
        await service.submit(view.session_id, user, GOOD, expected_position=0)
    async with database.session() as session:
        assert await AttemptRepository(session).count_for_user(user) == 1


async def test_concurrent_double_click_scores_once(
    service: InterviewService, database: Database
) -> None:
    user = await service.local_user("ana")
    view = await service.start(user, count=3)
    outcomes = await asyncio.gather(
        service.submit(view.session_id, user, GOOD, expected_position=0),
        service.submit(view.session_id, user, GOOD, expected_position=0),
        return_exceptions=True,
    )
    assert sum(not isinstance(o, BaseException) for o in outcomes) == 1
    assert sum(isinstance(o, AlreadyAnswered) for o in outcomes) == 1
    async with database.session() as session:
        assert await AttemptRepository(session).count_for_user(user) == 1
    assert (await service.view(view.session_id)).position == 1


async def test_session_survives_a_restart(database_url: str, clock: Clock) -> None:
    async with Database(database_url) as first_db:
        first = InterviewService(first_db, make_bank(), clock=clock)
        user = await first.local_user("ana")
        view = await first.start(user, count=3)
        await first.submit(view.session_id, user, GOOD)
    async with Database(database_url) as second_db:
        second = InterviewService(second_db, make_bank(), clock=clock)
        resumed = await second.active_session(user, None)
        assert resumed is not None
        assert (resumed.session_id, resumed.number, resumed.question.id) == (
            view.session_id,
            2,
            "q-two",
        )
        feedback = await second.submit(resumed.session_id, user, GOOD, expected_position=1)
        assert feedback.number == 2


@pytest.mark.parametrize("answer", ["", "   ", "x" * 4001, "a cache\x1b[A"])
async def test_bad_answer_keeps_the_session_where_it_was(
    service: InterviewService, database: Database, answer: str
) -> None:
    user = await service.local_user("ana")
    view = await service.start(user, count=2)
    with pytest.raises(InvalidAnswer):
        await service.submit(view.session_id, user, answer)
    after = await service.view(view.session_id)
    assert (after.position, after.status) == (0, "active")
    async with database.session() as session:
        assert await AttemptRepository(session).count_for_user(user) == 0


async def test_hint_skip_stop(service: InterviewService) -> None:
    user = await service.local_user("ana")
    view = await service.start(user, count=3)
    first_hint, view = await service.hint(view.session_id, user)
    second_hint, view = await service.hint(view.session_id, user)
    none_left, view = await service.hint(view.session_id, user)
    assert (first_hint, second_hint, none_left) == (
        "Think about memory.",
        "Think about lookups.",
        None,
    )
    assert view.hints_used == 2
    view = await service.skip(view.session_id, user)
    assert (view.position, view.hints_used) == (1, 0)
    summary = await service.stop(view.session_id, user)
    assert (summary.status, summary.skipped, summary.answered) == ("stopped", 1, ())
    with pytest.raises(SessionOver):
        await service.submit(view.session_id, user, GOOD)
    with pytest.raises(SessionOver):
        await service.skip(view.session_id, user)


async def test_other_users_and_unknown_sessions(service: InterviewService) -> None:
    ana = await service.local_user("ana")
    bob = await service.local_user("bob")
    view = await service.start(ana)
    with pytest.raises(NotYourSession):
        await service.submit(view.session_id, bob, GOOD)
    with pytest.raises(SessionNotFound):
        await service.view(987654)


async def test_starting_again_stops_the_previous_session_in_that_scope(
    service: InterviewService,
) -> None:
    user = await service.local_user("ana")
    first = await service.start(user)
    second = await service.start(user)
    assert (await service.view(first.session_id)).status == "stopped"
    assert (await service.active_session(user, None)).session_id == second.session_id


async def test_review_schedule_and_review_mode(
    service: InterviewService, database: Database, clock: Clock
) -> None:
    user = await service.local_user("ana")
    with pytest.raises(NoQuestions, match="Answer some questions first"):
        await service.start(user, review=True)
    view = await service.start(user, count=2)
    weak = await service.submit(view.session_id, user, "I am not sure at all, sorry.")
    strong = await service.submit(view.session_id, user, GOOD)
    async with database.session() as session:
        reviews = ReviewRepository(session)
        weak_row = await reviews.get(user, weak.question.id)
        strong_row = await reviews.get(user, strong.question.id)
    assert weak_row.due_at == clock.now + timedelta(hours=1)
    assert strong_row.due_at > weak_row.due_at
    with pytest.raises(NoQuestions, match="next one is due"):
        await service.start(user, review=True)
    clock.advance(hours=2)
    review = await service.start(user, review=True)
    assert (review.mode, review.total, review.question.id) == ("review", 1, weak.question.id)


async def test_progress_overall_and_per_scope(
    service: InterviewService, database: Database, clock: Clock
) -> None:
    user = await service.local_user("ana")
    async with database.session() as session:
        await GuildRepository(session).ensure(555, "study group")
        await session.commit()
    terminal = await service.start(user, count=1)
    await service.submit(terminal.session_id, user, GOOD)
    clock.advance(days=1)
    in_guild = await service.start(user, guild_id=555, count=1)
    await service.submit(
        in_guild.session_id, user, "Only a cache in front of the database, nothing else to add."
    )
    overall = await service.progress(user)
    assert overall.answered == 2
    assert overall.streak_days == 2
    assert {t.topic for t in overall.topics} == {"caching", "databases"}
    assert (await service.progress(user, guild_id=555)).answered == 1
    assert (await service.progress(user, guild_id=None)).answered == 1
    assert overall.most_missed[0].concept == "Indexes"
    assert overall.next_review_at is not None and overall.due_for_review == 0
    clock.advance(days=30)
    later = await service.progress(user)
    assert (later.due_for_review, later.next_review_at) == (2, None)


async def test_guild_custom_questions_are_asked_and_resolve_after_removal(
    service: InterviewService, database: Database
) -> None:
    user = await service.local_user("ana")
    custom = make_question("our-own", "caching").to_dict()
    async with database.session() as session:
        await GuildRepository(session).ensure(777, "g")
        await session.commit()
    async with database.session() as session:
        await CustomQuestionRepository(session).add(
            CustomQuestion(guild_id=777, question_id="our-own", data=custom)
        )
        await session.commit()
    view = await service.start(user, guild_id=777, pack="custom")
    assert view.question.id == "our-own"
    assert view.question.pack == "custom"
    async with database.session() as session:
        await CustomQuestionRepository(session).soft_delete(777, "our-own")
        await session.commit()
    assert (await service.resolve_question("our-own", 777)) is not None
    assert (await service.resolve_question("our-own", None)) is None
    with pytest.raises(NoQuestions):
        await service.start(user, guild_id=777, pack="custom")
