"""Rounds remember which reveals and standings were posted, so a restart posts the rest.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05

Rounds that existed before this revision count as fully announced: nothing is posted
again for them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rounds") as batch:
        batch.add_column(
            sa.Column("revealed", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
        batch.add_column(
            sa.Column("standings_posted", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.execute("UPDATE rounds SET revealed = position")
    op.execute(
        sa.text(
            "UPDATE rounds SET standings_posted = :posted WHERE status IN ('finished', 'stopped')"
        ).bindparams(posted=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("rounds") as batch:
        batch.drop_column("standings_posted")
        batch.drop_column("revealed")
