"""one ledger of absence per person

A person's live periods (open, closed, requested: rules.absence_kinds.LIVE) never share a day.
PostgreSQL keeps it with an exclusion constraint over the days of each period; SQLite, which
has none, with triggers that abort an insert or update that would overlap. Declined and
withdrawn periods stay for the audit and count nowhere. The statuses are plain strings (no
PostgreSQL ENUM type), so the new status "withdrawn" needs no type change.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 17:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = "('open', 'closed', 'requested')"
# An open period (no last day) runs until a raskmelding: forever, as far as overlap goes.
SQLITE_OVERLAP = f"""
    NEW.status IN {LIVE} AND EXISTS (
        SELECT 1 FROM absences AS a
        WHERE a.employee_id = NEW.employee_id
          AND a.status IN {LIVE}
          AND a.first_day <= coalesce(NEW.last_day, '9999-12-31')
          AND NEW.first_day <= coalesce(a.last_day, '9999-12-31')
          {{other}}
    )
"""


# Periods written before the ledger may overlap (an akutdag on a sick day, a leader's and the
# employee's report of the same day). The later-written of two is withdrawn, one at a time so a
# period is kept when the one it met is withdrawn first; the event says why, nothing is deleted.
FIRST_OVERLAPPING = f"""
    SELECT b.id FROM absences AS b JOIN absences AS a
      ON a.employee_id = b.employee_id AND a.id < b.id
     AND a.status IN {LIVE} AND b.status IN {LIVE}
     AND a.first_day <= coalesce(b.last_day, '9999-12-31')
     AND b.first_day <= coalesce(a.last_day, '9999-12-31')
    ORDER BY b.id LIMIT 1
"""

EVENTS = sa.table(
    "absence_events",
    sa.column("absence_id", sa.Integer),
    sa.column("at", storage.models.UTCDateTime(timezone=True)),
    sa.column("kind", sa.String),
    sa.column("detail", sa.JSON),
)


def _withdraw_overlaps() -> None:
    bind = op.get_bind()
    while (later := bind.execute(sa.text(FIRST_OVERLAPPING)).scalar()) is not None:
        bind.execute(
            sa.text("UPDATE absences SET status = 'withdrawn' WHERE id = :id"), {"id": later}
        )
        bind.execute(
            EVENTS.insert().values(
                absence_id=later,
                at=sa.func.current_timestamp(),
                kind="withdrawn_overlap",
                detail={},
            )
        )


def upgrade() -> None:
    _withdraw_overlaps()
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        # daterange with a NULL upper bound is unbounded: an open period overlaps every later day.
        op.execute(
            "ALTER TABLE absences ADD CONSTRAINT ex_absences_one_ledger EXCLUDE USING gist "
            "(employee_id WITH =, daterange(first_day, last_day, '[]') WITH &&) "
            f"WHERE (status IN {LIVE})"
        )
        return
    for name, event, other in (
        ("absences_one_ledger_insert", "INSERT", ""),
        ("absences_one_ledger_update", "UPDATE", "AND a.id != NEW.id"),
    ):
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {event} ON absences "
            f"WHEN {SQLITE_OVERLAP.format(other=other)} "
            "BEGIN SELECT RAISE(ABORT, 'absence periods overlap'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE absences DROP CONSTRAINT ex_absences_one_ledger")
        return
    op.execute("DROP TRIGGER absences_one_ledger_insert")
    op.execute("DROP TRIGGER absences_one_ledger_update")
