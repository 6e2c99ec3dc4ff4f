"""Closing a round's questions: scoring each answer once into attempts and reviews, races
with late answers, stopping early and recovering pending rounds, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.engine.errors import RoundClosed
from bot.engine.review import next_review
from bot.engine.rounds import RoundService
from questions.scoring import score_answer
from storage.database import Database
from storage.models import Attempt, ReviewSchedule, RoundAnswer
from storage.repositories import UserRepository
from tests.bot.engine.interview.test_service import GOOD
from tests.bot.engine.rounds.helpers import (
    CACHE_ONLY,
    CHANNEL,
    GUILD,
    INDEX_ONLY,
    OTHER_CHANNEL,
    START,
    THREAD,
    ManualTime,
    attempts,
    count,
    make_bank,
    question_ids,
    running_round,
)


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
