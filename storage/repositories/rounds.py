"""Study-group rounds, their participants and their answers (unscored until a question closes)."""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import case, delete, func, or_, select, update

from storage.models import Attempt, Round, RoundAnswer, RoundParticipant, User
from storage.repositories.base import Repository, insert, rowcount


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


class RoundRepository(Repository):
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

    async def unannounced(self) -> builtins.list[Round]:
        """Rounds with a closed question not yet revealed, or ended without their standings."""
        return await self._all(
            select(Round)
            .where(
                or_(
                    Round.revealed < Round.position,
                    Round.status.in_(ENDED_ROUND_STATUSES) & ~Round.standings_posted,
                )
            )
            .order_by(Round.id)
            .execution_options(populate_existing=True)
        )

    async def mark_revealed(self, round_id: int, count: int) -> None:
        """The first `count` questions' reveals are posted; never moves backwards."""
        await self.session.execute(
            update(Round).where(Round.id == round_id, Round.revealed < count).values(revealed=count)
        )

    async def mark_standings_posted(self, round_id: int) -> None:
        await self.session.execute(
            update(Round).where(Round.id == round_id).values(standings_posted=True)
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
        return await self._save_versioned(round_, round_.id, expected_version, values)

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
        inserted = await rowcount(
            self.session,
            insert(self.session, RoundParticipant)
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
        return await rowcount(self.session, statement) == 1

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
        inserted = await rowcount(
            self.session,
            insert(self.session, RoundAnswer)
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

    async def forget_user(self, user_id: int) -> dict[str, int]:
        """Erase a user's answers and places; rounds they started or won stay, unattributed.

        The unattributing is explicit rather than left to ON DELETE SET NULL, which SQLite
        only honours when foreign_keys is on for that connection.
        """
        for column in (Round.starter_user_id, Round.winner_user_id):
            await self.session.execute(
                update(Round).where(column == user_id).values({column.key: None})
            )
        answers = delete(RoundAnswer).where(RoundAnswer.user_id == user_id)
        places = delete(RoundParticipant).where(RoundParticipant.user_id == user_id)
        return {
            "round_answers": await rowcount(self.session, answers),
            "round_participations": await rowcount(self.session, places),
        }

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
