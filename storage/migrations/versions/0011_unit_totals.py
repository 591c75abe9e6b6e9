"""units' figures rolled up by the nightly job

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The Organisation page read 24 months of every unit and added them up on the event loop
    # the bot answers on (issue 15): the nightly job now leaves the sums (empty until it runs).
    op.create_table(
        "unit_totals",
        sa.Column("unit_id", sa.String(length=100), nullable=False),
        sa.Column("staff", sa.Integer(), nullable=False),
        sa.Column("fte", sa.Float(), nullable=False),
        sa.Column("lost_days", sa.Float(), nullable=False),
        sa.Column("planned_days", sa.Float(), nullable=False),
        sa.Column("periods_short", sa.Integer(), nullable=False),
        sa.Column("periods_medium", sa.Integer(), nullable=False),
        sa.Column("periods_long", sa.Integer(), nullable=False),
        sa.Column("swing", sa.Boolean(), nullable=False),
        sa.Column("first_month", sa.Date(), nullable=False),
        sa.Column("trend", sa.JSON(), nullable=False),
        sa.Column("computed_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("unit_id", name=op.f("pk_unit_totals")),
    )


def downgrade() -> None:
    op.drop_table("unit_totals")
