"""ORM models of the habits features: the question of the day and members' reminder state.

Kept beside models.py (same Base, same metadata) so neither module grows past a screenful;
`storage/__init__.py` imports both, so migrations and comparisons always see every table.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, UTCDateTime, utcnow


class DailySchedule(Base):
    """A server's question of the day: where and when (local time in an IANA zone).

    `last_day` is the last local day claimed for posting; the claim is a version-checked
    write, so two processes (or a restart mid-post) never post one day twice.
    """

    __tablename__ = "daily_schedules"

    guild_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("guilds.id", ondelete="CASCADE"), primary_key=True
    )
    channel_id: Mapped[int] = mapped_column(BigInteger)
    local_time: Mapped[str] = mapped_column(String(5))  # "HH:MM"
    timezone: Mapped[str] = mapped_column(String(64))
    topic: Mapped[str | None] = mapped_column(String(64))
    difficulty: Mapped[str | None] = mapped_column(String(16))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Who set it, told when the schedule turns itself off; and why it did.
    set_by_user_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="SET NULL")
    )
    disabled_reason: Mapped[str | None] = mapped_column(String(200))
    last_day: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        state = "on" if self.enabled else "off"
        return (
            f"<DailySchedule guild={self.guild_id} {self.local_time} {self.timezone} {state} "
            f"last={self.last_day} v{self.version}>"
        )


class DailyPost(Base):
    """One day's question in one server; the unique key is the last guard against a repeat."""

    __tablename__ = "daily_posts"
    __table_args__ = (UniqueConstraint("guild_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("guilds.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    channel_id: Mapped[int] = mapped_column(BigInteger)
    question_id: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set when the recap is claimed: answers close then, and it is never posted twice.
    recap_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<DailyPost id={self.id} guild={self.guild_id} {self.day} q={self.question_id!r}>"


class DailyAnswer(Base):
    """A member's one answer to a day's question; the attempt holds the scored details."""

    __tablename__ = "daily_answers"
    __table_args__ = (Index(None, "user_id"), Index(None, "attempt_id"))

    post_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("daily_posts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    attempt_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("attempts.id", ondelete="SET NULL")
    )
    score: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<DailyAnswer post={self.post_id} user={self.user_id} score={self.score}>"


class UserHabits(Base):
    """A member's own time zone, review-reminder choice and state, and daily-recap opt-in.

    Absent row: UTC days, no reminders, never named. `last_reminded_day` is claimed with a
    version-checked write, so at most one reminder goes out per local day.
    """

    __tablename__ = "user_habits"

    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    timezone: Mapped[str | None] = mapped_column(String(64))
    remind: Mapped[bool] = mapped_column(Boolean, default=False)
    remind_time: Mapped[str] = mapped_column(String(5), default="18:00")
    remind_off_reason: Mapped[str | None] = mapped_column(String(200))
    last_reminded_day: Mapped[date | None] = mapped_column(Date)
    daily_names: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        state = f"remind {self.remind_time}" if self.remind else "no reminders"
        return f"<UserHabits user={self.user_id} {self.timezone or 'UTC'} {state} v{self.version}>"
