"""Reminders on SQLite and PostgreSQL: opt-in only, once a day, only with something to say."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.engine.errors import InvalidSchedule
from bot.engine.interview import InterviewService
from bot.engine.reminders import CLOSED_DMS, ReminderService
from bot.engine.users import UserService
from storage.database import Database
from tests.bot.engine.interview.test_service import GOOD, Clock, make_bank

WEAK = "I am not sure."


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def reminders(database: Database, clock: Clock) -> ReminderService:
    return ReminderService(database, make_bank(), clock)


async def test_only_opted_in_members_are_due_once_a_day(
    reminders: ReminderService, database: Database, clock: Clock
) -> None:
    users = UserService(database)
    ana, bob = await users.discord_user(10, "Ana"), await users.discord_user(11, "Bob")
    interviews = InterviewService(database, make_bank(), clock)
    for who in (ana, bob):
        session = await interviews.start(who, count=1)
        await interviews.submit(session.session_id, who, WEAK)  # due again in an hour
    with pytest.raises(InvalidSchedule):
        await reminders.turn_on(ana, "7pm", None)
    view = await reminders.turn_on(ana, "19:00", "Asia/Tokyo")  # 10:00 UTC
    assert view.remind and view.timezone == "Asia/Tokyo"
    # It is 09:00 UTC = 18:00 in Tokyo: the first reminder is today at 19:00.
    assert view.next_reminder_at == datetime(2026, 5, 1, 10, tzinfo=UTC)
    clock.advance(hours=1)
    [slot] = await reminders.due(clock.now)  # Bob never opted in
    assert slot.user_id == ana and slot.discord_id == 10
    assert await reminders.due(clock.now, owns=lambda guild: guild is not None) == []
    reminder = await reminders.claim(slot)
    assert reminder is not None and reminder.due == 1
    assert await reminders.claim(slot) is None  # the day is taken
    assert await reminders.due(clock.now) == []
    assert (await reminders.next_due(clock.now)) == datetime(2026, 5, 2, 10, tzinfo=UTC)


async def test_the_streak_alone_earns_a_reminder_and_nothing_earns_none(
    reminders: ReminderService, database: Database, clock: Clock
) -> None:
    ana = await UserService(database).discord_user(10, "Ana")
    await reminders.turn_on(ana, "20:00", None)  # UTC
    clock.advance(hours=11)  # 20:00 UTC, no answers at all
    [slot] = await reminders.due(clock.now)
    assert await reminders.claim(slot) is None  # nothing due, no streak: no DM
    interviews = InterviewService(database, make_bank(), clock)
    session = await interviews.start(ana, count=1)
    await interviews.submit(session.session_id, ana, GOOD)
    clock.advance(days=1)  # the next evening: a 1-day streak, nothing answered today
    [slot] = await reminders.due(clock.now)
    reminder = await reminders.claim(slot)
    assert reminder is not None and reminder.due == 0 and reminder.streak.at_risk


async def test_closed_dms_turn_reminders_off_with_a_reason(
    reminders: ReminderService, database: Database, clock: Clock
) -> None:
    ana = await UserService(database).discord_user(10, "Ana")
    await reminders.turn_on(ana, None, None)
    view = await reminders.turn_off(ana, CLOSED_DMS)
    assert not view.remind and view.off_reason == CLOSED_DMS
    assert await reminders.next_due(clock.now + timedelta(days=2)) is None
    again = await reminders.turn_on(ana, None, None)
    assert again.remind and again.off_reason is None and again.remind_time == "18:00"
