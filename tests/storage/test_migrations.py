"""The migrations build exactly the models, on both databases, also over existing data."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from storage.db import create_engine, schema_is_current, upgrade
from storage.models import Base


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
