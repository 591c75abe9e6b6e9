"""Payroll, composed: the code table chosen, history import, hand-off, reconciliation and the
payroll office's worklist on one unit of work, and the daily hand-off job.

README "Payroll" has the file formats; rules/payroll.py the code tables.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rules.access import sees_everyone
from rules.payroll import CodeTable, PayrollError, load_code_tables
from services.insight import Refused
from services.payroll_handoff import FileHandOff, PayrollHandOff, Row
from services.payroll_import import Counts, HistoryImport
from services.payroll_reconcile import Difference, Reconciliation
from services.work import Work
from storage.models import Employee

log = logging.getLogger("naervaer.payroll")
WORKLIST_ROWS = 200


@dataclass(frozen=True)
class PayrollConfig:
    folder: Path | None  # where the daily hand-off file goes; None: no daily hand-off
    codes: str
    codes_dir: Path | None
    retention_days: int
    format: str = "csv"

    def table(self, name: str | None = None) -> CodeTable:
        """The named code table (default: the configured one); PayrollError when unknown."""
        tables = load_code_tables(self.codes_dir)
        wanted = name or self.codes
        if wanted not in tables:
            raise PayrollError(f"no code table {wanted!r}; there are {sorted(tables)}")
        return tables[wanted]


@dataclass(frozen=True)
class Worklist:
    to_key_in: list[dict[str, Any]]
    done: list[dict[str, Any]]
    waiting: int


class Payroll:
    def __init__(self, work: Work, table: CodeTable) -> None:
        self.work = work
        self.table = table
        self.repo = work.store.payroll
        self.handoff = PayrollHandOff(work, table, self.repo)

    async def import_history(self, text: str, dry_run: bool = False) -> Counts:
        return await HistoryImport(self.work, self.table, self.repo).run(text, dry_run)

    async def export(self, since: date, actor: str) -> list[Row]:
        return await self.handoff.export(since, actor)

    async def reconcile(self, text: str, first: date, last: date) -> list[Difference]:
        return await Reconciliation(self.work, self.table, self.repo).differences(text, first, last)

    # --- the worklist in the tab ---------------------------------------------------------

    async def worklist(self, viewer: Employee) -> Worklist:
        """Rows to key in (oldest first) and rows keyed in (newest first), as the hand-off (the
        daily job, `payroll export`) recorded them: one stream of rows, so a row is in the file
        and on the list alike. Viewing is audited."""
        if not sees_everyone(viewer.role):
            raise Refused()  # the payroll office's (HR's) worklist only
        todo = await self.repo.worklist(done=False, limit=WORKLIST_ROWS)
        done = await self.repo.worklist(done=True, limit=WORKLIST_ROWS)
        subjects = sorted({e for _, e, _ in todo} | {e for _, e, _ in done})
        await self.work.store.audit.record(self.work.now, viewer.id, subjects, "lønliste")
        return Worklist(
            [_work_row(*row) for row in todo],
            [_work_row(*row) for row in done],
            await self.repo.count_undone(),
        )

    async def mark_done(self, viewer: Employee, row_id: str) -> bool:
        if not sees_everyone(viewer.role):
            raise Refused()  # the payroll office's (HR's) worklist only
        return await self.repo.mark_done(row_id, viewer.id, self.work.now)


def _work_row(row: Any, employee_id: str, name: str) -> dict[str, Any]:
    return {
        "row_id": row.row_id,
        "change": row.change,
        "employee": employee_id,
        "name": name,
        "code": row.code,
        "kind": str(row.kind),
        "first_day": row.first_day,
        "last_day": row.last_day,
        "hours": row.partial_hours_off,
        "percent": row.partial_percent_off,
        "work_injury": row.work_injury,
        "section_56": row.section_56,
        "done_at": row.done_at,
    }


def payroll_job(config: PayrollConfig) -> Callable[[Any], Awaitable[None]]:
    """The daily hand-off: a file in the payroll folder when anything changed, and retention.
    The code table is read once, when the app starts: a broken one stops the start."""
    table = config.table() if config.folder is not None else None

    async def run(features: Any) -> None:
        if table is None or config.folder is None:
            return
        payroll = Payroll(features.work, table)
        files = FileHandOff(config.folder, config.format)
        ran = await payroll.handoff.daily(files, actor="naervaer")
        if ran is None:
            return  # another process, or an earlier tick, did today's
        if ran[1] is not None:
            log.info("payroll hand-off: %s rows to %s", *ran)
        await payroll.handoff.forget(config.retention_days, files)

    return run
