"""Hand-off to payroll: every new, changed and withdrawn period since the last hand-off, in the
municipality's codes, each row with a stable id so payroll applies it once.

What payroll was last told about a period is the latest hand-off row of it (or, for a period
that came from payroll, the lines it was imported from): a period whose payroll facts differ
gets a new row, version by version ("A17-1" new, "A17-2" changed, "A17-3" withdrawn). Rows
hold only what payroll needs: no note, no check-in, no cause. Each hand-off is in the audit
log. Where the rows go is a port: a file in NAERVAER_PAYROLL_DIR for now; a payroll web
service (KMD Opus "Opret fravær" is opened per customer, its wire format is not public) would
be another implementation of the same port.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Protocol

from rules.absence_kinds import AbsenceStatus
from rules.payroll import CodeTable, Situation
from services.payroll_csv import handoff_csv, handoff_json
from services.work import Work
from storage.models import PayrollHandoff, PayrollImport
from storage.payroll import Held, PayrollRepository

# How far back the daily hand-off looks for changed periods: further than any correction of a
# reported period reaches (dialogs.dates' report window).
LOOKBACK = timedelta(days=120)
AUDIT_WHAT = "lønoverførsel"

Row = dict[str, Any]


class PayrollPort(Protocol):
    """Where a hand-off's rows go. Returns where they went (a file name, a receipt)."""

    def deliver(self, rows: list[Row], at: datetime, table: str) -> str: ...


@dataclass(frozen=True)
class FileHandOff:
    """The first implementation: one file per hand-off in a folder payroll reads, written
    whole under a temporary name first, so payroll never reads half a file."""

    folder: Path
    format: str = "csv"

    def deliver(self, rows: list[Row], at: datetime, table: str) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"naervaer-{table}-{at.strftime('%Y%m%dT%H%M%S')}.{self.format}"
        text = handoff_csv(rows) if self.format == "csv" else handoff_json(rows)
        path = self.folder / name
        part = path.with_suffix(path.suffix + ".part")
        part.write_text(text, encoding="utf-8")
        os.chmod(part, 0o600)  # payroll data: the service account and payroll's reader only
        part.replace(path)
        return str(path)

    def forget_before(self, at: datetime) -> int:
        """Hand-off files older than the retention: deleted."""
        gone = 0
        for path in self.folder.glob("naervaer-*"):
            if path.stat().st_mtime < at.timestamp():
                path.unlink()
                gone += 1
        return gone


@dataclass(frozen=True)
class Facts:
    """What payroll knows of a period: equal facts, nothing to hand on."""

    code: str | None
    kind: str
    first_day: date
    last_day: date | None
    hours: float | None
    percent: int | None
    work_injury: bool
    section_56: bool
    paid_with: str | None


class PayrollHandOff:
    def __init__(self, work: Work, table: CodeTable, repository: PayrollRepository) -> None:
        self.work = work
        self.table = table
        self.repo = repository

    async def record(self, since: date) -> list[Row]:
        """New rows for every period with a day on or after `since` whose payroll facts
        changed since it was last handed on; stored as handed now."""
        periods = await self.repo.periods_touching(since)
        ids = [p.absence_id for p in periods]
        latest = await self.repo.latest_handed(ids)
        imports = await self.repo.imports_of(ids)
        section_56 = {i for i, rows in imports.items() if any(r.section_56 for r in rows)}
        rows: list[Row] = []
        for period in periods:
            row = self._row(
                period, latest.get(period.absence_id), imports.get(period.absence_id), section_56
            )
            if row is not None:
                rows.append(row)
        await self.repo.add_handoffs([r["stored"] for r in rows])
        return rows

    def _row(
        self,
        period: Held,
        last: PayrollHandoff | None,
        imported: list[PayrollImport] | None,
        section_56: set[int],
    ) -> Row | None:
        facts = self._facts(period, period.absence_id in section_56)
        current = facts if period.status in (AbsenceStatus.OPEN, AbsenceStatus.CLOSED) else None
        if last is not None:
            known = None if last.change == "withdrawn" else _facts_of(last)
        else:
            known = self._imported_facts(period, imported, facts) if imported else None
        if current == known or (current is None and known is None):
            return None
        change = "new" if known is None else "withdrawn" if current is None else "changed"
        shown = current or known
        assert shown is not None
        version = last.version + 1 if last else 1
        stored = {
            "row_id": f"A{period.absence_id}-{version}",
            "absence_id": period.absence_id,
            "version": version,
            "change": change,
            "handed_at": self.work.now,
            "code_table": self.table.id,
            "code": shown.code,
            "kind": shown.kind,
            "first_day": shown.first_day,
            "last_day": shown.last_day,
            "partial_hours_off": shown.hours,
            "partial_percent_off": shown.percent,
            "work_injury": shown.work_injury,
            "section_56": shown.section_56,
            "paid_with": shown.paid_with,
        }
        return {"stored": stored, **file_row(stored, period.employee_id)}

    def _facts(self, period: Held, section_56: bool) -> Facts:
        situation = Situation(period.kind, period.work_injury, section_56, period.paid_with)
        return Facts(
            self.table.code_for(situation),
            str(period.kind),
            period.first_day,
            period.last_day,
            period.partial_hours_off,
            period.partial_percent_off,
            period.work_injury,
            section_56,
            period.paid_with,
        )

    def _imported_facts(self, period: Held, imported: list[PayrollImport], facts: Facts) -> Facts:
        """What payroll holds of a period it exported itself: its lines, end to end."""
        ends = [row.last_day for row in imported]
        return Facts(
            facts.code,
            facts.kind,
            min(row.first_day for row in imported),
            None if None in ends else max(d for d in ends if d is not None),
            imported[-1].partial_hours_off,
            imported[-1].partial_percent_off,
            facts.work_injury,
            facts.section_56,
            facts.paid_with,
        )

    async def export(self, since: date, actor: str) -> list[Row]:
        """Record what is new, then every row handed on since `since` (local midnight): the
        same rows, with the same ids, however often it is asked."""
        await self.record(since)
        start = datetime.combine(since, time(0), tzinfo=self.work.config.timezone)
        rows = [file_row(row, employee) for row, employee in await self.repo.handed_since(start)]
        await self._audit(rows, actor)
        return rows

    async def daily(self, port: PayrollPort, actor: str) -> tuple[int, str | None] | None:
        """The day's hand-off: what changed, delivered through the port, once a day (None when
        it has run today already)."""
        if not await self.repo.run_once(self.work.today, self.work.now):
            return None
        rows = await self.record(self.work.today - LOOKBACK)
        await self.repo.ran(self.work.today, len(rows))
        if not rows:
            return 0, None
        await self._audit(rows, actor)
        return len(rows), port.deliver(rows, self.work.now, self.table.id)

    async def forget(self, days: int, files: FileHandOff | None) -> int:
        """Retention: hand-off files, and keyed-in rows a later row has replaced, after `days`."""
        before = self.work.now - timedelta(days=days)
        gone = await self.repo.forget_done_before(before)
        return gone + (files.forget_before(before) if files else 0)

    async def _audit(self, rows: list[Row], actor: str) -> None:
        subjects = sorted({row["employee"] for row in rows})
        await self.work.store.audit.record(self.work.now, actor, subjects, AUDIT_WHAT)


def file_row(row: Any, employee_id: str) -> Row:
    """A hand-off row as payroll reads it (HANDOFF_COLUMNS)."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    return {
        "row_id": get("row_id"),
        "change": get("change"),
        "employee": employee_id,
        "code": get("code") or "",
        "kind": str(get("kind")),
        "first_day": get("first_day"),
        "last_day": get("last_day"),
        "hours": get("partial_hours_off"),
        "percent": get("partial_percent_off"),
        "work_injury": bool(get("work_injury")),
        "section_56": bool(get("section_56")),
    }


def _facts_of(row: PayrollHandoff) -> Facts:
    return Facts(
        row.code,
        str(row.kind),
        row.first_day,
        row.last_day,
        row.partial_hours_off,
        row.partial_percent_off,
        row.work_injury,
        row.section_56,
        row.paid_with,
    )
