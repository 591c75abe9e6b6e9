"""the daily follow-up run reads only whom it must (issue 17)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 23:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What the engine reads: a change to any of these may change a person's follow-ups.
ABSENCE_FACTS = ("employee_id", "kind", "status", "first_day", "last_day", "expected_return")
EMPLOYEE_FACTS = ("unit_id", "start_date", "workdays", "status")
MARK = (
    "INSERT INTO followup_watch (employee_id, wake_on, marks) VALUES ({who}, '2000-01-01', 1) "
    "ON CONFLICT (employee_id) DO UPDATE SET wake_on = '2000-01-01', "
    "marks = followup_watch.marks + 1"
)


def _changed(columns: tuple[str, ...], distinct: str) -> str:
    return " OR ".join(f"OLD.{c} {distinct} NEW.{c}" for c in columns)


def _sqlite_triggers() -> list[str]:
    # SQLite's IS NOT compares NULLs as values, as PostgreSQL's IS DISTINCT FROM does.
    def trigger(name: str, event: str, table: str, marks: list[str], when: str = "") -> str:
        body = "".join(MARK.format(who=who) + ";\n" for who in marks)
        condition = f" WHEN {when}" if when else ""
        return (
            f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{condition}\n"
            f"BEGIN\n{body}END"
        )

    return [
        trigger("followup_watch_absence_insert", "INSERT", "absences", ["NEW.employee_id"]),
        trigger("followup_watch_absence_delete", "DELETE", "absences", ["OLD.employee_id"]),
        trigger(
            "followup_watch_absence_update",
            "UPDATE",
            "absences",
            ["OLD.employee_id", "NEW.employee_id"],
            _changed(ABSENCE_FACTS, "IS NOT"),
        ),
        trigger("followup_watch_employee_insert", "INSERT", "employees", ["NEW.id"]),
        trigger(
            "followup_watch_employee_update",
            "UPDATE",
            "employees",
            ["NEW.id"],
            _changed(EMPLOYEE_FACTS, "IS NOT"),
        ),
    ]


def _postgresql_triggers() -> list[str]:
    def function(name: str, body: str) -> str:
        return (
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n{body}RETURN NULL;\nEND $$"
        )

    def trigger(name: str, event: str, table: str, when: str = "") -> str:
        condition = f" WHEN ({when})" if when else ""
        return (
            f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{condition} "
            f"EXECUTE FUNCTION {name.rsplit('_', 1)[0]}()"
        )

    absence_body = (
        f"IF TG_OP <> 'INSERT' THEN {MARK.format(who='OLD.employee_id')}; END IF;\n"
        f"IF TG_OP <> 'DELETE' THEN {MARK.format(who='NEW.employee_id')}; END IF;\n"
    )
    return [
        function("followup_watch_absence", absence_body),
        function("followup_watch_employee", MARK.format(who="NEW.id") + ";\n"),
        trigger("followup_watch_absence_write", "INSERT OR DELETE", "absences"),
        trigger(
            "followup_watch_absence_update",
            "UPDATE",
            "absences",
            _changed(ABSENCE_FACTS, "IS DISTINCT FROM"),
        ),
        trigger("followup_watch_employee_insert", "INSERT", "employees"),
        trigger(
            "followup_watch_employee_update",
            "UPDATE",
            "employees",
            _changed(EMPLOYEE_FACTS, "IS DISTINCT FROM"),
        ),
    ]


def upgrade() -> None:
    # The daily run evaluated all 50,000 people to find the few whose follow-ups could change
    # (issue 17): it now keeps, per person, the next day that can happen, and the database
    # marks anyone whose absences or facts are written, by whatever path.
    op.create_table(
        "followup_watch",
        sa.Column("employee_id", sa.String(length=100), nullable=False),
        sa.Column("wake_on", sa.Date(), nullable=False),
        sa.Column("marks", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("employee_id", name=op.f("pk_followup_watch")),
    )
    op.create_index(op.f("ix_followup_watch_wake_on"), "followup_watch", ["wake_on"])
    op.create_table(
        "followup_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluated_on", sa.Date(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup_runs")),
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in _postgresql_triggers() if postgresql else _sqlite_triggers():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, table in (
            ("followup_watch_absence_write", "absences"),
            ("followup_watch_absence_update", "absences"),
            ("followup_watch_employee_insert", "employees"),
            ("followup_watch_employee_update", "employees"),
        ):
            op.execute(f"DROP TRIGGER {name} ON {table}")
        op.execute("DROP FUNCTION followup_watch_absence()")
        op.execute("DROP FUNCTION followup_watch_employee()")
    else:
        for name in (
            "followup_watch_absence_insert",
            "followup_watch_absence_delete",
            "followup_watch_absence_update",
            "followup_watch_employee_insert",
            "followup_watch_employee_update",
        ):
            op.execute(f"DROP TRIGGER {name}")
    op.drop_table("followup_runs")
    op.drop_index(op.f("ix_followup_watch_wake_on"), table_name="followup_watch")
    op.drop_table("followup_watch")
