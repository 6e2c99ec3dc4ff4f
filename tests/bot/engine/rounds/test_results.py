"""What a round shows: the ranking and most-missed concepts of each question, the final
standings with their tie breaks, and a member's own result, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from bot.engine.errors import RoundError
from bot.engine.rounds import RoundService
from questions.scoring import score_answer
from storage.database import Database
from tests.bot.engine.interview.test_service import GOOD
from tests.bot.engine.rounds.helpers import (
    CACHE_ONLY,
    CHANNEL,
    GUILD,
    INDEX_ONLY,
    NOTHING,
    OTHER_CHANNEL,
    THREAD,
    ManualTime,
    running_round,
)


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
