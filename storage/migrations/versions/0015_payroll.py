"""payroll: imported payroll lines, hand-off rows (the payroll office's worklist), daily runs

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 23:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("sick", "partly_sick", "child_sick", "emergency_day")


def upgrade() -> None:
    op.create_table(
        "payroll_imports",
        sa.Column("import_key", sa.String(length=300), nullable=False),
        sa.Column("absence_id", sa.Integer(), nullable=False),
        sa.Column("code_table", sa.String(length=40), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("section_56", sa.Boolean(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.Column("partial_hours_off", sa.Float(), nullable=True),
        sa.Column("partial_percent_off", sa.Integer(), nullable=True),
        sa.Column("imported_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["absence_id"], ["absences.id"], name=op.f("fk_payroll_imports_absence_id_absences")
        ),
        sa.PrimaryKeyConstraint("import_key", name=op.f("pk_payroll_imports")),
    )
    op.create_index(
        op.f("ix_payroll_imports_absence_id"), "payroll_imports", ["absence_id"], unique=False
    )
    op.create_table(
        "payroll_handoffs",
        sa.Column("row_id", sa.String(length=40), nullable=False),
        sa.Column("absence_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("change", sa.String(length=12), nullable=False),
        sa.Column("handed_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("code_table", sa.String(length=40), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(*KINDS, name="absencekind", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.Column("partial_hours_off", sa.Float(), nullable=True),
        sa.Column("partial_percent_off", sa.Integer(), nullable=True),
        sa.Column("work_injury", sa.Boolean(), nullable=False),
        sa.Column("section_56", sa.Boolean(), nullable=False),
        sa.Column("paid_with", sa.String(length=20), nullable=True),
        sa.Column("done_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("done_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["absence_id"], ["absences.id"], name=op.f("fk_payroll_handoffs_absence_id_absences")
        ),
        sa.PrimaryKeyConstraint("row_id", name=op.f("pk_payroll_handoffs")),
    )
    op.create_index(
        op.f("ix_payroll_handoffs_absence_id"), "payroll_handoffs", ["absence_id"], unique=False
    )
    op.create_index(
        op.f("ix_payroll_handoffs_handed_at"), "payroll_handoffs", ["handed_at"], unique=False
    )
    op.create_table(
        "payroll_runs",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("ran_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_payroll_runs")),
    )


def downgrade() -> None:
    op.drop_table("payroll_runs")
    op.drop_index(op.f("ix_payroll_handoffs_handed_at"), table_name="payroll_handoffs")
    op.drop_index(op.f("ix_payroll_handoffs_absence_id"), table_name="payroll_handoffs")
    op.drop_table("payroll_handoffs")
    op.drop_index(op.f("ix_payroll_imports_absence_id"), table_name="payroll_imports")
    op.drop_table("payroll_imports")
