"""The migrations build exactly the models, on both databases, also over existing data."""

from __future__ import annotations

from datetime import date

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text

from storage.db import create_engine, schema_is_current, session_factory, upgrade
from storage.models import AbsenceEvent, Base


async def test_migrations_match_the_models(engine):
    def diff(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    async with engine.connect() as conn:
        assert await conn.run_sync(diff) == []
    assert await schema_is_current(engine)


async def test_upgrading_keeps_existing_rows(database_url):
    engine = create_engine(database_url)
    try:
        await upgrade(engine, "0002")
        assert not await schema_is_current(engine)
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO units (id, name) VALUES ('U', 'U')"))
            await conn.execute(
                text(
                    "INSERT INTO employees (id, name, unit_id, role, workdays, fte, status) "
                    "VALUES ('e1', 'Emma', 'U', 'employee', '12345', 1.0, 'active')"
                )
            )
        await upgrade(engine)
        async with engine.connect() as conn:
            row = (await conn.execute(text("SELECT name, followup_digest FROM employees"))).one()
        assert row[0] == "Emma" and not row[1]
    finally:
        await engine.dispose()


async def test_the_ledger_migration_withdraws_periods_written_over_others(database_url):
    """Overlaps from before the ledger: the later-written period is withdrawn (kept, with an
    event saying why), a period that only met a withdrawn one stays, then the guard holds."""
    engine = create_engine(database_url)
    rows = [  # id, first day, last day: 2 and 3 overlap 1; 4 overlaps only 3
        (1, "2026-11-02", None),
        (2, "2026-11-03", "2026-11-03"),
        (3, "2026-11-10", "2026-11-20"),
    ]
    try:
        await upgrade(engine, "0008")
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO units (id, name) VALUES ('U', 'U')"))
            await conn.execute(
                text(
                    "INSERT INTO employees (id, name, unit_id, role, workdays, fte, status) "
                    "VALUES ('e1', 'Emma', 'U', 'employee', '12345', 1.0, 'active')"
                )
            )
            await conn.execute(text("UPDATE absences SET status = 'open'"))
            for absence_id, first, last in [*rows, (4, "2026-11-01", "2026-11-01")]:
                await conn.execute(
                    text(
                        "INSERT INTO absences (id, employee_id, kind, status, first_day, "
                        "last_day, going_home_sick, work_injury, reported_by, channel, "
                        "source_key, created_at) VALUES (:id, 'e1', 'sick', 'open', :first, "
                        ":last, false, false, 'e1', 'chat', :key, '2026-11-01 07:00:00')"
                    ),
                    {
                        "id": absence_id,
                        "first": date.fromisoformat(first),
                        "last": date.fromisoformat(last) if last else None,
                        "key": f"k{absence_id}",
                    },
                )
        await upgrade(engine)
        async with engine.connect() as conn:
            status = dict((await conn.execute(text("SELECT id, status FROM absences"))).all())
            why = (await conn.execute(text("SELECT absence_id, kind FROM absence_events"))).all()
        assert status == {1: "open", 2: "withdrawn", 3: "withdrawn", 4: "open"}
        assert sorted(why) == [(2, "withdrawn_overlap"), (3, "withdrawn_overlap")]
        async with session_factory(engine)() as session:  # the time written reads back
            assert all(e.at.tzinfo for e in await session.scalars(select(AbsenceEvent)))
        assert await schema_is_current(engine)
    finally:
        await engine.dispose()
