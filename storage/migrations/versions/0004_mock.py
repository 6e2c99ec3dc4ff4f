"""Peer mock interviews: sessions, their two rounds, members' places, blocked pairs.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04

Written out in full rather than importing storage.models, like 0001 and 0002.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _user_fk(table: str, column: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["users.id"], name=f"fk_{table}_{column}_users", ondelete=ondelete
    )


def _guild_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["guild_id"], ["guilds.id"], name=f"fk_{table}_guild_id_guilds", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "mock_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("thread_id", sa.BigInteger(), nullable=True),
        sa.Column("voice_channel_id", sa.BigInteger(), nullable=True),
        sa.Column("invite_message_id", sa.BigInteger(), nullable=True),
        sa.Column("first_user_id", sa.Integer(), nullable=True),
        sa.Column("second_user_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("end_reason", sa.String(length=16), nullable=True),
        sa.Column("ended_by_user_id", sa.Integer(), nullable=True),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("question_ids", sa.JSON(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        _timestamp("deadline", nullable=True),
        sa.Column("first_useful", sa.Boolean(), nullable=True),
        sa.Column("second_useful", sa.Boolean(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        _timestamp("ended_at", nullable=True),
        _guild_fk("mock_sessions"),
        _user_fk("mock_sessions", "first_user_id", "SET NULL"),
        _user_fk("mock_sessions", "second_user_id", "SET NULL"),
        _user_fk("mock_sessions", "ended_by_user_id", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_mock_sessions"),
    )
    op.create_index("ix_mock_sessions_guild_id_status", "mock_sessions", ["guild_id", "status"])

    op.create_table(
        "mock_rounds",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("interviewer_id", sa.Integer(), nullable=True),
        sa.Column("candidate_id", sa.Integer(), nullable=True),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("ticked", sa.JSON(), nullable=False),
        sa.Column("depth", sa.Integer(), nullable=True),
        sa.Column("communication", sa.Integer(), nullable=True),
        sa.Column("problem_solving", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        _timestamp("rated_at", nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("auto_score", sa.Integer(), nullable=True),
        sa.Column("auto_band", sa.String(length=16), nullable=True),
        _timestamp("started_at"),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["mock_sessions.id"],
            name="fk_mock_rounds_session_id_mock_sessions",
            ondelete="CASCADE",
        ),
        _user_fk("mock_rounds", "interviewer_id", "SET NULL"),
        _user_fk("mock_rounds", "candidate_id", "SET NULL"),
        sa.PrimaryKeyConstraint("session_id", "number", name="pk_mock_rounds"),
    )
    op.create_index("ix_mock_rounds_interviewer_id", "mock_rounds", ["interviewer_id"])
    op.create_index("ix_mock_rounds_candidate_id", "mock_rounds", ["candidate_id"])

    op.create_table(
        "mock_members",
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("topic", sa.String(length=64), nullable=True),
        sa.Column("difficulty", sa.String(length=16), nullable=True),
        sa.Column("front", sa.Boolean(), nullable=False),
        _timestamp("joined_at"),
        _guild_fk("mock_members"),
        _user_fk("mock_members", "user_id", "CASCADE"),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["mock_sessions.id"],
            name="fk_mock_members_session_id_mock_sessions",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("guild_id", "user_id", name="pk_mock_members"),
    )
    op.create_index("ix_mock_members_user_id", "mock_members", ["user_id"])
    op.create_index("ix_mock_members_session_id", "mock_members", ["session_id"])

    op.create_table(
        "mock_blocks",
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_low", sa.Integer(), nullable=False),
        sa.Column("user_high", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        _timestamp("created_at"),
        _guild_fk("mock_blocks"),
        _user_fk("mock_blocks", "user_low", "CASCADE"),
        _user_fk("mock_blocks", "user_high", "CASCADE"),
        sa.PrimaryKeyConstraint("guild_id", "user_low", "user_high", name="pk_mock_blocks"),
    )


def downgrade() -> None:
    op.drop_table("mock_blocks")
    op.drop_table("mock_members")
    op.drop_table("mock_rounds")
    op.drop_table("mock_sessions")
