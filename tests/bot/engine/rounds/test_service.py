"""Study-group rounds against real databases: every test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.engine.errors import (
    EngineError,
    InvalidAnswer,
    NoQuestions,
    NotParticipant,
    RoundClosed,
    RoundError,
    RoundExists,
)
from bot.engine.leaderboard import LeaderboardService
from bot.engine.review import next_review
from bot.engine.rounds import RoundService, RoundView
from bot.engine.rounds.rules import DEFAULT_LOBBY, DEFAULT_QUESTIONS, DEFAULT_SECONDS
from bot.engine.users import UserService
from questions.model import QuestionBank
from questions.scoring import score_answer
from storage.database import Database
from storage.models import Attempt, CustomQuestion, ReviewSchedule, RoundAnswer, RoundParticipant
from storage.repositories import CustomQuestionRepository, GuildRepository, UserRepository
from tests.bot.engine.interview.test_service import GOOD, make_question

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


# -- creating -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("questions", 0, "Questions must be between 1 and 20, not 0."),
        ("questions", 25, "Questions must be between 1 and 20, not 25."),
        ("seconds", 29, "Seconds must be between 30 and 900, not 29."),
        ("seconds", 901, "Seconds must be between 30 and 900, not 901."),
        ("lobby", 9, "Lobby must be between 10 and 600, not 9."),
        ("lobby", 601, "Lobby must be between 10 and 600, not 601."),
    ],
)
async def test_limits_are_refused_with_a_clear_message(
    service: RoundService, people: dict[str, int], option: str, value: int, message: str
) -> None:
    with pytest.raises(RoundError) as caught:
        await service.create(GUILD, CHANNEL, people["ada"], **{option: value})  # type: ignore[arg-type]
    assert str(caught.value) == message
    assert isinstance(caught.value, EngineError)
    assert await service.active_in_channel(CHANNEL) is None


async def test_limits_accept_their_bounds(service: RoundService, people: dict[str, int]) -> None:
    low = await service.create(GUILD, CHANNEL, people["ada"], questions=1, seconds=30, lobby=10)
    high = await service.create(
        GUILD, OTHER_CHANNEL, people["ada"], questions=20, seconds=900, lobby=600
    )
    assert (low.total, low.seconds, low.lobby_deadline) == (1, 30, START + timedelta(seconds=10))
    # Only six questions match: a round asks what there is.
    assert (high.total, high.seconds, high.lobby_deadline) == (
        6,
        900,
        START + timedelta(seconds=600),
    )


async def test_create_defaults_and_random_choice(
    database: Database, clock: ManualTime, people: dict[str, int]
) -> None:
    bank = make_bank()
    service = RoundService(database, bank, clock=clock, rng=random.Random(3))
    view = await service.create(GUILD, CHANNEL, people["ada"])
    assert (view.status, view.position, view.total) == ("lobby", 0, DEFAULT_QUESTIONS)
    assert view.seconds == DEFAULT_SECONDS
    assert view.lobby_deadline == START + timedelta(seconds=DEFAULT_LOBBY)
    assert (view.question, view.question_deadline, view.participants) == (None, None, ())
    assert (view.starter_user_id, view.guild_id, view.channel_id) == (people["ada"], GUILD, CHANNEL)
    assert view.active and view.number == 1
    # The choice is the injected generator's: the same seed picks the same questions.
    expected = [q.id for q in random.Random(3).sample(list(bank.questions.values()), 5)]
    assert await question_ids(database, view.round_id) == expected


async def question_ids(database: Database, round_id: int) -> list[str]:
    from storage.repositories import RoundRepository

    async with database.session() as session:
        row = await RoundRepository(session).get(round_id)
    assert row is not None
    return list(row.question_ids)


async def test_filters_custom_questions_and_nothing_matching(
    database: Database, service: RoundService, people: dict[str, int]
) -> None:
    view = await service.create(GUILD, CHANNEL, people["ada"], topic="databases", questions=5)
    assert view.total == 2
    assert sorted(await question_ids(database, view.round_id)) == ["r-3", "r-5"]
    hard = await service.create(GUILD, OTHER_CHANNEL, people["ada"], difficulty="hard")
    assert await question_ids(database, hard.round_id) == ["r-4"]

    async with database.session() as session:
        await CustomQuestionRepository(session).add(
            CustomQuestion(
                guild_id=GUILD,
                question_id="ours",
                data=make_question("ours", "folklore").to_dict(),
                created_by=people["ada"],
            )
        )
        await session.commit()
    ours = await service.create(GUILD, THREAD, people["ada"], topic="folklore")
    assert await question_ids(database, ours.round_id) == ["ours"]
    with pytest.raises(NoQuestions) as caught:
        await service.create(OTHER_GUILD, CHANNEL + 10, people["ada"], topic="folklore")
    assert str(caught.value) == "No questions match topic 'folklore'."
    with pytest.raises(
        NoQuestions, match=r"^No questions match topic 'x' and difficulty 'hard'\.$"
    ):
        await service.create(GUILD, CHANNEL + 11, people["ada"], topic="x", difficulty="hard")


async def test_one_round_per_channel_and_its_thread(
    service: RoundService, people: dict[str, int]
) -> None:
    first = await service.create(GUILD, CHANNEL, people["ada"])
    with pytest.raises(RoundExists) as caught:
        await service.create(GUILD, CHANNEL, people["bob"])
    assert caught.value.existing.round_id == first.round_id
    assert str(caught.value) == (
        f"Round #{first.round_id} is already waiting for players in this channel: join it, "
        "or wait until it ends."
    )
    await service.set_messages(first.round_id, thread_id=THREAD)
    await service.join(first.round_id, people["ada"])
    await service.begin(first.round_id)
    with pytest.raises(RoundExists, match=f"Round #{first.round_id} is already running"):
        await service.create(GUILD, THREAD, people["bob"])
    found = await service.active_in_channel(THREAD)
    assert found is not None and found.round_id == first.round_id

    other = await service.create(GUILD, OTHER_CHANNEL, people["bob"])
    assert other.round_id != first.round_id
    await service.stop(first.round_id)
    assert await service.active_in_channel(CHANNEL) is None
    again = await service.create(GUILD, CHANNEL, people["bob"])
    assert again.status == "lobby"


async def test_simultaneous_starts_make_one_round(
    database: Database, service: RoundService, people: dict[str, int]
) -> None:
    results = await asyncio.gather(
        *(service.create(GUILD, CHANNEL, people["ada"]) for _ in range(4)),
        return_exceptions=True,
    )
    views = [r for r in results if isinstance(r, RoundView)]
    refused = [r for r in results if isinstance(r, RoundExists)]
    assert len(views) == 1 and len(refused) == 3
    assert {r.existing.round_id for r in refused} == {views[0].round_id}


# -- lobby ----------------------------------------------------------------------------------


async def test_lobby_join_and_leave_are_idempotent(
    service: RoundService, clock: ManualTime, people: dict[str, int]
) -> None:
    view = await service.create(GUILD, CHANNEL, people["ada"])
    ada, bob, cy = people["ada"], people["bob"], people["cy"]
    await service.join(view.round_id, bob)
    clock.advance(5)
    await service.join(view.round_id, ada)
    clock.advance(5)
    view = await service.join(view.round_id, bob)  # again: keeps bob's place
    assert [(p.user_id, p.display_name) for p in view.participants] == [(bob, "bob"), (ada, "ada")]
    assert view.participants[0].joined_at == START
    assert view.participants[0].discord_id == 101
    view = await service.leave(view.round_id, bob)
    view = await service.leave(view.round_id, bob)
    view = await service.leave(view.round_id, cy)  # never joined
    assert [p.user_id for p in view.participants] == [ada]

    await service.begin(view.round_id)
    with pytest.raises(RoundClosed, match=r"^This round has already started\.$"):
        await service.join(view.round_id, cy)
    with pytest.raises(RoundClosed, match=r"^This round has already started\.$"):
        await service.leave(view.round_id, ada)
    await service.stop(view.round_id)
    with pytest.raises(RoundClosed, match=r"^This round is over\.$"):
        await service.join(view.round_id, cy)
    with pytest.raises(RoundError, match=r"^That study-group round does not exist\.$"):
        await service.join(424242, cy)


async def test_begin_with_nobody_cancels(service: RoundService, people: dict[str, int]) -> None:
    view = await service.create(GUILD, CHANNEL, people["ada"])
    await service.join(view.round_id, people["ada"])
    await service.leave(view.round_id, people["ada"])
    ended = await service.begin(view.round_id)
    assert (ended.status, ended.question, ended.question_deadline) == ("cancelled", None, None)
    assert not ended.active
    assert await service.active_in_channel(CHANNEL) is None
    assert (await service.begin(view.round_id)).status == "cancelled"
    standings = await service.standings(view.round_id)
    assert (standings.status, standings.rows, standings.questions_asked) == ("cancelled", (), 0)


async def test_begin_opens_the_first_question_once(
    service: RoundService, clock: ManualTime, people: dict[str, int]
) -> None:
    view = await service.create(GUILD, CHANNEL, people["ada"], seconds=90)
    await service.join(view.round_id, people["ada"])
    clock.advance(20)  # started early, before the lobby deadline
    started = await service.begin(view.round_id)
    assert (started.status, started.position, started.number) == ("running", 0, 1)
    assert started.question is not None
    assert started.question.id == (await question_ids(service.database, view.round_id))[0]
    assert started.question_deadline == START + timedelta(seconds=20 + 90)
    clock.advance(5)
    again = await service.begin(view.round_id)
    assert again.question_deadline == started.question_deadline
    assert again.version == started.version


async def test_concurrent_begin_and_joins_lose_no_one(
    service: RoundService, people: dict[str, int]
) -> None:
    view = await service.create(GUILD, CHANNEL, people["ada"])
    results = await asyncio.gather(
        *(service.join(view.round_id, user) for user in people.values()),
        service.begin(view.round_id),
        service.begin(view.round_id),
        return_exceptions=True,
    )
    joined = {
        user
        for user, result in zip(people.values(), results, strict=False)
        if isinstance(result, RoundView)
    }
    assert all(isinstance(r, RoundView | RoundClosed) for r in results)
    final = await service.get(view.round_id)
    # Every join that succeeded is in the round; every refused one is not.
    assert {p.user_id for p in final.participants} == joined
    assert final.status == ("running" if joined else "cancelled")


async def test_set_messages_only_sets_what_is_given(
    service: RoundService, people: dict[str, int]
) -> None:
    view = await service.create(GUILD, CHANNEL, people["ada"])
    await service.set_messages(view.round_id, lobby_message_id=11)
    await service.set_messages(view.round_id, thread_id=THREAD)
    await service.set_messages(view.round_id, question_message_id=33)
    await service.join(view.round_id, people["ada"])
    view = await service.begin(view.round_id)
    assert (view.lobby_message_id, view.thread_id, view.question_message_id) == (11, THREAD, 33)
    with pytest.raises(RoundError, match="does not exist"):
        await service.set_messages(424242, thread_id=1)


# -- answering ------------------------------------------------------------------------------


async def test_resubmitting_replaces_the_answer(
    database: Database, service: RoundService, clock: ManualTime, people: dict[str, int]
) -> None:
    ada = people["ada"]
    view = await running_round(service, [ada])
    first = await service.submit(view.round_id, 0, ada, f"  {NOTHING}  ")
    assert (first.resubmitted, first.submitted_at) == (False, START)
    assert first.view.answered_user_ids == frozenset({ada})
    clock.advance(10)
    second = await service.submit(view.round_id, 0, ada, GOOD)
    assert (second.resubmitted, second.submitted_at) == (True, START + timedelta(seconds=10))
    assert await count(database, RoundAnswer) == 1

    reveal = await service.close_question(view.round_id, 0)
    assert reveal is not None
    [attempt] = await attempts(database)
    assert attempt.answer == GOOD
    assert attempt.score == score_answer(reveal.question, GOOD).score
    assert attempt.submitted_at == START + timedelta(seconds=10)
    assert attempt.time_taken_ms == 10_000


async def attempts(database: Database, **where: object) -> list[Attempt]:
    statement = select(Attempt).order_by(Attempt.id)
    for column, value in where.items():
        statement = statement.where(getattr(Attempt, column) == value)
    async with database.session() as session:
        return list((await session.execute(statement)).scalars().all())


async def test_answers_are_refused_at_the_deadline_and_out_of_turn(
    database: Database, service: RoundService, clock: ManualTime, people: dict[str, int]
) -> None:
    ada, bob = people["ada"], people["bob"]
    lobby = await service.create(GUILD, CHANNEL, ada, seconds=60)
    await service.join(lobby.round_id, ada)
    with pytest.raises(RoundClosed, match=r"^That question is not open yet\.$"):
        await service.submit(lobby.round_id, 0, ada, GOOD)
    view = await service.begin(lobby.round_id)
    with pytest.raises(NotParticipant, match="not in this round"):
        await service.submit(view.round_id, 0, bob, GOOD)
    with pytest.raises(InvalidAnswer, match="empty"):
        await service.submit(view.round_id, 0, ada, "   ")
    with pytest.raises(InvalidAnswer, match="limit is 4,000"):
        await service.submit(view.round_id, 0, ada, "x" * 4001)
    with pytest.raises(InvalidAnswer, match="control characters"):
        await service.submit(view.round_id, 0, ada, "a cache\x00")
    with pytest.raises(RoundClosed, match=r"^That question is not open yet\.$"):
        await service.submit(view.round_id, 1, ada, GOOD)

    clock.now = START + timedelta(seconds=60) - timedelta(microseconds=1)
    assert (await service.submit(view.round_id, 0, ada, GOOD)).submitted_at < START + timedelta(
        seconds=60
    )
    clock.now = START + timedelta(seconds=60)  # exactly the deadline: too late
    with pytest.raises(RoundClosed) as caught:
        await service.submit(view.round_id, 0, ada, CACHE_ONLY)
    assert str(caught.value) == "Time is up for that question."
    assert await service.close_question(view.round_id, 0) is not None
    with pytest.raises(RoundClosed, match=r"^Time is up for that question\.$"):
        await service.submit(view.round_id, 0, ada, CACHE_ONLY)
    [attempt] = await attempts(database)
    assert attempt.answer == GOOD
    with pytest.raises(RoundError, match="does not exist"):
        await service.submit(424242, 0, ada, GOOD)


async def test_all_answered_flag(service: RoundService, people: dict[str, int]) -> None:
    ada, bob, cy = people["ada"], people["bob"], people["cy"]
    view = await running_round(service, [ada, bob, cy])
    assert not (await service.submit(view.round_id, 0, ada, GOOD)).all_answered
    assert not (await service.submit(view.round_id, 0, bob, GOOD)).all_answered
    assert not (await service.submit(view.round_id, 0, ada, CACHE_ONLY)).all_answered
    last = await service.submit(view.round_id, 0, cy, GOOD)
    assert last.all_answered
    assert last.view.answered_user_ids == frozenset({ada, bob, cy})
    assert (await service.submit(view.round_id, 0, bob, CACHE_ONLY)).all_answered


# -- closing --------------------------------------------------------------------------------


async def test_close_stores_one_attempt_per_answerer_with_reviews(
    database: Database, service: RoundService, clock: ManualTime, people: dict[str, int]
) -> None:
    ada, bob, cy = people["ada"], people["bob"], people["cy"]
    view = await running_round(service, [ada, bob, cy], seconds=60)
    clock.advance(12)
    await service.submit(view.round_id, 0, ada, GOOD)
    clock.advance(20)
    await service.submit(view.round_id, 0, bob, INDEX_ONLY)
    clock.advance(28)  # the deadline
    reveal = await service.close_question(view.round_id, 0)
    assert reveal is not None
    question = reveal.question
    assert question.id == (await question_ids(database, view.round_id))[0]

    stored = await attempts(database)
    assert [(a.user_id, a.answer) for a in stored] == [(ada, GOOD), (bob, INDEX_ONLY)]
    for attempt, answered_after in zip(stored, (12, 32), strict=True):
        result = score_answer(question, attempt.answer)
        assert (attempt.round_id, attempt.session_id, attempt.guild_id) == (
            view.round_id,
            None,
            GUILD,
        )
        assert (attempt.question_id, attempt.topic, attempt.pack_id, attempt.pack_version) == (
            question.id,
            question.topic,
            "test-pack",
            "3",
        )
        assert (attempt.score, attempt.band) == (result.score, result.band)
        assert attempt.concept_results == [c.to_dict() for c in result.concepts]
        assert attempt.started_at == START
        assert attempt.submitted_at == START + timedelta(seconds=answered_after)
        assert attempt.time_taken_ms == answered_after * 1000
        async with database.session() as session:
            schedule = await session.get(ReviewSchedule, (attempt.user_id, question.id))
        plan = next_review(result.score, attempt.submitted_at)
        assert schedule is not None
        assert (schedule.last_score, schedule.due_at) == (result.score, plan.due_at)
        assert schedule.repetitions == plan.repetitions
    assert await count(database, ReviewSchedule, user_id=cy) == 0
    async with database.session() as session:
        linked = dict(
            (await session.execute(select(RoundAnswer.user_id, RoundAnswer.attempt_id))).all()
        )
    assert linked == {ada: stored[0].id, bob: stored[1].id}

    following = reveal.next
    assert (following.status, following.position, following.number) == ("running", 1, 2)
    assert following.question_deadline == START + timedelta(seconds=60 + 60)
    assert following.answered_user_ids == frozenset()
    assert following.question is not None and following.question.id != question.id


async def test_closing_twice_or_concurrently_scores_once(
    database: Database, service: RoundService, people: dict[str, int]
) -> None:
    ada, bob = people["ada"], people["bob"]
    view = await running_round(service, [ada, bob])
    await service.submit(view.round_id, 0, ada, GOOD)
    await service.submit(view.round_id, 0, bob, CACHE_ONLY)
    results = await asyncio.gather(*(service.close_question(view.round_id, 0) for _ in range(6)))
    assert sum(r is not None for r in results) == 1
    assert await count(database, Attempt) == 2
    assert await service.close_question(view.round_id, 0) is None
    assert await count(database, Attempt) == 2
    # A fresh service (a restart) cannot close it again either.
    again = RoundService(database, make_bank(), clock=service.clock)
    assert await again.close_question(view.round_id, 0) is None
    assert await count(database, Attempt) == 2
    assert (await service.get(view.round_id)).position == 1
    # Closing a question that is not open yet does nothing.
    assert await service.close_question(view.round_id, 2) is None
    assert (await service.get(view.round_id)).position == 1


async def test_answers_racing_a_close_are_scored_or_refused(
    database: Database, service: RoundService, people: dict[str, int]
) -> None:
    async with database.session() as session, session.begin():
        users = UserRepository(session)
        members = [(await users.get_or_create_discord(7000 + n, f"racer{n}")).id for n in range(12)]
    view = await running_round(service, members)
    outcomes = await asyncio.gather(
        *(service.submit(view.round_id, 0, user, GOOD) for user in members[:6]),
        service.close_question(view.round_id, 0),
        *(service.submit(view.round_id, 0, user, GOOD) for user in members[6:]),
        return_exceptions=True,
    )
    submits = outcomes[:6] + outcomes[7:]
    assert all(not isinstance(o, Exception) or isinstance(o, RoundClosed) for o in submits)
    accepted = {
        user for user, o in zip(members, submits, strict=True) if not isinstance(o, Exception)
    }
    scored = {a.user_id for a in await attempts(database, round_id=view.round_id)}
    # Every answer the bot confirmed was scored; no refused one was stored.
    assert scored == accepted
    async with database.session() as session:
        rows = (await session.execute(select(RoundAnswer))).scalars().all()
    assert {row.user_id for row in rows} == accepted
    assert all(row.attempt_id is not None for row in rows)


async def test_reveal_ranking_and_most_missed(
    service: RoundService, clock: ManualTime, people: dict[str, int]
) -> None:
    ada, bob, cy, dan, eve = (people[n] for n in ("ada", "bob", "cy", "dan", "eve"))
    view = await running_round(service, [dan, ada, bob, cy, eve])
    for user, answer in ((cy, INDEX_ONLY), (eve, CACHE_ONLY), (bob, CACHE_ONLY), (ada, GOOD)):
        clock.advance(1)
        await service.submit(view.round_id, 0, user, answer)
    reveal = await service.close_question(view.round_id, 0)
    assert reveal is not None
    good, cache, index = (
        score_answer(reveal.question, a).score for a in (GOOD, CACHE_ONLY, INDEX_ONLY)
    )
    assert good > cache > index  # so the order below is by score, not by chance
    assert [(r.display_name, r.score) for r in reveal.ranking] == [
        ("ada", good),
        ("eve", cache),  # same score as bob, answered earlier
        ("bob", cache),
        ("cy", index),
        ("dan", None),
    ]
    assert reveal.ranking[-1].band is None and reveal.ranking[0].band == "good"
    assert reveal.most_missed == (("Indexes", 2), ("Caching", 1))
    assert reveal.tips == reveal.question.tips == ("tip for " + reveal.question.id,)
    assert (reveal.round_id, reveal.position, reveal.number, reveal.total) == (
        view.round_id,
        0,
        1,
        3,
    )


async def test_reveal_with_no_answers(service: RoundService, people: dict[str, int]) -> None:
    view = await running_round(service, [people["ada"], people["bob"]])
    reveal = await service.close_question(view.round_id, 0)
    assert reveal is not None
    assert [(r.display_name, r.score) for r in reveal.ranking] == [("ada", None), ("bob", None)]
    assert reveal.most_missed == ()


async def test_finish_with_winner_and_tie_breaks(
    database: Database, service: RoundService, clock: ManualTime, people: dict[str, int]
) -> None:
    ada, bob, cy = people["ada"], people["bob"], people["cy"]
    # Equal totals: bob answered more, so bob wins though ada joined first.
    view = await running_round(service, [ada, bob, cy], questions=2)
    await service.submit(view.round_id, 0, bob, GOOD)
    await service.submit(view.round_id, 0, cy, INDEX_ONLY)
    first = await service.close_question(view.round_id, 0)
    assert first is not None and first.next.status == "running"
    await service.submit(view.round_id, 1, ada, GOOD)
    await service.submit(view.round_id, 1, bob, NOTHING)
    last = await service.close_question(view.round_id, 1)
    assert last is not None
    good = score_answer(first.question, GOOD).score
    assert score_answer(last.question, GOOD).score == good
    assert score_answer(last.question, NOTHING).score == 0
    assert (last.next.status, last.next.question, last.next.question_deadline) == (
        "finished",
        None,
        None,
    )
    standings = await service.standings(view.round_id)
    index = score_answer(first.question, INDEX_ONLY).score
    assert [(r.display_name, r.total_score, r.answered) for r in standings.rows] == [
        ("bob", good, 2),
        ("ada", good, 1),
        ("cy", index, 1),
    ]
    assert (standings.status, standings.winner_user_id) == ("finished", bob)
    assert (standings.questions_asked, standings.total) == (2, 2)
    assert await service.close_question(view.round_id, 1) is None
    assert await service.active_in_channel(CHANNEL) is None

    # Equal totals and answers: whoever joined first wins (cy, though ada's id is lower).
    tie = await service.create(GUILD, OTHER_CHANNEL, ada, questions=1)
    await service.join(tie.round_id, cy)
    clock.advance(1)
    await service.join(tie.round_id, ada)
    await service.begin(tie.round_id)
    await service.submit(tie.round_id, 0, ada, GOOD)
    await service.submit(tie.round_id, 0, cy, GOOD)
    await service.close_question(tie.round_id, 0)
    standings = await service.standings(tie.round_id)
    assert [r.display_name for r in standings.rows] == ["cy", "ada"]
    assert standings.winner_user_id == cy

    # Nobody answered anything: nobody won.
    silent = await running_round(service, [ada], questions=1, channel_id=THREAD)
    await service.close_question(silent.round_id, 0)
    assert (await service.standings(silent.round_id)).winner_user_id is None


async def test_stop_mid_question_keeps_the_stored_answers(
    database: Database, service: RoundService, people: dict[str, int]
) -> None:
    ada, bob = people["ada"], people["bob"]
    view = await running_round(service, [ada, bob], questions=3)
    await service.submit(view.round_id, 0, ada, GOOD)
    await service.close_question(view.round_id, 0)
    await service.submit(view.round_id, 1, bob, CACHE_ONLY)
    reveal, standings = await service.stop(view.round_id)
    assert reveal is not None
    assert (reveal.position, reveal.number) == (1, 2)
    assert [(r.display_name, r.score is not None) for r in reveal.ranking] == [
        ("bob", True),
        ("ada", False),
    ]
    assert reveal.next.status == "stopped" and reveal.next.question is None
    assert (standings.status, standings.questions_asked, standings.total) == ("stopped", 2, 3)
    assert standings.winner_user_id is None
    assert [(r.display_name, r.answered) for r in standings.rows] == [("ada", 1), ("bob", 1)]
    assert [a.user_id for a in await attempts(database)] == [ada, bob]
    with pytest.raises(RoundClosed, match="Time is up"):
        await service.submit(view.round_id, 1, bob, GOOD)

    again, same = await service.stop(view.round_id)
    assert again is None and same == standings
    assert await count(database, Attempt) == 2

    lobby = await service.create(GUILD, CHANNEL, ada)
    await service.join(lobby.round_id, ada)
    nothing, stopped = await service.stop(lobby.round_id)
    assert nothing is None
    assert (stopped.status, stopped.questions_asked) == ("stopped", 0)
    assert (await service.begin(lobby.round_id)).status == "stopped"


async def test_result_for_rescores_a_closed_answer(
    service: RoundService, people: dict[str, int]
) -> None:
    ada, bob = people["ada"], people["bob"]
    view = await running_round(service, [ada, bob])
    await service.submit(view.round_id, 0, ada, CACHE_ONLY)
    with pytest.raises(RoundError, match="shown when time is up"):
        await service.result_for(view.round_id, 0, ada)
    reveal = await service.close_question(view.round_id, 0)
    assert reveal is not None
    result = await service.result_for(view.round_id, 0, ada)
    assert result is not None
    question, score = result
    assert question == reveal.question
    assert score.score == reveal.ranking[0].score
    assert [c.name for c in score.missed] == ["Indexes"]
    assert await service.result_for(view.round_id, 0, bob) is None
    assert await service.result_for(view.round_id, 2, ada) is None  # not asked yet
    with pytest.raises(RoundError, match="not part of this round"):
        await service.result_for(view.round_id, 3, ada)


async def test_pending_rounds_survive_a_restart(
    database: Database, service: RoundService, clock: ManualTime, people: dict[str, int]
) -> None:
    ada, bob = people["ada"], people["bob"]
    lobby = await service.create(GUILD, CHANNEL, ada, lobby=30)
    await service.join(lobby.round_id, bob)
    running = await running_round(service, [ada, bob], channel_id=OTHER_CHANNEL)
    await service.set_messages(running.round_id, question_message_id=77)
    await service.submit(running.round_id, 0, ada, GOOD)
    done = await running_round(service, [ada], questions=1, channel_id=THREAD)
    await service.close_question(done.round_id, 0)

    restarted = RoundService(database, make_bank(), clock=clock)
    pending = await restarted.pending()
    assert [(v.round_id, v.status) for v in pending] == [
        (lobby.round_id, "lobby"),
        (running.round_id, "running"),
    ]
    waiting, going = pending
    assert waiting.lobby_deadline == START + timedelta(seconds=30)
    assert [p.user_id for p in waiting.participants] == [bob]
    assert going.question_deadline == START + timedelta(seconds=60)
    assert going.question == (await service.get(running.round_id)).question
    assert (going.answered_user_ids, going.question_message_id) == (frozenset({ada}), 77)

    clock.advance(60)  # the deadline passed while the bot was down
    reveal = await restarted.close_question(running.round_id, 0)
    assert reveal is not None and [r.score is not None for r in reveal.ranking] == [True, False]
    assert (await restarted.begin(lobby.round_id)).status == "running"


# -- leaderboard and forgetting -------------------------------------------------------------


async def play(service: RoundService, channel: int, guild: int, answers: dict[int, str]) -> int:
    """A one-question round in which each user gives their answer; returns its id."""
    view = await running_round(
        service, list(answers), questions=1, channel_id=channel, guild_id=guild
    )
    for user, answer in answers.items():
        await service.submit(view.round_id, 0, user, answer)
    await service.close_question(view.round_id, 0)
    return view.round_id


async def test_leaderboard_counts_rounds_played_and_won_per_guild(
    database: Database, service: RoundService, clock: ManualTime, people: dict[str, int]
) -> None:
    ada, bob, cy, dan = (people[n] for n in ("ada", "bob", "cy", "dan"))
    await play(service, CHANNEL, GUILD, {ada: GOOD, bob: CACHE_ONLY})  # ada wins
    clock.advance(10 * 86400)
    await play(service, CHANNEL, GUILD, {bob: GOOD, ada: NOTHING, cy: INDEX_ONLY})  # bob
    stopped = await running_round(service, [cy, ada], channel_id=CHANNEL)
    await service.stop(stopped.round_id)  # played by both, won by nobody
    await play(service, OTHER_CHANNEL, OTHER_GUILD, {dan: GOOD, ada: NOTHING})  # elsewhere
    cancelled = await service.create(GUILD, THREAD, dan)
    await service.begin(cancelled.round_id)
    await running_round(service, [dan], channel_id=THREAD)  # still running: not counted

    boards = LeaderboardService(database, clock)
    board = await boards.leaderboard(GUILD, "all")
    assert [(r.display_name, r.played, r.won) for r in board.by_rounds] == [
        ("ada", 3, 1),
        ("bob", 2, 1),
        ("cy", 2, 0),
    ]
    week = await boards.leaderboard(GUILD, "week")
    assert [(r.display_name, r.played, r.won) for r in week.by_rounds] == [
        ("bob", 1, 1),
        ("ada", 2, 0),
        ("cy", 2, 0),
    ]
    other = await boards.leaderboard(OTHER_GUILD, "all")
    assert [(r.display_name, r.played, r.won) for r in other.by_rounds] == [
        ("dan", 1, 1),
        ("ada", 1, 0),
    ]
    # Round answers are attempts like any other, so they count on the other boards too.
    assert {t.display_name: t.answered for t in board.by_answered} == {
        "ada": 2,
        "bob": 2,
        "cy": 1,
    }
    assert (await boards.leaderboard(12345, "all")).by_rounds == ()


async def test_forget_me_deletes_round_data(
    database: Database, service: RoundService, clock: ManualTime, people: dict[str, int]
) -> None:
    ada, bob = people["ada"], people["bob"]
    round_id = await play(service, CHANNEL, GUILD, {ada: GOOD, bob: CACHE_ONLY})
    view = await running_round(service, [bob, ada], channel_id=OTHER_CHANNEL)
    await service.submit(view.round_id, 0, ada, GOOD)  # not scored yet

    counts = await UserService(database).forget_discord_user(100)  # ada's Discord id
    assert (counts["round_answers"], counts["round_participations"], counts["attempts"]) == (
        2,
        2,
        1,
    )
    assert await count(database, RoundAnswer, user_id=ada) == 0
    assert await count(database, RoundParticipant, user_id=ada) == 0
    assert await count(database, Attempt, user_id=ada) == 0
    standings = await service.standings(round_id)
    assert [r.display_name for r in standings.rows] == ["bob"]
    assert standings.winner_user_id is None  # ada had won; the round stays, unattributed
    reveal = await service.close_question(view.round_id, 0)
    assert reveal is not None and [r.display_name for r in reveal.ranking] == ["bob"]


# -- load -----------------------------------------------------------------------------------


async def test_fifty_participants_answer_at_once(
    database: Database, service: RoundService, people: dict[str, int]
) -> None:
    async with database.session() as session, session.begin():
        users = UserRepository(session)
        members = [
            (await users.get_or_create_discord(50_000 + n, f"member{n:02}")).id for n in range(50)
        ]
    view = await service.create(GUILD, CHANNEL, members[0], questions=2)
    joined = await asyncio.gather(*(service.join(view.round_id, user) for user in members))
    assert all(isinstance(v, RoundView) for v in joined)
    view = await service.begin(view.round_id)
    assert len(view.participants) == 50
    answers = [GOOD, CACHE_ONLY, INDEX_ONLY, NOTHING]
    receipts = await asyncio.gather(
        *(service.submit(view.round_id, 0, user, answers[n % 4]) for n, user in enumerate(members))
    )
    assert not any(r.resubmitted for r in receipts)
    assert any(r.all_answered for r in receipts)
    reveal = await service.close_question(view.round_id, 0)
    assert reveal is not None
    assert len(reveal.ranking) == 50
    assert all(r.score is not None for r in reveal.ranking)
    scores = [r.score for r in reveal.ranking]
    assert scores == sorted(scores, reverse=True)
    assert await count(database, Attempt, round_id=view.round_id) == 50
    assert await count(database, ReviewSchedule) == 50
    assert reveal.next.position == 1
