"""Reconciliation: what payroll holds against what naervaer holds for a stretch of days.

Payroll's export is read as an import reads it (lines of one person and code that follow on
one another are one period). Each payroll period is matched with the naervaer period of the
same person it shares most days with; what is left over on either side, and a match whose
dates or code differ, is a difference:

    missing_in_payroll   naervaer has a period payroll does not
    missing_in_naervaer  payroll has a period naervaer does not
    other_dates          both have it, with other first or last days
    other_code           both have it, under another code
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from rules.ledger import FOREVER
from rules.payroll import CodeTable, Situation
from services.payroll_csv import FileError, read_lines
from services.payroll_import import Group, HistoryImport
from services.work import Work
from storage.payroll import Held, PayrollRepository

DIFFERENCES = ("missing_in_payroll", "missing_in_naervaer", "other_dates", "other_code")


@dataclass(frozen=True)
class Difference:
    difference: str
    employee: str
    naervaer_code: str | None = None
    naervaer_first_day: date | None = None
    naervaer_last_day: date | None = None
    payroll_code: str | None = None
    payroll_first_day: date | None = None
    payroll_last_day: date | None = None
    line: int | None = None

    def as_json(self) -> dict[str, object]:
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(self).items()}


class Reconciliation:
    def __init__(self, work: Work, table: CodeTable, repository: PayrollRepository) -> None:
        self.work = work
        self.table = table
        self.repo = repository

    async def differences(self, text: str, first: date, last: date) -> list[Difference]:
        reader = HistoryImport(self.work, self.table, self.repo)
        groups = reader.groups(await reader.resolve(read_lines(text)))
        if reader.problems:
            raise FileError(reader.problems)
        payroll = [g for g in groups if g.first <= last and first <= g.end]
        held = await self.repo.periods_between(first, last)
        section_56 = await self.repo.section_56([p.absence_id for p in held])
        ours: dict[str, list[Held]] = {}
        for period in held:
            ours.setdefault(period.employee_id, []).append(period)
        found: list[Difference] = []
        matched: set[int] = set()
        for group in payroll:
            candidates = [p for p in ours.get(group.employee_id, []) if p.absence_id not in matched]
            best = max(candidates, key=lambda p: _shared(p, group), default=None)
            if best is None or _shared(best, group) == 0:
                found.append(_payroll_only(group))
                continue
            matched.add(best.absence_id)
            found.extend(self._compare(best, group, best.absence_id in section_56))
        found.extend(
            self._naervaer_only(p, p.absence_id in section_56)
            for p in held
            if p.absence_id not in matched
        )
        return sorted(found, key=lambda d: (d.employee, d.difference))

    def _code(self, period: Held, section_56: bool) -> str | None:
        return self.table.code_for(
            Situation(period.kind, period.work_injury, section_56, period.paid_with)
        )

    def _compare(self, period: Held, group: Group, section_56: bool) -> list[Difference]:
        code = self._code(period, section_56)
        both = {
            "employee": group.employee_id,
            "naervaer_code": code,
            "naervaer_first_day": period.first_day,
            "naervaer_last_day": period.last_day,
            "payroll_code": group.code,
            "payroll_first_day": group.first,
            "payroll_last_day": group.last,
            "line": group.lines[0][0].number,
        }
        found = []
        if (period.first_day, period.last_day) != (group.first, group.last):
            found.append(Difference("other_dates", **both))  # type: ignore[arg-type]
        if code != group.code:
            found.append(Difference("other_code", **both))  # type: ignore[arg-type]
        return found

    def _naervaer_only(self, period: Held, section_56: bool) -> Difference:
        return Difference(
            "missing_in_payroll",
            period.employee_id,
            naervaer_code=self._code(period, section_56),
            naervaer_first_day=period.first_day,
            naervaer_last_day=period.last_day,
        )


def _payroll_only(group: Group) -> Difference:
    return Difference(
        "missing_in_naervaer",
        group.employee_id,
        payroll_code=group.code,
        payroll_first_day=group.first,
        payroll_last_day=group.last,
        line=group.lines[0][0].number,
    )


def _shared(period: Held, group: Group) -> int:
    start = max(period.first_day, group.first)
    end = min(period.last_day or FOREVER, group.end)
    return max(0, (end - start).days + 1) if end >= start else 0


def table_lines(found: list[Difference]) -> list[str]:
    """The differences as a plain table for a terminal."""
    head = f"{'difference':<20} {'employee':<12} {'naervaer':<28} {'payroll':<28} line"
    lines = [head]
    for d in found:
        ours = _side(d.naervaer_code, d.naervaer_first_day, d.naervaer_last_day)
        theirs = _side(d.payroll_code, d.payroll_first_day, d.payroll_last_day)
        lines.append(f"{d.difference:<20} {d.employee:<12} {ours:<28} {theirs:<28} {d.line or ''}")
    lines.append(f"{len(found)} differences")
    return lines


def _side(code: str | None, first: date | None, last: date | None) -> str:
    if first is None:
        return "-"
    return f"{code or '?'} {first}–{last or 'open'}"
