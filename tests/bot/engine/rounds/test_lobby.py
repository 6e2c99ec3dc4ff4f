"""A round's lobby: joining, leaving, beginning (or cancelling when empty) and the message
ids the bot records, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.engine.errors import RoundClosed, RoundError
from bot.engine.rounds import RoundService, RoundView
from tests.bot.engine.rounds.helpers import CHANNEL, GUILD, START, THREAD, ManualTime, question_ids


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
