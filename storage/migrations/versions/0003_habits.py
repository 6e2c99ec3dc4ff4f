"""Habits: the question of the day (schedules, posts, answers) and members' reminder state.

Revision ID: 0003
Revises: 0002
Create Date: 2027-01-10

Written out in full rather than importing storage.models, like 0001 and 0002.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "daily_schedules",
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("local_time", sa.String(length=5), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("topic", sa.String(length=64), nullable=True),
        sa.Column("difficulty", sa.String(length=16), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("set_by_user_id", sa.Integer(), nullable=True),
        sa.Column("disabled_reason", sa.String(length=200), nullable=True),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        _fk("daily_schedules", "guild_id", "guilds", "CASCADE"),
        _fk("daily_schedules", "set_by_user_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("guild_id", name="pk_daily_schedules"),
    )
    op.create_table(
        "daily_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        _timestamp("posted_at"),
        _timestamp("recap_at", nullable=True),
        _fk("daily_posts", "guild_id", "guilds", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_daily_posts"),
        sa.UniqueConstraint("guild_id", "day", name="uq_daily_posts_guild_id_day"),
    )
    op.create_table(
        "daily_answers",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=True),
        sa.Column("score", sa.Integer(), nullable=False),
        _timestamp("submitted_at"),
        _fk("daily_answers", "post_id", "daily_posts", "CASCADE"),
        _fk("daily_answers", "user_id", "users", "CASCADE"),
        _fk("daily_answers", "attempt_id", "attempts", "SET NULL"),
        sa.PrimaryKeyConstraint("post_id", "user_id", name="pk_daily_answers"),
    )
    op.create_index("ix_daily_answers_user_id", "daily_answers", ["user_id"])
    op.create_index("ix_daily_answers_attempt_id", "daily_answers", ["attempt_id"])
    op.create_table(
        "user_habits",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("remind", sa.Boolean(), nullable=False),
        sa.Column("remind_time", sa.String(length=5), nullable=False),
        sa.Column("remind_off_reason", sa.String(length=200), nullable=True),
        sa.Column("last_reminded_day", sa.Date(), nullable=True),
        sa.Column("daily_names", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _timestamp("updated_at"),
        _fk("user_habits", "user_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name="pk_user_habits"),
    )


def downgrade() -> None:
    op.drop_table("user_habits")
    op.drop_table("daily_answers")
    op.drop_table("daily_posts")
    op.drop_table("daily_schedules")
