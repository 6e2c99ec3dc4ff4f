"""Study-group rounds: rounds, their participants and answers, and attempts.round_id.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

Written out in full rather than importing storage.models, like 0001.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVE = "status IN ('lobby', 'running')"


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("thread_id", sa.BigInteger(), nullable=True),
        sa.Column("starter_user_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("question_ids", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("lobby_seconds", sa.Integer(), nullable=False),
        _timestamp("lobby_deadline"),
        _timestamp("question_opened_at", nullable=True),
        _timestamp("question_deadline", nullable=True),
        sa.Column("lobby_message_id", sa.BigInteger(), nullable=True),
        sa.Column("question_message_id", sa.BigInteger(), nullable=True),
        sa.Column("winner_user_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        _timestamp("started_at", nullable=True),
        _timestamp("finished_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["guild_id"], ["guilds.id"], name="fk_rounds_guild_id_guilds", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["starter_user_id"],
            ["users.id"],
            name="fk_rounds_starter_user_id_users",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["winner_user_id"],
            ["users.id"],
            name="fk_rounds_winner_user_id_users",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_rounds"),
    )
    op.create_index("ix_rounds_channel_id_status", "rounds", ["channel_id", "status"])
    op.create_index("ix_rounds_guild_id_status", "rounds", ["guild_id", "status"])
    op.create_index(
        "uq_rounds_active_channel_id",
        "rounds",
        ["channel_id"],
        unique=True,
        sqlite_where=sa.text(ACTIVE),
        postgresql_where=sa.text(ACTIVE),
    )

    # Before round_answers exists, so SQLite's rebuild of attempts has nothing pointing at it.
    with op.batch_alter_table("attempts") as batch:
        batch.add_column(sa.Column("round_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_attempts_round_id_rounds", "rounds", ["round_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index("ix_attempts_round_id", ["round_id"])

    op.create_table(
        "round_participants",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        _timestamp("joined_at"),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name="fk_round_participants_round_id_rounds",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name="fk_round_participants_user_id_users",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("round_id", "user_id", name="pk_round_participants"),
    )
    op.create_index("ix_round_participants_user_id", "round_participants", ["user_id"])
    op.create_table(
        "round_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        _timestamp("submitted_at"),
        sa.Column("attempt_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempts.id"],
            name="fk_round_answers_attempt_id_attempts",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name="fk_round_answers_round_id_rounds",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name="fk_round_answers_user_id_users",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_round_answers"),
        sa.UniqueConstraint(
            "round_id", "position", "user_id", name="uq_round_answers_round_id_position_user_id"
        ),
    )
    op.create_index("ix_round_answers_user_id", "round_answers", ["user_id"])
    op.create_index("ix_round_answers_attempt_id", "round_answers", ["attempt_id"])


def downgrade() -> None:
    op.drop_table("round_answers")
    op.drop_table("round_participants")
    with op.batch_alter_table("attempts") as batch:
        batch.drop_index("ix_attempts_round_id")
        batch.drop_constraint("fk_attempts_round_id_rounds", type_="foreignkey")
        batch.drop_column("round_id")
    op.drop_table("rounds")
