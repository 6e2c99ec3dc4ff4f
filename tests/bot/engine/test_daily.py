"""The question of the day on SQLite and PostgreSQL: set, claim once, answer once, recap once."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.engine.daily import DailyService, choose_daily
from bot.engine.errors import AlreadyAnswered, DailyClosed, InvalidSchedule, NoQuestions
from bot.engine.progress import load_progress
from bot.engine.users import UserService
from storage.database import Database
from storage.habit_models import DailyPost
from tests.bot.engine.interview.test_service import GOOD, Clock, make_bank

GUILD = 4242
BERLIN_NINE_BEFORE_DST = datetime(2026, 3, 28, 8, tzinfo=UTC)


@pytest.fixture
def clock() -> Clock:
    clock = Clock()
    clock.now = datetime(2026, 3, 28, 6, tzinfo=UTC)
    return clock


@pytest.fixture
def daily(database: Database, clock: Clock) -> DailyService:
    return DailyService(database, make_bank(), clock)


async def setup_schedule(daily: DailyService, database: Database, **options: object) -> int:
    admin = await UserService(database).discord_user(1, "Admin")
    values: dict[str, object] = {
        "channel_id": 77,
        "time_text": "09:00",
        "zone_name": "Europe/Berlin",
        "topic": None,
        "difficulty": None,
        "set_by": admin,
    }
    values.update(options)
    await daily.set(GUILD, "Guild", **values)  # type: ignore[arg-type]
    return admin


async def test_set_validates_and_reports_the_next_post(
    daily: DailyService, database: Database
) -> None:
    with pytest.raises(InvalidSchedule, match="HH:MM"):
        await setup_schedule(daily, database, time_text="9am")
    with pytest.raises(InvalidSchedule, match="Europe/Berlin"):
        await setup_schedule(daily, database, zone_name="Berlin")
    with pytest.raises(NoQuestions, match="topic 'cooking'"):
        await setup_schedule(daily, database, topic="cooking")
    await setup_schedule(daily, database)
    view = await daily.status(GUILD)
    assert view is not None and view.enabled and view.set_by_discord_id == 1
    assert view.next_post_at == BERLIN_NINE_BEFORE_DST and view.next_day == date(2026, 3, 28)
    assert await daily.due(BERLIN_NINE_BEFORE_DST - timedelta(seconds=1)) == []
    assert [v.guild_id for v in await daily.due(BERLIN_NINE_BEFORE_DST)] == [GUILD]
    assert await daily.due(BERLIN_NINE_BEFORE_DST, owns=lambda guild: guild != GUILD) == []


async def test_a_time_already_past_today_starts_tomorrow(
    daily: DailyService, database: Database, clock: Clock
) -> None:
    clock.now = datetime(2026, 3, 28, 10, tzinfo=UTC)  # 11:00 in Berlin
    await setup_schedule(daily, database)
    view = await daily.status(GUILD)
    assert view is not None and view.next_day == date(2026, 3, 29)
    assert view.next_post_at == datetime(2026, 3, 29, 7, tzinfo=UTC)  # summer time


async def test_two_processes_claim_a_day_once(database: Database, clock: Clock) -> None:
    first, second = DailyService(database, make_bank(), clock), None
    await setup_schedule(first, database)
    second = DailyService(database, make_bank(), clock)
    clock.now = BERLIN_NINE_BEFORE_DST
    [due_a] = await first.due(clock.now)
    [due_b] = await second.due(clock.now)
    claims = await asyncio.gather(first.claim(due_a), second.claim(due_b))
    assert sum(c is not None for c in claims) == 1
    # A restart reads the schedule again: the day is taken, nothing is due.
    assert await DailyService(database, make_bank(), clock).due(clock.now) == []
    async with database.session() as session:
        assert (await session.execute(select(func.count()).select_from(DailyPost))).scalar() == 1


async def test_questions_are_not_repeated_while_fresh_ones_remain(
    daily: DailyService, database: Database, clock: Clock
) -> None:
    await setup_schedule(daily, database)
    asked = []
    for _ in range(3):  # the bank has three questions
        clock.now = (await daily.status(GUILD)).next_post_at  # type: ignore[union-attr]
        [due] = await daily.due(clock.now)
        claimed = await daily.claim(due)
        assert claimed is not None
        asked.append(claimed.question.id)
    assert len(set(asked)) == 3
    bank = list(make_bank().questions.values())
    assert choose_daily(bank, asked, "x").id == asked[-1]  # all seen: the oldest comes back


async def test_answers_once_count_in_progress_and_close_with_the_recap(
    daily: DailyService, database: Database, clock: Clock
) -> None:
    await setup_schedule(daily, database)
    clock.now = BERLIN_NINE_BEFORE_DST
    [due] = await daily.due(clock.now)
    claimed = await daily.claim(due)
    assert claimed is not None
    users = UserService(database)
    ana, bob = await users.discord_user(10, "Ana"), await users.discord_user(11, "Bob")
    feedback = await daily.answer(claimed.post_id, ana, GOOD)
    assert feedback.result.score >= 60
    with pytest.raises(AlreadyAnswered, match="one answer per day"):
        await daily.answer(claimed.post_id, ana, GOOD)
    await daily.answer(claimed.post_id, bob, "no idea")
    progress = await load_progress(database, ana, GUILD, now=clock.now)
    assert progress.answered == 1 and progress.streak_days == 1
    [recap] = await daily.close(GUILD)
    assert recap.answered == 2 and sum(n for _, n in recap.bands) == 2
    assert [p.name for p in recap.podium] == [None, None]  # nobody opted in
    assert recap.podium[0].score >= recap.podium[1].score
    assert await daily.close(GUILD) == []  # the recap is claimed once
    with pytest.raises(DailyClosed):
        await daily.answer(claimed.post_id, bob, GOOD)


async def test_turn_off_stops_posting(daily: DailyService, database: Database) -> None:
    await setup_schedule(daily, database)
    off = await daily.turn_off(GUILD, "the channel is gone")
    assert off is not None and not off.enabled and off.disabled_reason == "the channel is gone"
    assert await daily.next_due(BERLIN_NINE_BEFORE_DST) is None
    assert await daily.turn_off(GUILD) is None
