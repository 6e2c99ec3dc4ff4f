"""The question of the day: a server's schedule, each day's post, and members' answers."""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select, update

from storage.habit_models import DailyAnswer, DailyPost, DailySchedule, UserHabits
from storage.models import Attempt, User
from storage.repositories.base import Repository, insert, rowcount


@dataclass(frozen=True)
class DailyAnswerRow:
    """One member's answer as the recap needs it: score, missed concepts, whether to name."""

    user_id: int
    display_name: str
    score: int
    band: str | None  # None if the attempt was erased meanwhile
    missed: tuple[str, ...]
    named: bool  # the member opted in to appear by name in recaps


class DailyRepository(Repository):
    # -- schedules -----------------------------------------------------------------------------

    async def schedule(self, guild_id: int) -> DailySchedule | None:
        return await self._first(
            select(DailySchedule)
            .where(DailySchedule.guild_id == guild_id)
            .execution_options(populate_existing=True)
        )

    async def save_schedule(self, guild_id: int, values: dict[str, Any], now: datetime) -> None:
        """Create or replace the schedule's settings; its claimed days and history stay."""
        values = {**values, "updated_at": now}
        await self.session.execute(
            insert(self.session, DailySchedule)
            .values(guild_id=guild_id, version=0, created_at=now, **values)
            .on_conflict_do_update(
                index_elements=[DailySchedule.guild_id],
                set_={**values, "version": DailySchedule.version + 1},
            )
        )

    async def enabled(self) -> builtins.list[DailySchedule]:
        return await self._all(
            select(DailySchedule)
            .where(DailySchedule.enabled.is_(True))
            .order_by(DailySchedule.guild_id)
            .execution_options(populate_existing=True)
        )

    async def claim_day(self, guild_id: int, day: date, expected_version: int) -> bool:
        """Mark `day` as posted, only if nobody changed the schedule since it was read."""
        return (
            await rowcount(
                self.session,
                update(DailySchedule)
                .where(
                    DailySchedule.guild_id == guild_id,
                    DailySchedule.version == expected_version,
                    DailySchedule.enabled.is_(True),
                )
                .values(last_day=day, version=expected_version + 1),
            )
            == 1
        )

    async def turn_off(self, guild_id: int, reason: str | None, now: datetime) -> bool:
        """Stop posting; False if there was no schedule on."""
        return (
            await rowcount(
                self.session,
                update(DailySchedule)
                .where(DailySchedule.guild_id == guild_id, DailySchedule.enabled.is_(True))
                .values(
                    enabled=False,
                    disabled_reason=reason,
                    updated_at=now,
                    version=DailySchedule.version + 1,
                ),
            )
            == 1
        )

    # -- posts ---------------------------------------------------------------------------------

    async def add_post(self, post: DailyPost) -> DailyPost:
        self.session.add(post)
        await self.session.flush()
        return post

    async def post(self, post_id: int) -> DailyPost | None:
        return await self._first(
            select(DailyPost)
            .where(DailyPost.id == post_id)
            .execution_options(populate_existing=True)
        )

    async def open_posts(self, guild_id: int) -> builtins.list[DailyPost]:
        """Posts whose recap has not gone up yet, oldest first."""
        return await self._all(
            select(DailyPost)
            .where(DailyPost.guild_id == guild_id, DailyPost.recap_at.is_(None))
            .order_by(DailyPost.day)
            .execution_options(populate_existing=True)
        )

    async def recent_question_ids(self, guild_id: int, limit: int) -> builtins.list[str]:
        """The questions of the server's last `limit` days, newest first."""
        statement = (
            select(DailyPost.question_id)
            .where(DailyPost.guild_id == guild_id)
            .order_by(DailyPost.day.desc())
            .limit(limit)
        )
        return list((await self.session.execute(statement)).scalars().all())

    async def set_message(self, post_id: int, message_id: int) -> None:
        await self.session.execute(
            update(DailyPost).where(DailyPost.id == post_id).values(message_id=message_id)
        )

    async def claim_recap(self, post_id: int, now: datetime) -> bool:
        """Close the post's answers and claim its recap; False if someone already did."""
        statement = (
            update(DailyPost)
            .where(DailyPost.id == post_id, DailyPost.recap_at.is_(None))
            .values(recap_at=now)
        )
        return await rowcount(self.session, statement) == 1

    # -- answers -------------------------------------------------------------------------------

    async def add_answer(self, answer: DailyAnswer) -> bool:
        """Record a member's answer; False if they had already answered that day's question."""
        statement = (
            insert(self.session, DailyAnswer)
            .values(
                post_id=answer.post_id,
                user_id=answer.user_id,
                attempt_id=answer.attempt_id,
                score=answer.score,
                submitted_at=answer.submitted_at,
            )
            .on_conflict_do_nothing(index_elements=[DailyAnswer.post_id, DailyAnswer.user_id])
        )
        return await rowcount(self.session, statement) == 1

    async def answer_of(self, post_id: int, user_id: int) -> DailyAnswer | None:
        return await self.session.get(DailyAnswer, (post_id, user_id))

    async def answers(self, post_id: int) -> builtins.list[DailyAnswerRow]:
        """Every answer to a post, best first (ties: earliest first)."""
        statement = (
            select(
                DailyAnswer.user_id,
                User.display_name,
                DailyAnswer.score,
                Attempt.band,
                Attempt.concept_results,
                UserHabits.daily_names,
            )
            .join(User, User.id == DailyAnswer.user_id)
            .outerjoin(Attempt, Attempt.id == DailyAnswer.attempt_id)
            .outerjoin(UserHabits, UserHabits.user_id == DailyAnswer.user_id)
            .where(DailyAnswer.post_id == post_id)
            .order_by(DailyAnswer.score.desc(), DailyAnswer.submitted_at, DailyAnswer.user_id)
        )
        rows = (await self.session.execute(statement)).all()
        return [
            DailyAnswerRow(
                user_id=row[0],
                display_name=row[1],
                score=row[2],
                band=row[3],
                missed=tuple(c["name"] for c in row[4] or () if not c.get("covered")),
                named=bool(row[5]),
            )
            for row in rows
        ]

    async def delete_answers_of(self, user_id: int) -> int:
        return await rowcount(
            self.session, delete(DailyAnswer).where(DailyAnswer.user_id == user_id)
        )
