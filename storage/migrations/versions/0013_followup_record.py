"""the follow-up conversation on record (issue 18)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 23:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("followups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("held_how", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("participants", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("next_steps", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("recorded_at", storage.models.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("employee_comment", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "employee_commented_at", storage.models.UTCDateTime(timezone=True), nullable=True
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("followups", schema=None) as batch_op:
        batch_op.drop_column("employee_commented_at")
        batch_op.drop_column("employee_comment")
        batch_op.drop_column("recorded_at")
        batch_op.drop_column("next_steps")
        batch_op.drop_column("participants")
        batch_op.drop_column("held_how")
