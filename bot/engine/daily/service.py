"""The question of the day: schedules, claiming a day, answers, and the recap.

Posting is at most once per server and local day. A day is claimed in one transaction
before anything is sent: the schedule's `last_day` moves under a version check, and the
post row's unique (guild, day) key backs it up. A process that loses the claim, or comes
back after a crash mid-post, finds the day taken and posts nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError

from bot.engine.answers import Answer, accept_answer, schedule_review, scored_attempt
from bot.engine.calendar import format_time, local_day, next_slot, occurrence, parse_time, zone
from bot.engine.clock import utcnow
from bot.engine.daily.views import (
    ClaimedPost,
    DailyFeedback,
    Recap,
    ScheduleView,
    build_recap,
)
from bot.engine.errors import AlreadyAnswered, DailyClosed, NoQuestions
from bot.engine.scheduler import Owns, owns_everything
from bot.engine.selection import nothing_matches, question_candidates, resolve_question
from questions.model import Question, QuestionBank
from questions.scoring import score_answer
from storage.database import Database
from storage.habit_models import DailyAnswer, DailyPost, DailySchedule
from storage.repositories import DailyRepository, GuildRepository, UserRepository

RECENT_DAYS = 60  # a server does not see the same question again within this many posts


class DailyService:
    def __init__(
        self, database: Database, bank: QuestionBank, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.database = database
        self.bank = bank
        self.clock = clock

    # -- the schedule --------------------------------------------------------------------------

    async def set(
        self,
        guild_id: int,
        guild_name: str,
        *,
        channel_id: int,
        time_text: str,
        zone_name: str,
        topic: str | None,
        difficulty: str | None,
        set_by: int,
    ) -> ScheduleView:
        """Post every day at `time_text` in `zone_name`; a time already past today starts
        tomorrow, so changing the time never posts a day twice."""
        at, tz = parse_time(time_text), zone(zone_name)
        candidates = await question_candidates(
            self.database, self.bank, guild_id, topic=topic, difficulty=difficulty
        )
        if not candidates:
            raise NoQuestions(nothing_matches(None, topic, difficulty))
        now = self.clock()
        today = local_day(now, tz)
        async with self.database.session() as session:
            await GuildRepository(session).ensure(guild_id, guild_name[:100] or str(guild_id))
            daily = DailyRepository(session)
            existing = await daily.schedule(guild_id)
            last_day = existing.last_day if existing else None
            if occurrence(today, at, tz) <= now and (last_day is None or last_day < today):
                last_day = today
            await daily.save_schedule(
                guild_id,
                {
                    "channel_id": channel_id,
                    "local_time": format_time(at),
                    "timezone": tz.key,
                    "topic": topic,
                    "difficulty": difficulty,
                    "enabled": True,
                    "disabled_reason": None,
                    "set_by_user_id": set_by,
                    "last_day": last_day,
                },
                now,
            )
            await session.commit()
        view = await self.status(guild_id)
        assert view is not None
        return view

    async def turn_off(self, guild_id: int, reason: str | None = None) -> ScheduleView | None:
        """Stop posting (a manager's /daily off, or a channel the bot lost); None if it was off."""
        async with self.database.session() as session:
            changed = await DailyRepository(session).turn_off(guild_id, reason, self.clock())
            await session.commit()
        return await self.status(guild_id) if changed else None

    async def status(self, guild_id: int) -> ScheduleView | None:
        async with self.database.session() as session:
            row = await DailyRepository(session).schedule(guild_id)
            if row is None:
                return None
            setter = (
                await UserRepository(session).get(row.set_by_user_id)
                if row.set_by_user_id
                else None
            )
        return self._view(row, setter.discord_id if setter else None, self.clock())

    @staticmethod
    def _view(row: DailySchedule, set_by: int | None, now: datetime) -> ScheduleView:
        next_day = next_at = None
        if row.enabled:
            next_day, next_at = next_slot(
                now, parse_time(row.local_time), zone(row.timezone), row.last_day
            )
        return ScheduleView(
            guild_id=row.guild_id,
            channel_id=row.channel_id,
            local_time=row.local_time,
            timezone=row.timezone,
            topic=row.topic,
            difficulty=row.difficulty,
            enabled=row.enabled,
            disabled_reason=row.disabled_reason,
            last_day=row.last_day,
            version=row.version,
            set_by_discord_id=set_by,
            next_day=next_day,
            next_post_at=next_at,
        )

    async def _enabled(self, now: datetime, owns: Owns) -> list[ScheduleView]:
        async with self.database.session() as session:
            rows = await DailyRepository(session).enabled()
        return [self._view(row, None, now) for row in rows if owns(row.guild_id)]

    async def next_due(self, now: datetime, owns: Owns = owns_everything) -> datetime | None:
        moments = [v.next_post_at for v in await self._enabled(now, owns) if v.next_post_at]
        return min(moments, default=None)

    async def due(self, now: datetime, owns: Owns = owns_everything) -> list[ScheduleView]:
        """Schedules whose next slot has come (and is within the grace period)."""
        return [
            view
            for view in await self._enabled(now, owns)
            if view.next_post_at is not None and view.next_post_at <= now
        ]

    # -- posting -------------------------------------------------------------------------------

    async def claim(self, schedule: ScheduleView) -> ClaimedPost | None:
        """Take the schedule's next day and choose its question; None if the day is taken.

        NoQuestions if nothing matches the schedule's filters any more.
        """
        assert schedule.next_day is not None
        day, guild_id = schedule.next_day, schedule.guild_id
        candidates = await question_candidates(
            self.database,
            self.bank,
            guild_id,
            topic=schedule.topic,
            difficulty=schedule.difficulty,
        )
        if not candidates:
            raise NoQuestions(nothing_matches(None, schedule.topic, schedule.difficulty))
        async with self.database.session() as session:
            daily = DailyRepository(session)
            if not await daily.claim_day(guild_id, day, schedule.version):
                await session.rollback()
                return None
            recent = await daily.recent_question_ids(guild_id, RECENT_DAYS)
            question = choose_daily(candidates, recent, f"{guild_id}:{day.isoformat()}")
            post = DailyPost(
                guild_id=guild_id,
                day=day,
                channel_id=schedule.channel_id,
                question_id=question.id,
                posted_at=self.clock(),
            )
            try:
                await daily.add_post(post)
                await session.commit()
            except IntegrityError:  # the day exists already: posted before the schedule moved
                await session.rollback()
                return None
            return ClaimedPost(post.id, guild_id, schedule.channel_id, day, question)

    async def set_message(self, post_id: int, message_id: int) -> None:
        async with self.database.session() as session:
            await DailyRepository(session).set_message(post_id, message_id)
            await session.commit()

    # -- answers -------------------------------------------------------------------------------

    async def open_question(self, post_id: int) -> tuple[date, Question]:
        """The post's question if it still takes answers."""
        async with self.database.session() as session:
            post = await DailyRepository(session).post(post_id)
        if post is None or post.recap_at is not None:
            raise DailyClosed("This question of the day is closed: its recap is up.")
        question = await resolve_question(self.database, self.bank, post.question_id, post.guild_id)
        if question is None:
            raise DailyClosed("This question of the day is no longer available.")
        return post.day, question

    async def answer(self, post_id: int, user_id: int, answer: str | Answer) -> DailyFeedback:
        """Score and store one answer per member; it counts in progress and review."""
        text = accept_answer(answer).text
        day, question = await self.open_question(post_id)
        now = self.clock()
        async with self.database.session() as session:
            daily = DailyRepository(session)
            post = await daily.post(post_id)
            if post is None or post.recap_at is not None:
                raise DailyClosed("This question of the day is closed: its recap is up.")
            previous = await daily.answer_of(post_id, user_id)
            if previous is not None:
                raise AlreadyAnswered(
                    f"You already answered today's question (score {previous.score}); one "
                    "answer per day. The recap shows how everyone did."
                )
            result = score_answer(question, text)
            attempt = scored_attempt(
                question,
                result,
                user_id=user_id,
                guild_id=post.guild_id,
                answer=text,
                started_at=now,
                submitted_at=now,
            )
            session.add(attempt)
            await session.flush()
            await schedule_review(session, user_id, question.id, result.score, now)
            stored = await daily.add_answer(
                DailyAnswer(
                    post_id=post_id,
                    user_id=user_id,
                    attempt_id=attempt.id,
                    score=result.score,
                    submitted_at=now,
                )
            )
            if not stored:  # a double submit raced this one
                await session.rollback()
                raise AlreadyAnswered("You already answered today's question; one per day.")
            await session.commit()
        return DailyFeedback(result, question, day)

    # -- recaps --------------------------------------------------------------------------------

    async def close(self, guild_id: int, before: date | None = None) -> list[Recap]:
        """Close the server's open posts (those before `before`, if given) and return their
        recaps, each claimed once."""
        recaps = []
        async with self.database.session() as session:
            daily = DailyRepository(session)
            for post in await daily.open_posts(guild_id):
                if before is not None and post.day >= before:
                    continue
                if not await daily.claim_recap(post.id, self.clock()):
                    continue
                answers = await daily.answers(post.id)
                question = await resolve_question(
                    self.database, self.bank, post.question_id, guild_id
                )
                recaps.append(
                    build_recap(
                        post.id, post.channel_id, post.message_id, post.day, question, answers
                    )
                )
            await session.commit()
        return recaps


def choose_daily(candidates: list[Question], recent: list[str], seed: str) -> Question:
    """A question the server has not seen in its recent posts, the same for a given seed;
    when all were seen, the one seen longest ago."""
    fresh = [q for q in candidates if q.id not in recent]
    if fresh:
        return random.Random(seed).choice(fresh)
    return max(candidates, key=lambda q: recent.index(q.id))
