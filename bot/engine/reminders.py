"""Review reminders and members' time zones: at most one DM a day, only to those who opted in.

A reminder is due at the member's chosen local time. The day is claimed (version-checked)
before anything is decided or sent, so a restart or a second process never sends it twice.
It is sent only when reviews are due or the member's streak would break at midnight;
otherwise the day is claimed silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from bot.engine.calendar import (
    DEFAULT_ZONE,
    format_time,
    local_day,
    next_slot,
    occurrence,
    parse_time,
    zone,
)
from bot.engine.clock import utcnow
from bot.engine.scheduler import Owns, owns_everything
from bot.engine.streaks import Streak, streak_of
from questions.model import QuestionBank
from storage.database import Database
from storage.habit_models import UserHabits
from storage.repositories import AttemptRepository, HabitsRepository, ReviewRepository

DEFAULT_TIME = "18:00"
CLOSED_DMS = "your DMs were closed to the bot when it tried to send one"


@dataclass(frozen=True)
class HabitsView:
    timezone: str  # UTC when the member never chose one
    zone_chosen: bool
    remind: bool
    remind_time: str
    off_reason: str | None  # why the bot turned reminders off itself
    daily_names: bool
    next_reminder_at: datetime | None


@dataclass(frozen=True)
class ReminderSlot:
    user_id: int
    discord_id: int
    day: date
    at: datetime
    version: int


@dataclass(frozen=True)
class Reminder:
    """What one day's DM says: reviews due now, and the streak it would save."""

    user_id: int
    discord_id: int
    due: int
    streak: Streak


def _view(row: UserHabits | None, now: datetime) -> HabitsView:
    if row is None:
        return HabitsView(DEFAULT_ZONE, False, False, DEFAULT_TIME, None, False, None)
    next_at = None
    if row.remind:
        tz = zone(row.timezone)
        _, next_at = next_slot(now, parse_time(row.remind_time), tz, row.last_reminded_day)
    return HabitsView(
        timezone=row.timezone or DEFAULT_ZONE,
        zone_chosen=row.timezone is not None,
        remind=row.remind,
        remind_time=row.remind_time,
        off_reason=row.remind_off_reason,
        daily_names=row.daily_names,
        next_reminder_at=next_at,
    )


class ReminderService:
    def __init__(
        self, database: Database, bank: QuestionBank, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.database = database
        self.bank = bank
        self.clock = clock

    async def status(self, user_id: int) -> HabitsView:
        async with self.database.session() as session:
            row = await HabitsRepository(session).get(user_id)
        return _view(row, self.clock())

    async def turn_on(
        self, user_id: int, time_text: str | None, zone_name: str | None
    ) -> HabitsView:
        """Reminders at `time_text` (or the time chosen before); a time already past today
        starts tomorrow. A time zone given here is also the member's zone for streaks."""
        now = self.clock()
        async with self.database.session() as session:
            habits = HabitsRepository(session)
            row = await habits.ensure(user_id)
            at = parse_time(time_text) if time_text else parse_time(row.remind_time)
            tz = zone(zone_name if zone_name else row.timezone)
            today = local_day(now, tz)
            last = row.last_reminded_day
            if occurrence(today, at, tz) <= now and (last is None or last < today):
                last = today
            row = await habits.change(
                user_id,
                remind=True,
                remind_time=format_time(at),
                timezone=tz.key if zone_name or row.timezone else None,
                remind_off_reason=None,
                last_reminded_day=last,
            )
            await session.commit()
        return _view(row, now)

    async def turn_off(self, user_id: int, reason: str | None = None) -> HabitsView:
        async with self.database.session() as session:
            row = await HabitsRepository(session).change(
                user_id, remind=False, remind_off_reason=reason
            )
            await session.commit()
        return _view(row, self.clock())

    async def set_timezone(self, user_id: int, zone_name: str) -> HabitsView:
        tz = zone(zone_name)
        async with self.database.session() as session:
            row = await HabitsRepository(session).change(user_id, timezone=tz.key)
            await session.commit()
        return _view(row, self.clock())

    async def set_daily_names(self, user_id: int, named: bool) -> HabitsView:
        async with self.database.session() as session:
            row = await HabitsRepository(session).change(user_id, daily_names=named)
            await session.commit()
        return _view(row, self.clock())

    async def streak(self, user_id: int) -> Streak:
        """The member's streak over every answer, in their own time zone."""
        async with self.database.session() as session:
            row = await HabitsRepository(session).get(user_id)
            times = await AttemptRepository(session).answer_times(user_id=user_id)
        return streak_of((t for _, t in times), zone(row.timezone if row else None), self.clock())

    # -- the scheduler's side -------------------------------------------------------------------

    async def _slots(self, now: datetime, owns: Owns) -> list[ReminderSlot]:
        if not owns(None):  # reminders are DMs; with shards, shard 0's
            return []
        async with self.database.session() as session:
            rows = await HabitsRepository(session).with_reminders()
        slots = []
        for row, discord_id in rows:
            tz = zone(row.timezone)
            day, at = next_slot(now, parse_time(row.remind_time), tz, row.last_reminded_day)
            slots.append(ReminderSlot(row.user_id, discord_id, day, at, row.version))
        return slots

    async def next_due(self, now: datetime, owns: Owns = owns_everything) -> datetime | None:
        return min((s.at for s in await self._slots(now, owns)), default=None)

    async def due(self, now: datetime, owns: Owns = owns_everything) -> list[ReminderSlot]:
        return [s for s in await self._slots(now, owns) if s.at <= now]

    async def claim(self, slot: ReminderSlot) -> Reminder | None:
        """Claim the slot's day; the reminder to send, or None (taken, or nothing to say)."""
        now = self.clock()
        async with self.database.session() as session:
            claimed = await HabitsRepository(session).claim_reminder_day(
                slot.user_id, slot.day, slot.version
            )
            await session.commit()
        if not claimed:
            return None
        due = await self.due_reviews(slot.user_id, now)
        streak = await self.streak(slot.user_id)
        if not due and not streak.at_risk:
            return None
        return Reminder(slot.user_id, slot.discord_id, due, streak)

    async def due_reviews(self, user_id: int, now: datetime) -> int:
        """Reviews due now that a DM review can ask (the built-in bank's questions)."""
        async with self.database.session() as session:
            rows = await ReviewRepository(session).due(user_id, now)
        return sum(1 for row in rows if self.bank.get(row.question_id) is not None)
