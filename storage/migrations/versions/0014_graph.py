"""Entra ID and Graph (issue 19): the directory mirror, the delta feed's place, app installs

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 23:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "directory_users",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_users")),
    )
    op.create_table(
        "directory_sync",
        sa.Column("feed", sa.String(length=50), nullable=False),
        sa.Column("delta_link", sa.Text(), nullable=False),
        sa.Column("selected", sa.String(length=500), nullable=False),
        sa.Column("synced_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("feed", name=op.f("pk_directory_sync")),
    )
    op.create_table(
        "app_installs",
        sa.Column("aad_object_id", sa.String(length=64), nullable=False),
        sa.Column("app_id", sa.String(length=100), nullable=False),
        sa.Column("installed_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("aad_object_id", name=op.f("pk_app_installs")),
    )
    op.create_table(
        "feed_notices",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("notice_key", sa.String(length=200), nullable=False),
        sa.Column("recipient_id", sa.String(length=100), nullable=False),
        sa.Column("notification", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("due_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_on", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("problem", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_notices")),
        sa.UniqueConstraint("notice_key", name=op.f("uq_feed_notices_notice_key")),
    )
    op.create_index(op.f("ix_feed_notices_recipient_id"), "feed_notices", ["recipient_id"])
    op.create_index(op.f("ix_feed_notices_status"), "feed_notices", ["status"])
    op.create_table(
        "outlook_choices",
        sa.Column("employee_id", sa.String(length=100), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("chosen_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("employee_id", name=op.f("pk_outlook_choices")),
    )
    op.create_table(
        "outlook_absences",
        sa.Column("absence_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=300), nullable=True),
        sa.Column("shown_until", sa.Date(), nullable=True),
        sa.Column("replies_until", sa.Date(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("problem", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("absence_id", name=op.f("pk_outlook_absences")),
    )
    op.create_index(op.f("ix_outlook_absences_employee_id"), "outlook_absences", ["employee_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_outlook_absences_employee_id"), table_name="outlook_absences")
    op.drop_table("outlook_absences")
    op.drop_table("outlook_choices")
    op.drop_index(op.f("ix_feed_notices_status"), table_name="feed_notices")
    op.drop_index(op.f("ix_feed_notices_recipient_id"), table_name="feed_notices")
    op.drop_table("feed_notices")
    op.drop_table("app_installs")
    op.drop_table("directory_sync")
    op.drop_table("directory_users")
