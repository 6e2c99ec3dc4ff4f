"""Repositories: the queries the bot needs, named for what they mean.

Each wraps an AsyncSession and only flushes; the caller owns the transaction, so several
repository calls commit or roll back together:

    async with db.session() as s, s.begin():
        user = await UserRepository(s).get_or_create_local("ana")
        await AttemptRepository(s).add(Attempt(user_id=user.id, ...))
"""

from __future__ import annotations

import builtins
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, cast

from sqlalchemy import (
    CursorResult,
    Select,
    Table,
    case,
    delete,
    func,
    inspect,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from storage.errors import ConflictError
from storage.models import (
    Attempt,
    CustomQuestion,
    Guild,
    InterviewSession,
    ReviewSchedule,
    Round,
    RoundAnswer,
    RoundParticipant,
    User,
    utcnow,
)


class Unset(enum.Enum):
    """Sentinel type: lets `guild_id=None` mean "DM scope" rather than "any scope"."""

    UNSET = "UNSET"


UNSET: Final = Unset.UNSET


def _insert(session: AsyncSession, model: type[Any]) -> Any:
    """Dialect-specific INSERT so upserts use ON CONFLICT and cannot race."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)


async def _rowcount(session: AsyncSession, statement: Any) -> int:
    result = cast(CursorResult[Any], await session.execute(statement))
    return result.rowcount


@dataclass(frozen=True)
class UserTotals:
    user_id: int
    display_name: str
    answered: int
    average: float


@dataclass(frozen=True)
class RoundTotals:
    """Study-group rounds one user took part in and won, for the guild leaderboard."""

    user_id: int
    display_name: str
    played: int
    won: int


@dataclass(frozen=True)
class RoundMember:
    """A participant with the user details a front end shows next to their score."""

    user_id: int
    discord_id: int | None
    display_name: str
    joined_at: datetime


ENDED_ROUND_STATUSES: Final = ("finished", "stopped")


class _Repository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _first(self, statement: Select[Any]) -> Any:
        return (await self.session.execute(statement.limit(1))).scalars().first()

    async def _all(self, statement: Select[Any]) -> list[Any]:
        return list((await self.session.execute(statement)).scalars().all())


class UserRepository(_Repository):
    """Users are created on first contact, so creation must be safe under concurrency."""

    async def get(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)

    async def find_local(self, name: str) -> User | None:
        return await self._first(select(User).where(User.local_name == name))

    async def find_discord(self, discord_id: int) -> User | None:
        return await self._first(select(User).where(User.discord_id == discord_id))

    async def get_or_create_local(self, name: str) -> User:
        """The terminal user named `name`, created if new."""
        name = name.strip()
        if not name:
            raise ValueError("a local user needs a non-empty name")
        user = await self.find_local(name)
        if user is None:
            await self.session.execute(
                _insert(self.session, User)
                .values(local_name=name, display_name=name, created_at=utcnow())
                .on_conflict_do_nothing(index_elements=[User.local_name])
            )
            user = await self._first(
                select(User)
                .where(User.local_name == name)
                .execution_options(populate_existing=True)
            )
        return cast(User, user)

    async def get_or_create_discord(self, discord_id: int, display_name: str) -> User:
        """The user for a Discord account; keeps the display name current on each call."""
        user = await self.find_discord(discord_id)
        if user is None:
            await self.session.execute(
                _insert(self.session, User)
                .values(discord_id=discord_id, display_name=display_name, created_at=utcnow())
                .on_conflict_do_nothing(index_elements=[User.discord_id])
            )
            user = await self._first(
                select(User)
                .where(User.discord_id == discord_id)
                .execution_options(populate_existing=True)
            )
            user = cast(User, user)
        if user.display_name != display_name:
            user.display_name = display_name
            await self.session.flush()
        return user

    async def delete_everything(self, user_id: int) -> dict[str, int]:
        """Erase a user's history for a "forget me" request; returns counts per kind.

        Custom questions they wrote belong to the guild, so they stay, unattributed.
        """
        # Rounds they started or won belong to the group: they stay, unattributed. Explicit
        # for the same reason as the custom questions below.
        await self.session.execute(
            update(Round).where(Round.starter_user_id == user_id).values(starter_user_id=None)
        )
        await self.session.execute(
            update(Round).where(Round.winner_user_id == user_id).values(winner_user_id=None)
        )
        # Round answers before attempts: they point at them.
        counts = {
            "round_answers": await _rowcount(
                self.session, delete(RoundAnswer).where(RoundAnswer.user_id == user_id)
            ),
            "round_participations": await _rowcount(
                self.session,
                delete(RoundParticipant).where(RoundParticipant.user_id == user_id),
            ),
            "attempts": await _rowcount(
                self.session, delete(Attempt).where(Attempt.user_id == user_id)
            ),
            "sessions": await _rowcount(
                self.session, delete(InterviewSession).where(InterviewSession.user_id == user_id)
            ),
            "reviews": await _rowcount(
                self.session, delete(ReviewSchedule).where(ReviewSchedule.user_id == user_id)
            ),
            # Explicit rather than trusting ON DELETE SET NULL, which SQLite only honours
            # when foreign_keys is on for that connection.
            "custom_questions_unattributed": await _rowcount(
                self.session,
                update(CustomQuestion)
                .where(CustomQuestion.created_by == user_id)
                .values(created_by=None),
            ),
            "users": await _rowcount(self.session, delete(User).where(User.id == user_id)),
        }
        await self.session.flush()
        return counts


class GuildRepository(_Repository):
    async def get(self, guild_id: int) -> Guild | None:
        return await self.session.get(Guild, guild_id)

    async def ensure(self, guild_id: int, name: str) -> Guild:
        """The guild row, created on first sight; keeps the name current (servers rename)."""
        guild = await self.get(guild_id)
        if guild is None:
            await self.session.execute(
                _insert(self.session, Guild)
                .values(id=guild_id, name=name, settings={}, created_at=utcnow())
                .on_conflict_do_nothing(index_elements=[Guild.id])
            )
            guild = cast(Guild, await self.session.get(Guild, guild_id, populate_existing=True))
        if guild.name != name:
            guild.name = name
            await self.session.flush()
        return guild

    async def update_settings(self, guild_id: int, settings: Mapping[str, Any]) -> Guild | None:
        """Merge `settings` into the guild's settings; None if the guild is unknown.

        A new dict is assigned because in-place edits to a JSON column go unnoticed.
        """
        guild = await self.get(guild_id)
        if guild is None:
            return None
        guild.settings = {**(guild.settings or {}), **settings}
        await self.session.flush()
        return guild


# What save_if_version writes: everything that changes while a session runs.
_SESSION_MUTABLE_FIELDS: Final = (
    "channel_id",
    "status",
    "filters",
    "question_ids",
    "position",
    "hints_used",
    "question_started_at",
    "finished_at",
)


class SessionRepository(_Repository):
    async def add(self, session: InterviewSession) -> InterviewSession:
        self.session.add(session)
        await self.session.flush()
        return session

    async def get(self, session_id: int) -> InterviewSession | None:
        return await self.session.get(InterviewSession, session_id)

    async def active_for(self, user_id: int, guild_id: int | None) -> InterviewSession | None:
        """The user's newest active session in one scope (guild_id None = DM/terminal)."""
        scope = (
            InterviewSession.guild_id.is_(None)
            if guild_id is None
            else InterviewSession.guild_id == guild_id
        )
        return await self._first(
            select(InterviewSession)
            .where(InterviewSession.user_id == user_id, InterviewSession.status == "active", scope)
            .order_by(InterviewSession.created_at.desc(), InterviewSession.id.desc())
        )

    async def save_if_version(self, session: InterviewSession, expected_version: int) -> bool:
        """Write the session's progress only if nobody else has since `expected_version`.

        Returns False when another writer won (e.g. a double-clicked button): the caller
        should then do nothing, so an answer is scored once. On success the object's
        version becomes expected_version + 1. On failure an object held by this session
        is refreshed to the winner's state, discarding local edits. `updated_at` is written
        as the caller set it, or now if they did not.

        The UPDATE bypasses the unit of work on purpose: an autoflush of the object's edits
        would write them without the version check.
        """
        if session.id is None:
            raise ValueError("save_if_version needs a stored session; add() it first")
        # Keep an updated_at the caller set (an injected clock); otherwise stamp it now.
        touched = inspect(session).attrs.updated_at.history.added
        now = touched[0] if touched and touched[0] is not None else utcnow()
        values: dict[str, Any] = {name: getattr(session, name) for name in _SESSION_MUTABLE_FIELDS}
        table = cast(Table, InterviewSession.__table__)
        with self.session.no_autoflush:
            won = (
                await _rowcount(
                    self.session,
                    update(table)
                    .where(table.c.id == session.id, table.c.version == expected_version)
                    .values(**values, updated_at=now, version=expected_version + 1),
                )
                == 1
            )
            if won:
                # Mark what was written as the stored state so no second UPDATE follows.
                values.update(updated_at=now, version=expected_version + 1)
                for name, value in values.items():
                    set_committed_value(session, name, value)
            elif session in self.session:
                await self.session.refresh(session)
        return won


class AttemptRepository(_Repository):
    async def add(self, attempt: Attempt) -> Attempt:
        self.session.add(attempt)
        await self.session.flush()
        return attempt

    async def for_user(
        self,
        user_id: int,
        *,
        guild_id: int | Unset | None = UNSET,
        since: datetime | None = None,
        limit: int | None = None,
    ) -> list[Attempt]:
        """A user's attempts, oldest first; with `limit`, the most recent `limit` of them.

        guild_id: UNSET = every scope, None = DM/terminal only, an id = that guild only.
        """
        statement = select(Attempt).where(Attempt.user_id == user_id)
        if guild_id is None:
            statement = statement.where(Attempt.guild_id.is_(None))
        elif not isinstance(guild_id, Unset):
            statement = statement.where(Attempt.guild_id == guild_id)
        if since is not None:
            statement = statement.where(Attempt.submitted_at >= since)
        newest_first = statement.order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
        if limit is not None:
            return list(reversed(await self._all(newest_first.limit(limit))))
        return await self._all(statement.order_by(Attempt.submitted_at, Attempt.id))

    async def for_guild(self, guild_id: int, since: datetime | None = None) -> list[Attempt]:
        """Every attempt made in a guild, oldest first (leaderboards, guild stats)."""
        statement = select(Attempt).where(Attempt.guild_id == guild_id)
        if since is not None:
            statement = statement.where(Attempt.submitted_at >= since)
        return await self._all(statement.order_by(Attempt.submitted_at, Attempt.id))

    async def guild_totals(
        self, guild_id: int, since: datetime | None = None
    ) -> builtins.list[UserTotals]:
        """Answers and average score per user in a guild, aggregated in the database."""
        statement = (
            select(
                User.id,
                User.display_name,
                func.count(Attempt.id),
                func.avg(Attempt.score),
            )
            .join(User, User.id == Attempt.user_id)
            .where(Attempt.guild_id == guild_id)
            .group_by(User.id, User.display_name)
        )
        if since is not None:
            statement = statement.where(Attempt.submitted_at >= since)
        rows = (await self.session.execute(statement)).all()
        return [UserTotals(row[0], row[1], int(row[2]), float(row[3])) for row in rows]

    async def for_session(self, session_id: int) -> list[Attempt]:
        """Attempts made in one interview session, oldest first (end-of-session summary)."""
        return await self._all(
            select(Attempt)
            .where(Attempt.session_id == session_id)
            .order_by(Attempt.submitted_at, Attempt.id)
        )

    async def question_ids_for_user(self, user_id: int) -> set[str]:
        """Every question the user has answered in any scope, so selection can skip them."""
        statement = select(Attempt.question_id).where(Attempt.user_id == user_id).distinct()
        return set((await self.session.execute(statement)).scalars().all())

    async def count_for_user(self, user_id: int) -> int:
        """Attempts across all scopes, without loading them."""
        statement = select(func.count()).select_from(Attempt).where(Attempt.user_id == user_id)
        return int((await self.session.execute(statement)).scalar_one())


class ReviewRepository(_Repository):
    async def get(self, user_id: int, question_id: str) -> ReviewSchedule | None:
        return await self.session.get(ReviewSchedule, (user_id, question_id))

    async def upsert(self, row: ReviewSchedule) -> ReviewSchedule:
        """Insert or overwrite the schedule for (row.user_id, row.question_id).

        `row` is only read, never added; the stored instance is returned. ON CONFLICT keeps
        two concurrent reviews of the same question from failing on the primary key.
        `row.updated_at` is kept if set (callers with an injected clock), else now.
        """
        values: dict[str, Any] = {
            "interval_days": row.interval_days,
            "repetitions": row.repetitions,
            "last_score": row.last_score,
            "due_at": row.due_at,
            "updated_at": row.updated_at or utcnow(),
        }
        await self.session.execute(
            _insert(self.session, ReviewSchedule)
            .values(user_id=row.user_id, question_id=row.question_id, **values)
            .on_conflict_do_update(
                index_elements=[ReviewSchedule.user_id, ReviewSchedule.question_id],
                set_=values,
            )
        )
        stored = await self.session.get(
            ReviewSchedule, (row.user_id, row.question_id), populate_existing=True
        )
        return cast(ReviewSchedule, stored)

    async def due(
        self, user_id: int, now: datetime, limit: int | None = None
    ) -> list[ReviewSchedule]:
        """Questions whose review is due at `now`, most overdue first."""
        statement = (
            select(ReviewSchedule)
            .where(ReviewSchedule.user_id == user_id, ReviewSchedule.due_at <= now)
            .order_by(ReviewSchedule.due_at, ReviewSchedule.question_id)
        )
        if limit is not None:
            statement = statement.limit(limit)
        return await self._all(statement)

    async def for_user(self, user_id: int) -> list[ReviewSchedule]:
        """The user's whole schedule, soonest first (selection weighs due and not-yet-due)."""
        return await self._all(
            select(ReviewSchedule)
            .where(ReviewSchedule.user_id == user_id)
            .order_by(ReviewSchedule.due_at, ReviewSchedule.question_id)
        )

    async def next_due(self, user_id: int) -> ReviewSchedule | None:
        """The earliest scheduled review, due or not (for "next review in 3 days")."""
        return await self._first(
            select(ReviewSchedule)
            .where(ReviewSchedule.user_id == user_id)
            .order_by(ReviewSchedule.due_at, ReviewSchedule.question_id)
        )


class CustomQuestionRepository(_Repository):
    """Guild-authored questions; deletion is soft so attempts keep their question text."""

    async def get(
        self, guild_id: int, question_id: str, include_deleted: bool = False
    ) -> CustomQuestion | None:
        statement = select(CustomQuestion).where(
            CustomQuestion.guild_id == guild_id, CustomQuestion.question_id == question_id
        )
        if not include_deleted:
            statement = statement.where(CustomQuestion.deleted_at.is_(None))
        return await self._first(statement)

    async def list(self, guild_id: int) -> builtins.list[CustomQuestion]:
        """The guild's live questions, by id."""
        return await self._all(
            select(CustomQuestion)
            .where(CustomQuestion.guild_id == guild_id, CustomQuestion.deleted_at.is_(None))
            .order_by(CustomQuestion.question_id)
        )

    async def add(self, question: CustomQuestion) -> CustomQuestion:
        """Store a new question; re-adding a deleted id revives that row with the new data.

        Returns the stored instance, which is the revived row rather than `question` in
        that case. Raises ConflictError if the guild already has a live question with
        that id.
        """
        existing = await self.get(question.guild_id, question.question_id, include_deleted=True)
        if existing is None:
            self.session.add(question)
            await self.session.flush()
            return question
        if existing.deleted_at is None:
            raise ConflictError(
                f"this server already has a custom question with id {question.question_id!r}"
            )
        existing.data = question.data
        existing.created_by = question.created_by
        existing.deleted_at = None
        existing.updated_at = utcnow()
        await self.session.flush()
        return existing

    async def soft_delete(self, guild_id: int, question_id: str) -> bool:
        """Hide a live question; False if there was none to hide."""
        question = await self.get(guild_id, question_id)
        if question is None:
            return False
        question.deleted_at = utcnow()
        await self.session.flush()
        return True

    async def update_data(
        self, guild_id: int, question_id: str, data: dict[str, Any]
    ) -> CustomQuestion | None:
        """Replace a live question's content; None if there is no such live question."""
        question = await self.get(guild_id, question_id)
        if question is None:
            return None
        question.data = data
        question.updated_at = utcnow()
        await self.session.flush()
        return question


# What RoundRepository.save_if_version writes. Thread and message ids are left out on
# purpose: set_messages writes them without a version check, and a state change racing it
# must not put back the ids it read earlier.
_ROUND_MUTABLE_FIELDS: Final = (
    "status",
    "position",
    "question_opened_at",
    "question_deadline",
    "winner_user_id",
    "started_at",
    "finished_at",
    "question_message_id",
)


class RoundRepository(_Repository):
    """Study-group rounds, their participants and their (not yet scored) answers."""

    async def add(self, round_: Round) -> Round:
        self.session.add(round_)
        await self.session.flush()
        return round_

    async def get(self, round_id: int, *, share_lock: bool = False) -> Round | None:
        """The round as stored now (never a stale copy from this session's identity map).

        `share_lock` takes PostgreSQL's FOR SHARE lock, which holds back a version-checked
        state change until this transaction ends; SQLite's single writer already does that.
        """
        statement = (
            select(Round).where(Round.id == round_id).execution_options(populate_existing=True)
        )
        if share_lock:
            statement = statement.with_for_update(read=True)
        return await self._first(statement)

    async def active_in_channel(self, channel_id: int) -> Round | None:
        """The lobby or running round of a channel, found by its channel or its thread."""
        return await self._first(
            select(Round)
            .where(
                or_(Round.channel_id == channel_id, Round.thread_id == channel_id),
                Round.status.in_(("lobby", "running")),
            )
            .order_by(Round.id.desc())
            .execution_options(populate_existing=True)
        )

    async def pending(self) -> builtins.list[Round]:
        """Every round still in its lobby or running, oldest first (restart recovery)."""
        return await self._all(
            select(Round)
            .where(Round.status.in_(("lobby", "running")))
            .order_by(Round.id)
            .execution_options(populate_existing=True)
        )

    async def save_if_version(self, round_: Round, expected_version: int) -> bool:
        """Write the round's state only if nobody changed it since `expected_version`.

        Same contract as SessionRepository.save_if_version: False means another writer won
        and an object held by this session was refreshed to the winner's state; True bumps
        the object's version to expected_version + 1.
        """
        if round_.id is None:
            raise ValueError("save_if_version needs a stored round; add() it first")
        values: dict[str, Any] = {name: getattr(round_, name) for name in _ROUND_MUTABLE_FIELDS}
        table = cast(Table, Round.__table__)
        with self.session.no_autoflush:
            won = (
                await _rowcount(
                    self.session,
                    update(table)
                    .where(table.c.id == round_.id, table.c.version == expected_version)
                    .values(**values, version=expected_version + 1),
                )
                == 1
            )
            if won:
                values["version"] = expected_version + 1
                for name, value in values.items():
                    set_committed_value(round_, name, value)
            elif round_ in self.session:
                await self.session.refresh(round_)
        return won

    async def set_messages(self, round_id: int, **ids: int) -> None:
        """Record where the round is shown (thread, lobby and question message ids)."""
        allowed = {"thread_id", "lobby_message_id", "question_message_id"}
        if not ids:
            return
        if unknown := set(ids) - allowed:
            raise ValueError(f"not a round message field: {', '.join(sorted(unknown))}")
        await self.session.execute(update(Round).where(Round.id == round_id).values(**ids))

    # -- participants ------------------------------------------------------------------------

    async def add_participant(self, round_id: int, user_id: int, joined_at: datetime) -> bool:
        """Join a round; False if the user had already joined (their join time is kept)."""
        inserted = await _rowcount(
            self.session,
            _insert(self.session, RoundParticipant)
            .values(round_id=round_id, user_id=user_id, joined_at=joined_at)
            .on_conflict_do_nothing(
                index_elements=[RoundParticipant.round_id, RoundParticipant.user_id]
            ),
        )
        return inserted == 1

    async def remove_participant(self, round_id: int, user_id: int) -> bool:
        """Leave a round; False if the user was not in it."""
        statement = delete(RoundParticipant).where(
            RoundParticipant.round_id == round_id, RoundParticipant.user_id == user_id
        )
        return await _rowcount(self.session, statement) == 1

    async def is_participant(self, round_id: int, user_id: int) -> bool:
        statement = (
            select(func.count())
            .select_from(RoundParticipant)
            .where(RoundParticipant.round_id == round_id, RoundParticipant.user_id == user_id)
        )
        return int((await self.session.execute(statement)).scalar_one()) > 0

    async def participants(self, round_id: int) -> builtins.list[RoundMember]:
        """Who is in the round, in the order they joined."""
        statement = (
            select(User.id, User.discord_id, User.display_name, RoundParticipant.joined_at)
            .join(User, User.id == RoundParticipant.user_id)
            .where(RoundParticipant.round_id == round_id)
            .order_by(RoundParticipant.joined_at, User.id)
        )
        rows = (await self.session.execute(statement)).all()
        return [RoundMember(row[0], row[1], row[2], row[3]) for row in rows]

    # -- answers -----------------------------------------------------------------------------

    async def upsert_answer(
        self, round_id: int, position: int, user_id: int, answer: str, submitted_at: datetime
    ) -> bool:
        """Store a participant's answer, replacing any earlier one; True if it replaced one.

        Insert-or-nothing, then update: the unique key decides atomically which happens,
        so two quick submits by one person never leave two rows.
        """
        inserted = await _rowcount(
            self.session,
            _insert(self.session, RoundAnswer)
            .values(
                round_id=round_id,
                position=position,
                user_id=user_id,
                answer=answer,
                submitted_at=submitted_at,
            )
            .on_conflict_do_nothing(
                index_elements=[RoundAnswer.round_id, RoundAnswer.position, RoundAnswer.user_id]
            ),
        )
        if inserted == 1:
            return False
        await self.session.execute(
            update(RoundAnswer)
            .where(
                RoundAnswer.round_id == round_id,
                RoundAnswer.position == position,
                RoundAnswer.user_id == user_id,
            )
            .values(answer=answer, submitted_at=submitted_at)
        )
        return True

    async def answers(self, round_id: int, position: int) -> builtins.list[RoundAnswer]:
        """Each participant's last answer to one question, earliest submission first."""
        return await self._all(
            select(RoundAnswer)
            .where(RoundAnswer.round_id == round_id, RoundAnswer.position == position)
            .order_by(RoundAnswer.submitted_at, RoundAnswer.id)
            .execution_options(populate_existing=True)
        )

    async def answer_for(self, round_id: int, position: int, user_id: int) -> RoundAnswer | None:
        return await self._first(
            select(RoundAnswer).where(
                RoundAnswer.round_id == round_id,
                RoundAnswer.position == position,
                RoundAnswer.user_id == user_id,
            )
        )

    async def answered_user_ids(self, round_id: int, position: int) -> set[int]:
        statement = select(RoundAnswer.user_id).where(
            RoundAnswer.round_id == round_id, RoundAnswer.position == position
        )
        return set((await self.session.execute(statement)).scalars().all())

    async def link_attempt(self, answer_id: int, attempt_id: int) -> None:
        """Point a scored answer at the attempt it became."""
        await self.session.execute(
            update(RoundAnswer).where(RoundAnswer.id == answer_id).values(attempt_id=attempt_id)
        )

    # -- results -----------------------------------------------------------------------------

    async def scores(self, round_id: int) -> dict[int, tuple[int, int]]:
        """Per user: (total score, questions answered) over the round's scored attempts."""
        statement = (
            select(Attempt.user_id, func.sum(Attempt.score), func.count(Attempt.id))
            .where(Attempt.round_id == round_id)
            .group_by(Attempt.user_id)
        )
        rows = (await self.session.execute(statement)).all()
        return {row[0]: (int(row[1] or 0), int(row[2])) for row in rows}

    async def guild_stats(
        self, guild_id: int, since: datetime | None = None
    ) -> builtins.list[RoundTotals]:
        """Per user in a guild: ended rounds played and rounds won, finished since `since`.

        A round counts as played once it finished or was stopped after it began; cancelled
        rounds (nobody joined), rounds stopped in the lobby and rounds still going do not.
        """
        statement = (
            select(
                User.id,
                User.display_name,
                func.count(Round.id),
                func.sum(case((Round.winner_user_id == User.id, 1), else_=0)),
            )
            .select_from(RoundParticipant)
            .join(Round, Round.id == RoundParticipant.round_id)
            .join(User, User.id == RoundParticipant.user_id)
            .where(
                Round.guild_id == guild_id,
                Round.status.in_(ENDED_ROUND_STATUSES),
                # A round stopped in its lobby asked nothing: nobody played it.
                Round.started_at.is_not(None),
            )
            .group_by(User.id, User.display_name)
        )
        if since is not None:
            statement = statement.where(Round.finished_at >= since)
        rows = (await self.session.execute(statement)).all()
        return [RoundTotals(row[0], row[1], int(row[2]), int(row[3] or 0)) for row in rows]
