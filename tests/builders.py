"""Arranging an organisation in a test by what it means ("Lars reads English", "Solgården
follows Viborg's policy") instead of raw UPDATE statements."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Employee, Unit


class Org:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def person(self, employee_id: str, **values: Any) -> None:
        await self._set(Employee, employee_id, values)

    async def unit(self, unit_id: str, **values: Any) -> None:
        await self._set(Unit, unit_id, values)

    async def reads_english(self, employee_id: str) -> None:
        await self.person(employee_id, locale="en-GB")

    async def follows_policy(self, unit_id: str, policy_id: str) -> None:
        await self.unit(unit_id, policy_id=policy_id)

    async def _set(self, model: type[Employee] | type[Unit], row_id: str, values: Any) -> None:
        async with self.sessions.begin() as session:
            result = await session.execute(update(model).where(model.id == row_id).values(**values))
        assert result.rowcount == 1, f"no {model.__tablename__} row {row_id!r}"  # type: ignore[attr-defined]
