"""The insert helpers every repository shares: insert unless the unique key exists.

The repositories themselves live by what they answer: people in storage/people.py, Teams
addresses in storage/teams.py, the outbox in storage/outbox.py, and so on.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


async def insert_many_ignoring_duplicates(
    session: AsyncSession, model: type, rows: list[dict[str, Any]], chunk: int = 1000
) -> None:
    """Bulk insert; rows whose unique key exists already are skipped, also under concurrency."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for start in range(0, len(rows), chunk):
        await session.execute(insert(model).on_conflict_do_nothing(), rows[start : start + chunk])


async def insert_ignoring_duplicates(
    session: AsyncSession, model: type, values: dict[str, Any]
) -> bool:
    """Insert a row unless its unique key exists; True when inserted. Safe under concurrency."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    result = await session.execute(insert(model).values(**values).on_conflict_do_nothing())
    return bool(result.rowcount)  # type: ignore[attr-defined]
