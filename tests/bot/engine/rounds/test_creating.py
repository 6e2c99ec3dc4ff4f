"""Creating study-group rounds: limits, defaults, question filters and one round per
channel, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta

import pytest

from bot.engine.errors import EngineError, NoQuestions, RoundError, RoundExists
from bot.engine.rounds import RoundService, RoundView
from bot.engine.rounds.rules import DEFAULT_LOBBY, DEFAULT_QUESTIONS, DEFAULT_SECONDS
from storage.database import Database
from storage.models import CustomQuestion
from storage.repositories import CustomQuestionRepository
from tests.bot.engine.interview.test_service import make_question
from tests.bot.engine.rounds.helpers import (
    CHANNEL,
    GUILD,
    OTHER_CHANNEL,
    OTHER_GUILD,
    START,
    THREAD,
    ManualTime,
    make_bank,
    question_ids,
)


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
