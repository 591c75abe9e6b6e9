"""a unit's planner

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 17:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Who plans the unit's shifts: told that someone is absent, never why (issue 14).
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.add_column(sa.Column("planner_id", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.drop_column("planner_id")
