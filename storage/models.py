"""ORM models: the schema that migrations/versions must reproduce exactly.

The habits tables (question of the day, reminders) are in habit_models.py, on the same
metadata. Rows with `guild_id` NULL belong to the DM/terminal scope; a guild id scopes data to one
Discord server so server leaderboards never mix with private practice.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Deterministic constraint names let Alembic's SQLite batch mode and later migrations
# refer to constraints by name on both backends.
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SESSION_MODES = ("practice", "review")
SESSION_STATUSES = ("active", "finished", "stopped")
ROUND_STATUSES = ("lobby", "running", "finished", "stopped", "cancelled")
ROUND_ACTIVE_STATUSES = ("lobby", "running")


def utcnow() -> datetime:
    """Column default: aware UTC, so comparisons never mix naive and aware values."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Store instants as UTC and always hand back aware datetimes.

    SQLite keeps no offset, so without this a value read back would be naive and
    comparing it with `datetime.now(UTC)` would raise. Naive input is refused rather than
    guessed at, since a naive local time silently stored as UTC is a hard bug to find.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: pass a timezone-aware datetime")
        value = value.astimezone(UTC)
        # SQLite would store the offset text inconsistently; it is always UTC anyway.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base carrying the shared metadata and naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class User(Base):
    """A person: either a Discord account or a named local (terminal) user, never both."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "(discord_id IS NULL) <> (local_name IS NULL)", name="exactly_one_identity"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    discord_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    local_name: Mapped[str | None] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        who = f"discord_id={self.discord_id}" if self.discord_id else f"local={self.local_name!r}"
        return f"<User id={self.id} {who}>"


class Guild(Base):
    """A Discord server; its id is Discord's, so no surrogate key is needed."""

    __tablename__ = "guilds"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(100))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Guild id={self.id} name={self.name!r}>"


class CustomQuestion(Base):
    """A question a guild wrote itself, kept after deletion so old attempts still resolve."""

    __tablename__ = "custom_questions"
    __table_args__ = (UniqueConstraint("guild_id", "question_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("guilds.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<CustomQuestion guild={self.guild_id} id={self.question_id!r}>"


class InterviewSession(Base):
    """One run through a list of questions; `version` guards against concurrent writers."""

    __tablename__ = "interview_sessions"
    __table_args__ = (Index(None, "user_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("users.id", ondelete="CASCADE"))
    guild_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("guilds.id", ondelete="CASCADE")
    )
    channel_id: Mapped[int | None] = mapped_column(BigInteger)
    mode: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="active")
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    question_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    hints_used: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=0)
    question_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return (
            f"<InterviewSession id={self.id} user={self.user_id} {self.status} "
            f"{self.position}/{len(self.question_ids or [])} v{self.version}>"
        )


class Attempt(Base):
    """One scored answer, with the pack version so rescoring history stays explainable."""

    __tablename__ = "attempts"
    __table_args__ = (
        Index(None, "user_id", "submitted_at"),
        Index(None, "guild_id", "submitted_at"),
        Index(None, "user_id", "question_id"),
        # Without it, deleting a session makes PostgreSQL scan all attempts for SET NULL.
        Index(None, "session_id"),
        Index(None, "round_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("users.id", ondelete="CASCADE"))
    guild_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("guilds.id", ondelete="CASCADE")
    )
    session_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("interview_sessions.id", ondelete="SET NULL")
    )
    # Set for answers given in a study-group round; the attempt outlives the round.
    round_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("rounds.id", ondelete="SET NULL")
    )
    question_id: Mapped[str] = mapped_column(String(64))
    # Copied from the question so per-topic progress survives pack edits and deletions.
    topic: Mapped[str] = mapped_column(String(64))
    pack_id: Mapped[str] = mapped_column(String(64))
    pack_version: Mapped[str] = mapped_column(String(32))
    answer: Mapped[str] = mapped_column(Text)
    score: Mapped[int] = mapped_column(Integer)
    band: Mapped[str] = mapped_column(String(16))
    concept_results: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    misconceptions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    hints_used: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    time_taken_ms: Mapped[int | None] = mapped_column(Integer)

    def __repr__(self) -> str:
        return (
            f"<Attempt id={self.id} user={self.user_id} q={self.question_id!r} score={self.score}>"
        )


class ReviewSchedule(Base):
    """Spaced-repetition state: one row per user and question, keyed naturally."""

    __tablename__ = "review_schedule"
    __table_args__ = (Index(None, "user_id", "due_at"),)

    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    interval_days: Mapped[float] = mapped_column(Float)
    repetitions: Mapped[int] = mapped_column(Integer)
    last_score: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<ReviewSchedule user={self.user_id} q={self.question_id!r} due={self.due_at}>"


class Round(Base):
    """A study-group round: several members answer the same timed questions in one channel.

    Like a session it lives in the database so it survives a restart, and `version` lets
    only one of several concurrent closers (timer, "everyone answered", /round stop) win.
    """

    __tablename__ = "rounds"
    __table_args__ = (
        Index(None, "channel_id", "status"),
        Index(None, "guild_id", "status"),
        # One lobby or running round per channel, even when two /round start calls race.
        Index(
            "uq_rounds_active_channel_id",
            "channel_id",
            unique=True,
            sqlite_where=text("status IN ('lobby', 'running')"),
            postgresql_where=text("status IN ('lobby', 'running')"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("guilds.id", ondelete="CASCADE"))
    channel_id: Mapped[int] = mapped_column(BigInteger)
    thread_id: Mapped[int | None] = mapped_column(BigInteger)
    starter_user_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(16), default="lobby")
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    question_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[int] = mapped_column(Integer)
    lobby_seconds: Mapped[int] = mapped_column(Integer)
    lobby_deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    question_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    question_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lobby_message_id: Mapped[int | None] = mapped_column(BigInteger)
    question_message_id: Mapped[int | None] = mapped_column(BigInteger)
    winner_user_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="SET NULL")
    )
    # Reveals posted so far and whether the final standings were: a restart posts the rest.
    revealed: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    standings_posted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return (
            f"<Round id={self.id} channel={self.channel_id} {self.status} "
            f"{self.position}/{len(self.question_ids or [])} v{self.version}>"
        )


class RoundParticipant(Base):
    """Membership of a round; the natural key makes joining twice a no-op."""

    __tablename__ = "round_participants"
    # The primary key leads with round_id; deleting a user needs its own index.
    __table_args__ = (Index(None, "user_id"),)

    round_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<RoundParticipant round={self.round_id} user={self.user_id}>"


class RoundAnswer(Base):
    """A participant's latest answer to one round question, unscored until the question closes.

    The unique key keeps one row per participant and question, so a resubmission replaces
    the earlier answer instead of being counted beside it.
    """

    __tablename__ = "round_answers"
    __table_args__ = (
        UniqueConstraint("round_id", "position", "user_id"),
        Index(None, "user_id"),
        Index(None, "attempt_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(Integer, ForeignKey("rounds.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("users.id", ondelete="CASCADE"))
    answer: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempt_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("attempts.id", ondelete="SET NULL")
    )

    def __repr__(self) -> str:
        return (
            f"<RoundAnswer round={self.round_id} q={self.position} user={self.user_id} "
            f"attempt={self.attempt_id}>"
        )


# Peer mock interviews live in their own module; importing it puts them on this metadata.
from storage.mock_models import (  # noqa: E402, F401
    MockBlock,
    MockMember,
    MockRound,
    MockSession,
)
