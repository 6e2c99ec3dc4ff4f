"""A paired session on SQLite and PostgreSQL: kit, checklist, answers, ratings, endings."""

from __future__ import annotations

import pytest

from bot.engine.answers import accept_answer
from bot.engine.errors import MockError
from bot.engine.mock import MockService, Paired, Queued, Rating
from bot.engine.mock.progress import load_peer_progress
from bot.engine.mock.rules import ROUND_LIMIT, Filters
from storage.database import Database
from storage.repositories import MockSessionRepository, UserRepository
from tests.bot.engine.interview.test_service import GOOD

from .conftest import CHANNEL, GUILD, OTHER_GUILD, Time, pair

GOOD_RATING = Rating(3, 4, 2, "Clear on caching; forgot indexes until nudged.")


async def test_two_rounds_swap_roles_then_finish(
    service: MockService, people: dict[str, int], clock: Time
) -> None:
    ada, bob = people["ada"], people["bob"]
    view = await pair(service, ada, bob)
    sid = view.session_id
    with pytest.raises(MockError, match="interviewer"):
        await service.kit(sid, 1, bob)
    kit = await service.kit(sid, 1, ada)
    assert kit.interviewer.user_id == ada and kit.question.rubric
    ticked = await service.tick(sid, 1, ada, ["Indexes", "Not a concept"])
    assert ticked.ticked == ("Indexes",)
    ticked = await service.tick(sid, 1, ada, ["Caching", "Indexes"])
    assert ticked.ticked == ("Caching", "Indexes")  # in rubric order, replaced whole

    with pytest.raises(MockError, match="candidate"):
        await service.answer(sid, 1, ada, accept_answer(GOOD))
    assert not await service.answer(sid, 1, bob, accept_answer("A cache."))
    assert await service.answer(sid, 1, bob, accept_answer(GOOD))  # the last one counts

    clock.advance(minutes=10)
    after_one = await service.rate(sid, 1, ada, GOOD_RATING)
    assert after_one.round == 2 and after_one.status == "active"
    assert after_one.deadline == clock.now + ROUND_LIMIT
    current = after_one.current
    assert current is not None and current.interviewer.user_id == bob
    assert current.question.id != after_one.rounds[0].question.id
    with pytest.raises(MockError, match="moved on"):
        await service.rate(sid, 1, ada, GOOD_RATING)  # the same form sent twice
    with pytest.raises(MockError, match="moved on"):
        await service.tick(sid, 1, ada, ["Caching"])

    finished = await service.rate(sid, 2, bob, Rating(2, 2, 1, ""))
    assert finished.status == "finished" and finished.deadline is None
    mine = finished.as_candidate(bob)
    assert mine is not None and mine.rating == GOOD_RATING
    assert mine.answered and mine.auto_score is not None and mine.auto_score >= 60
    assert mine.ticked == ("Caching", "Indexes")
    theirs = finished.as_candidate(ada)
    assert theirs is not None and theirs.auto_score is None and not theirs.answered
    # Both are free to queue again.
    assert isinstance(await service.join(GUILD, ada, CHANNEL, Filters()), Queued)


async def test_ratings_are_checked(service: MockService, people: dict[str, int]) -> None:
    view = await pair(service, people["ada"], people["bob"])
    with pytest.raises(ValueError, match="1 to 4"):
        await service.rate(view.session_id, 1, people["ada"], Rating(5, 1, 1, ""))


async def test_a_silent_interviewer_ends_the_session(
    service: MockService, people: dict[str, int], clock: Time
) -> None:
    ada, bob = people["ada"], people["bob"]
    view = await pair(service, ada, bob)
    clock.advance(minutes=5)
    assert await service.time_out(view.session_id, 1) is None  # not yet
    clock.advance(seconds=ROUND_LIMIT.total_seconds())
    ended = await service.time_out(view.session_id, 1)
    assert ended is not None and (ended.end_reason, ended.ended_by) == ("silent", ada)
    assert ended.left_behind is not None and ended.left_behind.user_id == bob
    assert await service.time_out(view.session_id, 1) is None


async def test_a_report_ends_at_once_and_the_pair_never_meets_again(
    service: MockService, people: dict[str, int]
) -> None:
    ada, bob = people["ada"], people["bob"]
    view = await pair(service, ada, bob)
    with pytest.raises(MockError, match="isn't your"):
        await service.report(view.session_id, people["cy"])
    reported = await service.report(view.session_id, bob)
    assert (reported.status, reported.end_reason, reported.ended_by) == ("ended", "reported", bob)
    assert reported.left_behind is None
    await service.join(GUILD, ada, CHANNEL, Filters())
    assert isinstance(await service.join(GUILD, bob, CHANNEL, Filters()), Queued)
    with pytest.raises(MockError, match="can't be paired"):
        await service.invite(GUILD, CHANNEL, bob, ada, Filters())
    # Another server knows nothing of it.
    await service.join(OTHER_GUILD, ada, CHANNEL, Filters())
    assert isinstance(await service.join(OTHER_GUILD, bob, CHANNEL, Filters()), Paired)


async def test_not_useful_keeps_the_queue_from_pairing_them(
    service: MockService, people: dict[str, int]
) -> None:
    ada, bob = people["ada"], people["bob"]
    view = await pair(service, ada, bob)
    with pytest.raises(MockError, match="once it is over"):
        await service.vote(view.session_id, ada, False)
    await service.rate(view.session_id, 1, ada, GOOD_RATING)
    done = await service.rate(view.session_id, 2, bob, GOOD_RATING)
    await service.vote(done.session_id, ada, False)
    await service.join(GUILD, ada, CHANNEL, Filters())
    assert isinstance(await service.join(GUILD, bob, CHANNEL, Filters()), Queued)
    await service.leave(GUILD, bob)
    await service.vote(done.session_id, ada, True)  # a change of mind
    assert isinstance(await service.join(GUILD, bob, CHANNEL, Filters()), Paired)


async def test_peer_progress_and_given_totals(
    service: MockService, people: dict[str, int], database: Database, clock: Time
) -> None:
    ada, bob = people["ada"], people["bob"]
    for depth in (1, 2, 3, 4):
        view = await pair(service, ada, bob)
        await service.rate(view.session_id, 1, ada, Rating(depth, 2, 3, "ok"))
        await service.rate(view.session_id, 2, bob, Rating(4, 4, 4, ""))
        clock.advance(days=1)
    progress = await load_peer_progress(database, bob, GUILD)
    assert progress.received == 4 and progress.given == 4
    assert progress.averages == {"depth": 2.5, "communication": 2.0, "problem_solving": 3.0}
    assert progress.series("depth") == [1.0, 2.0, 3.0, 4.0]
    assert (await load_peer_progress(database, bob, OTHER_GUILD)).received == 0
    assert (await load_peer_progress(database, bob)).received == 4  # every server
    async with database.session() as session:
        totals = await MockSessionRepository(session).given_totals(GUILD)
    assert sorted((t.display_name, t.given) for t in totals) == [("ada", 4), ("bob", 4)]


async def test_forgetting_a_member_keeps_the_partners_feedback(
    service: MockService, people: dict[str, int], database: Database
) -> None:
    ada, bob = people["ada"], people["bob"]
    view = await pair(service, ada, bob)
    await service.answer(view.session_id, 1, bob, accept_answer(GOOD))
    await service.rate(view.session_id, 1, ada, GOOD_RATING)
    await service.rate(view.session_id, 2, bob, Rating(1, 1, 1, "quiet"))
    async with database.session() as session, session.begin():
        counts = await UserRepository(session).delete_everything(bob)
    assert counts["mock_rounds_unattributed"] == 1
    after = await service.view(view.session_id)
    assert after.second.user_id is None and after.second.display_name == "a former member"
    ada_round = after.as_candidate(ada)
    assert ada_round is not None and ada_round.rating == Rating(1, 1, 1, "quiet")
    assert not after.rounds[0].answered  # the forgotten member's written answer is gone
