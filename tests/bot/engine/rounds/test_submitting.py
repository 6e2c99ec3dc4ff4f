"""Submitting answers to a round's open question: resubmitting, deadlines, turns, the
all-answered flag and fifty members at once, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.engine.errors import InvalidAnswer, NotParticipant, RoundClosed, RoundError
from bot.engine.rounds import RoundService, RoundView
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
    NOTHING,
    START,
    ManualTime,
    attempts,
    count,
    running_round,
)


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
