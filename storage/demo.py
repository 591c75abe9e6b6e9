"""The demo municipality's writes: its organisation through the ordinary import (so the same
validation applies), its generated history in bulk, and its past follow-ups marked as held."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Absence, Base, CheckIn, CheckInMonth, FollowUpRecord, FollowUpStatus
from storage.org_import import apply_org, parse_org_csv

# Demo periods carry this prefix in their idempotency key: how a second run knows the demo.
DEMO_KEY = "demo:"
# Rows per statement: well under PostgreSQL's 32,767 bind parameters.
CHUNK = 2000


class DemoStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def exists(self) -> bool:
        found = await self.session.scalar(
            select(Absence.id).where(Absence.source_key.startswith(DEMO_KEY)).limit(1)
        )
        return found is not None

    async def import_org(self, text: str, today: date, policies: Iterable[str]) -> str:
        """The organisation file's text, validated and applied as `naervaer org import` does."""
        report = await apply_org(self.session, parse_org_csv(text, policies), today)
        return report.summary()

    async def add_absences(self, rows: list[dict[str, Any]]) -> None:
        await self._bulk(Absence, rows)

    async def add_checkins(self, rows: list[dict[str, Any]]) -> None:
        await self._bulk(CheckIn, rows)

    async def add_checkin_months(self, totals: dict[tuple[str, date], dict[str, int]]) -> None:
        rows = [
            {"unit_id": unit_id, "month": month, **colours}
            for (unit_id, month), colours in sorted(totals.items())
        ]
        await self._bulk(CheckInMonth, rows)

    async def hold_followups_before(self, day: date, now: datetime) -> int:
        """Follow-ups due before `day` become held on their due day: the demo's leaders did
        their job, so the first start reminds only of what is due now, not of the last year."""
        result = await self.session.execute(
            update(FollowUpRecord)
            .where(
                FollowUpRecord.status == FollowUpStatus.OPEN,
                FollowUpRecord.due_on < day,
            )
            .values(
                status=FollowUpStatus.HELD,
                held_on=FollowUpRecord.due_on,
                reminded_at=now - timedelta(days=1),
            )
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def _bulk(self, model: type[Base], rows: list[dict[str, Any]]) -> None:
        # The table, not the class: Core's executemany, without the ORM's per-row bookkeeping.
        table = Base.metadata.tables[model.__tablename__]
        for start in range(0, len(rows), CHUNK):
            await self.session.execute(insert(table), rows[start : start + CHUNK])
