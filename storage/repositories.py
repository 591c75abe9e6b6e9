"""One repository per aggregate; intention-revealing methods, no SQL outside storage/.

This module holds the people we know (OrgRepository) and the insert helpers every repository
shares; Teams addresses live in storage/teams.py, the outbox in storage/outbox.py.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Employee, EmploymentStatus


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


class OrgRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, employee_id: str) -> Employee | None:
        return await self.session.get(Employee, employee_id)

    async def find_by_identity(
        self, aad_object_id: str | None, email: str | None
    ) -> Employee | None:
        """Teams' AAD object id first; e-mail only when the directory id is unknown to us."""
        if aad_object_id:
            found = await self.session.scalar(
                select(Employee).where(func.lower(Employee.aad_object_id) == aad_object_id.lower())
            )
            if found is not None:
                return found if found.status == EmploymentStatus.ACTIVE else None
        if email:
            found = await self.session.scalar(
                select(Employee).where(
                    func.lower(Employee.email) == email.lower(),
                    Employee.status == EmploymentStatus.ACTIVE,
                )
            )
            return found
        return None
