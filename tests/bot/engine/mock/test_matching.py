"""The mock-interview queue and invitations on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest

from bot.engine.errors import MockError, NoQuestions
from bot.engine.mock import MockService, Paired, Queued
from bot.engine.mock.rules import Filters, merge

from .conftest import CHANNEL, GUILD, OTHER_GUILD, Time, pair


def test_filters_merge_when_compatible() -> None:
    assert merge(Filters("caching"), Filters(None, "easy")) == Filters("caching", "easy")
    assert merge(Filters(), Filters()) == Filters()
    assert merge(Filters("caching"), Filters("databases")) is None
    assert merge(Filters(None, "easy"), Filters("caching", "hard")) is None


async def test_the_queue_pairs_the_oldest_compatible_member(
    service: MockService, people: dict[str, int], clock: Time
) -> None:
    ada, bob, cy, dan = (people[n] for n in ("ada", "bob", "cy", "dan"))
    first = await service.join(GUILD, ada, CHANNEL, Filters("caching"))
    assert isinstance(first, Queued) and first.waiting == 1
    clock.advance(minutes=1)
    second = await service.join(GUILD, bob, CHANNEL, Filters("databases"))
    assert isinstance(second, Queued) and second.waiting == 2  # incompatible with Ada
    clock.advance(minutes=1)
    paired = await service.join(GUILD, cy, CHANNEL, Filters(None, "easy"))
    assert isinstance(paired, Paired)  # Bob's databases questions are not easy: Ada it is
    view = paired.view
    assert (view.first.user_id, view.second.user_id) == (ada, cy)  # the longer waiter first
    assert paired.partner_joined_at == first.joined_at
    assert view.filters == {"topic": "caching", "difficulty": "easy"}
    assert view.status == "active" and view.round == 1
    assert [r.interviewer.user_id for r in view.rounds] == [ada, cy]
    assert [r.candidate.user_id for r in view.rounds] == [cy, ada]
    assert {r.question.id for r in view.rounds} == {"m-1", "m-2"}
    with pytest.raises(MockError, match="already in the queue"):
        await service.join(GUILD, bob, CHANNEL, Filters())
    with pytest.raises(MockError, match="already in a mock interview"):
        await service.join(GUILD, cy, CHANNEL, Filters())
    last = await service.join(GUILD, dan, CHANNEL, Filters())
    assert isinstance(last, Paired) and last.view.first.user_id == bob


async def test_one_place_per_server_but_servers_are_separate(
    service: MockService, people: dict[str, int]
) -> None:
    ada = people["ada"]
    await service.join(GUILD, ada, CHANNEL, Filters())
    other = await service.join(OTHER_GUILD, ada, CHANNEL, Filters())
    assert isinstance(other, Queued)  # another server has its own queue
    departure = await service.leave(GUILD, ada)
    assert departure.kind == "queue"
    with pytest.raises(MockError, match="not in the queue"):
        await service.leave(GUILD, ada)


async def test_too_few_questions_is_refused(service: MockService, people: dict[str, int]) -> None:
    with pytest.raises(NoQuestions, match="two questions"):
        await service.join(GUILD, people["ada"], CHANNEL, Filters("networking"))


async def test_expiry_removes_only_that_stay(
    service: MockService, people: dict[str, int], clock: Time
) -> None:
    ada = people["ada"]
    first = await service.join(GUILD, ada, CHANNEL, Filters())
    assert isinstance(first, Queued)
    assert first.expires_at == first.joined_at + (await service.wait_limit(GUILD))
    await service.leave(GUILD, ada)
    clock.advance(minutes=1)
    second = await service.join(GUILD, ada, CHANNEL, Filters())
    assert isinstance(second, Queued)
    assert not await service.expire(GUILD, ada, first.joined_at)  # an old timer misses
    assert [w[1] for w in await service.waiting_everywhere()] == [ada]
    assert await service.expire(GUILD, ada, second.joined_at)
    assert await service.waiting_everywhere() == []


async def test_racing_joins_make_one_pair(service: MockService, people: dict[str, int]) -> None:
    ada, bob, cy = people["ada"], people["bob"], people["cy"]
    await service.join(GUILD, ada, CHANNEL, Filters())
    results = await asyncio.gather(
        service.join(GUILD, bob, CHANNEL, Filters()), service.join(GUILD, cy, CHANNEL, Filters())
    )
    paired = [r for r in results if isinstance(r, Paired)]
    queued = [r for r in results if isinstance(r, Queued)]
    assert len(paired) == 1 and len(queued) == 1
    assert paired[0].view.first.user_id == ada


async def test_invite_accept_decline_and_double_click(
    service: MockService, people: dict[str, int]
) -> None:
    ada, bob, cy = people["ada"], people["bob"], people["cy"]
    with pytest.raises(MockError, match="invite yourself"):
        await service.invite(GUILD, CHANNEL, ada, ada, Filters())
    await service.join(GUILD, ada, CHANNEL, Filters())
    view, left_queue = await service.invite(GUILD, CHANNEL, ada, bob, Filters())
    assert view.status == "invited" and left_queue is not None  # the invite replaced the queue
    assert await service.waiting_everywhere() == []
    with pytest.raises(MockError, match="for someone else"):
        await service.accept(view.session_id, cy)
    accepted = await service.accept(view.session_id, bob)
    assert accepted.view.status == "active" and accepted.view.first.user_id == ada
    with pytest.raises(MockError, match="already accepted"):
        await service.accept(view.session_id, bob)
    with pytest.raises(MockError, match="already in a mock interview"):
        await service.invite(GUILD, CHANNEL, cy, bob, Filters())

    invitation, _ = await service.invite(GUILD, CHANNEL, cy, people["dan"], Filters())
    declined = await service.decline(invitation.session_id, people["dan"])
    assert (declined.status, declined.end_reason) == ("ended", "declined")
    assert isinstance(await service.join(GUILD, cy, CHANNEL, Filters()), Queued)  # free again


async def test_an_unanswered_invitation_expires(
    service: MockService, people: dict[str, int]
) -> None:
    view, _ = await service.invite(GUILD, CHANNEL, people["ada"], people["bob"], Filters())
    expired = await service.expire_invite(view.session_id)
    assert expired is not None and expired.end_reason == "expired"
    assert await service.expire_invite(view.session_id) is None
    with pytest.raises(MockError, match="no longer open"):
        await service.accept(view.session_id, people["bob"])


async def test_left_behind_goes_to_the_front(
    service: MockService, people: dict[str, int], clock: Time
) -> None:
    ada, bob, cy, dan = (people[n] for n in ("ada", "bob", "cy", "dan"))
    view = await pair(service, ada, bob)
    await service.join(GUILD, cy, CHANNEL, Filters())  # waiting since before Ada requeues
    ended = await service.leave(GUILD, bob)
    assert ended.kind == "session" and ended.view is not None
    assert ended.view.end_reason == "left" and ended.view.left_behind.user_id == ada
    with pytest.raises(MockError, match="Only the member whose partner left"):
        await service.requeue_front(view.session_id, bob, CHANNEL)
    # Cy waits; Ada is sent back and pairs with Cy at once, as the longer waiter's partner.
    back = await service.requeue_front(view.session_id, ada, CHANNEL)
    assert isinstance(back, Paired) and {back.view.first.user_id, back.view.second.user_id} == {
        ada,
        cy,
    }
    await service.leave(GUILD, cy)
    clock.advance(minutes=1)
    await service.join(GUILD, dan, CHANNEL, Filters())  # Dan waits first...
    clock.advance(minutes=1)
    again = await service.requeue_front(back.view.session_id, ada, CHANNEL)
    assert isinstance(again, Paired)  # ...and is paired with Ada at once
    await service.leave(GUILD, dan)
    clock.advance(hours=1)
    with pytest.raises(MockError, match="expired"):
        await service.requeue_front(again.view.session_id, ada, CHANNEL)


async def test_front_of_the_queue_comes_before_older_members(
    service: MockService, people: dict[str, int], clock: Time
) -> None:
    ada, bob, cy = people["ada"], people["bob"], people["cy"]
    await service.join(GUILD, ada, CHANNEL, Filters("databases"))
    clock.advance(minutes=5)
    await service.join(GUILD, bob, CHANNEL, Filters("caching"), front=True)
    paired = await service.join(GUILD, cy, CHANNEL, Filters())
    assert isinstance(paired, Paired) and paired.view.first.user_id == bob
