"""Peer mock interviews: who waits, who is paired, each round's checklist and ratings, and
pairs that must not meet again.

Kept beside models.py (which imports this module, so the tables share its metadata) to keep
both files readable. Everything a session needs lives here, so it survives a restart.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, UTCDateTime, utcnow

MOCK_STATUSES = ("invited", "active", "finished", "ended")
MOCK_OPEN_STATUSES = ("invited", "active")


class MockSession(Base):
    """Two members interviewing each other: `first_user_id` interviews in round 1.

    `version` lets one of a rating, a timer and a leave racing each other win.
    """

    __tablename__ = "mock_sessions"
    __table_args__ = (Index(None, "guild_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("guilds.id", ondelete="CASCADE"))
    channel_id: Mapped[int] = mapped_column(BigInteger)
    thread_id: Mapped[int | None] = mapped_column(BigInteger)
    voice_channel_id: Mapped[int | None] = mapped_column(BigInteger)
    invite_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # Nullable so a "forget me" request can unattribute the partner's session.
    first_user_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="SET NULL")
    )
    second_user_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(16), default="active")
    end_reason: Mapped[str | None] = mapped_column(String(16))
    ended_by_user_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="SET NULL")
    )
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    question_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    round: Mapped[int] = mapped_column(Integer, default=1)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_useful: Mapped[bool | None] = mapped_column(Boolean)
    second_useful: Mapped[bool | None] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<MockSession id={self.id} {self.status} round={self.round} v{self.version}>"


class MockRound(Base):
    """One half of a session: the question, the interviewer's ticks and rating, and the
    candidate's written answer with its automatic score, if they wrote one."""

    __tablename__ = "mock_rounds"
    __table_args__ = (Index(None, "interviewer_id"), Index(None, "candidate_id"))

    session_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("mock_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    interviewer_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="SET NULL")
    )
    candidate_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="SET NULL")
    )
    question_id: Mapped[str] = mapped_column(String(64))
    ticked: Mapped[list[str]] = mapped_column(JSON, default=list)
    depth: Mapped[int | None] = mapped_column(Integer)
    communication: Mapped[int | None] = mapped_column(Integer)
    problem_solving: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answer: Mapped[str | None] = mapped_column(Text)
    auto_score: Mapped[int | None] = mapped_column(Integer)
    auto_band: Mapped[str | None] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<MockRound session={self.session_id} #{self.number} rated={self.rated_at}>"


class MockMember(Base):
    """A member's one place in a server's mock interviews, which the key makes unique:
    waiting in the queue (`session_id` NULL) or taken by a session (invited or running)."""

    __tablename__ = "mock_members"
    __table_args__ = (Index(None, "user_id"), Index(None, "session_id"))

    guild_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("guilds.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    session_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("mock_sessions.id", ondelete="CASCADE")
    )
    channel_id: Mapped[int] = mapped_column(BigInteger)
    topic: Mapped[str | None] = mapped_column(String(64))
    difficulty: Mapped[str | None] = mapped_column(String(16))
    front: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<MockMember guild={self.guild_id} user={self.user_id} s={self.session_id}>"


class MockBlock(Base):
    """A pair the queue must not match again (`user_low` < `user_high`); "reported" also
    refuses invitations."""

    __tablename__ = "mock_blocks"

    guild_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("guilds.id", ondelete="CASCADE"), primary_key=True
    )
    user_low: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    user_high: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    reason: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<MockBlock {self.user_low}-{self.user_high} {self.reason}>"
