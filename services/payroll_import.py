"""History from payroll: a payroll export's lines become absence periods, once.

All or nothing: every line is checked first and every problem reported with its line number;
one problem and nothing is changed. Each line has a stable key (code table, employee, first
day, code), so the same file imported twice changes nothing, and a later export of the same
absence (now ended) changes its last day. Lines of one person and code that meet or follow on
the next day are one period. A line that meets one of naervaer's own periods of the same kind
merges into it (one ledger: rules/ledger.py); one that meets a different kind is a problem to
correct, never a second period on the same day. Codes that are not absence (ferie) are
skipped and counted.

Afterwards the follow-up rules are evaluated again, and what the history made due whose
deadline has already passed is settled without a reminder: an import must not flood leaders
with reminders about conversations long over.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from rules.absence_kinds import AbsenceKind, AbsenceStatus
from rules.ledger import FOREVER
from rules.payroll import CodeMeaning, CodeTable
from services.followup_evaluation import FollowUpEvaluation
from services.payroll_csv import FileError, Line, read_lines_and_problems
from services.work import Work
from storage.models import Absence
from storage.payroll import PayrollRepository

CHANNEL = "payroll"
SETTLED = "history import: deadline passed before the import"
DAY = timedelta(days=1)
ADD_CHUNK = 10_000


@dataclass
class Counts:
    lines: int = 0
    skipped: int = 0
    unchanged: int = 0
    added: int = 0
    merged: int = 0
    changed: int = 0
    followups: int = 0
    settled: int = 0

    def summary(self) -> str:
        return (
            f"{self.lines} lines: {self.added} periods added, {self.merged} merged into "
            f"naervaer's, {self.changed} changed, {self.unchanged} lines unchanged, "
            f"{self.skipped} skipped (not absence); {self.followups} follow-ups stored, "
            f"{self.settled} of them settled (deadline already past)"
        )


@dataclass(slots=True)
class Group:
    """Lines of one person and one code that become one period."""

    employee_id: str
    meaning: CodeMeaning
    code: str
    first: date
    last: date | None
    hours: float | None
    percent: int | None
    lines: list[tuple[Line, str]] = field(default_factory=list)  # (line, import key)

    @property
    def end(self) -> date:
        return self.last or FOREVER

    def takes(self, line: Line, code: str) -> bool:
        same = (code, line.hours, line.percent) == (self.code, self.hours, self.percent)
        return same and line.first_day <= _after(self.end)

    def add(self, line: Line, key: str) -> None:
        self.lines.append((line, key))
        self.last = (
            None if line.last_day is None or self.last is None else max(self.last, line.last_day)
        )


def _after(day: date) -> date:
    return day if day >= FOREVER else day + DAY


class HistoryImport:
    def __init__(self, work: Work, table: CodeTable, repository: PayrollRepository) -> None:
        self.work = work
        self.table = table
        self.repo = repository
        self.counts = Counts()
        self.problems: list[str] = []

    async def run(self, text: str, dry_run: bool = False) -> Counts:
        """Import the file's text; FileError (nothing changed) on any problem."""
        lines, self.problems = read_lines_and_problems(text)
        self.counts.lines = len(lines) + len(self.problems)
        groups = self.groups(await self.resolve(lines))
        if self.problems:
            raise FileError(sorted(self.problems, key=_line_number))
        imported = await self.repo.imported(self.table.id)
        fresh = [g for g in groups if not all(_same(imported.get(k), ln) for ln, k in g.lines)]
        since = min((g.first for g in fresh), default=FOREVER)
        live = await self.repo.live_periods(since - DAY) if fresh else {}
        new: list[Group] = []
        for group in groups:
            await self._place(group, imported, live, new)
        if self.problems:
            raise FileError(self.problems)
        await self._add(new)
        await self.repo.flush()
        if not dry_run and (new or self.counts.merged or self.counts.changed):
            await self._evaluate({g.employee_id for g in groups})
        return self.counts

    async def resolve(self, lines: list[Line]) -> list[tuple[Line, str, CodeMeaning]]:
        """Each absence line with its employee id and meaning; problems collected."""
        index = await self.repo.employee_index()
        resolved = []
        for line in lines:
            if self.table.skips(line.code):
                self.counts.skipped += 1
                continue
            employee_id = index.get(line.employee) or index.get(line.employee.lower())
            meaning = self.table.meaning(line.code)
            if employee_id is None:
                self.problems.append(f"line {line.number}: no employee {line.employee!r}")
            elif meaning is None:
                self.problems.append(
                    f"line {line.number}: code {line.code!r} is not in {self.table.id}.yaml"
                )
            elif (line.hours or line.percent) and meaning.kind != AbsenceKind.PARTLY_SICK:
                self.problems.append(
                    f"line {line.number}: hours or percent go with a partial code, not {line.code!r}"
                )
            else:
                resolved.append((line, employee_id, meaning))
        return resolved

    def groups(self, resolved: list[tuple[Line, str, CodeMeaning]]) -> list[Group]:
        resolved.sort(key=lambda r: (r[1], r[0].first_day, r[0].number))
        groups: list[Group] = []
        for line, employee_id, meaning in resolved:
            code = line.code.strip()
            key = import_key(self.table.id, employee_id, line.first_day, code)
            last = groups[-1] if groups and groups[-1].employee_id == employee_id else None
            if last is not None and last.takes(line, code):
                last.add(line, key)
                continue
            if last is not None and line.first_day <= last.end:
                self.problems.append(
                    f"line {line.number}: overlaps line {last.lines[-1][0].number} "
                    f"(the same employee, another code or partial share)"
                )
                continue
            group = Group(
                employee_id, meaning, code, line.first_day, line.last_day, line.hours, line.percent
            )
            group.add(line, key)
            group.last = line.last_day
            groups.append(group)
        return groups

    async def _place(
        self,
        group: Group,
        imported: dict[str, Any],
        live: dict[str, list[Absence]],
        new: list[Group],
    ) -> None:
        """Unchanged, changed, merged into naervaer's period, or new."""
        known = [imported[key] for _, key in group.lines if key in imported]
        if known and all(_same(imported.get(key), line) for line, key in group.lines):
            self.counts.unchanged += len(group.lines)
            return
        periods = live.get(group.employee_id, [])
        if known:
            target = await self.work.store.absences.get(known[0].absence_id)
        else:
            target = self._met(group, periods)
            if target is None:
                if not self.problems:
                    new.append(group)
                return
        if target is None:
            return
        self._widen(target, group, periods)
        await self._link(group, target.id, imported)
        if known:
            self.counts.changed += 1
        else:
            self.counts.merged += 1

    def _met(self, group: Group, periods: list[Absence]) -> Absence | None:
        """The one period of the same kind that the group meets or touches; a problem when it
        meets a period of another kind, or more than one."""
        met = [p for p in periods if _meets(p, group)]
        if not met:
            return None
        if len(met) == 1 and met[0].kind == group.meaning.kind:
            return met[0]
        other = met[0]
        self.problems.append(
            f"line {group.lines[0][0].number}: meets naervaer's {other.kind} period "
            f"{other.first_day}–{other.last_day or 'open'}; correct one of them first"
        )
        return None

    def _widen(self, target: Absence, group: Group, periods: list[Absence]) -> None:
        """The period covers the group's days too; naervaer's own end stands when it knows one
        (a raskmelding is more recent than a payroll export)."""
        first = min(target.first_day, group.first)
        last = target.last_day
        if target.status == AbsenceStatus.CLOSED and last is not None and group.last is not None:
            last = max(last, group.last)
        others = [p for p in periods if p.id != target.id]
        if any(
            p.first_day <= (last or FOREVER) and first <= (p.last_day or FOREVER) for p in others
        ):
            self.problems.append(
                f"line {group.lines[0][0].number}: would join two of naervaer's periods"
            )
            return
        target.first_day, target.last_day = first, last

    async def _link(self, group: Group, absence_id: int, imported: dict[str, Any]) -> None:
        fresh, changed = [], []
        for line, key in group.lines:
            row = self._import_row(line, key, absence_id, group)
            if key not in imported:
                fresh.append(row)
            elif not _same(imported[key], line):
                changed.append(row)
        await self.repo.add_imports(fresh)
        await self.repo.change_imports(changed)

    def _import_row(self, line: Line, key: str, absence_id: int, group: Group) -> dict[str, Any]:
        return {
            "import_key": key,
            "absence_id": absence_id,
            "code_table": self.table.id,
            "code": group.code,
            "section_56": group.meaning.section_56,
            "first_day": line.first_day,
            "last_day": line.last_day,
            "partial_hours_off": line.hours,
            "partial_percent_off": line.percent,
            "imported_at": self.work.now,
        }

    async def _add(self, groups: list[Group]) -> None:
        # A slice at a time: a million rows as dicts at once would cost gigabytes.
        for start in range(0, len(groups), ADD_CHUNK):
            part = groups[start : start + ADD_CHUNK]
            ids = await self.repo.add_absences([self._absence_row(g) for g in part])
            links = [
                self._import_row(line, key, ids[g.lines[0][1]], g)
                for g in part
                for line, key in g.lines
            ]
            await self.repo.add_imports(links)
        self.counts.added += len(groups)

    def _absence_row(self, group: Group) -> dict[str, Any]:
        meaning = group.meaning
        return {
            "employee_id": group.employee_id,
            "kind": meaning.kind,
            "status": AbsenceStatus.OPEN if group.last is None else AbsenceStatus.CLOSED,
            "first_day": group.first,
            "last_day": group.last,
            "going_home_sick": False,
            "partial_hours_off": group.hours,
            "partial_percent_off": group.percent,
            "work_injury": meaning.work_injury,
            "paid_with": meaning.paid_with,
            "reported_by": group.employee_id,
            "channel": CHANNEL,
            "source_key": group.lines[0][1],
            "created_at": self.work.now,
        }

    async def _evaluate(self, employee_ids: set[str]) -> None:
        """The rules read the new history; what it made due and is already over is settled."""
        _, stored = await FollowUpEvaluation(self.work).evaluate_all()
        self.counts.followups = stored
        self.counts.settled = await self.repo.settle_followups(
            employee_ids, self.work.now, self.work.today, SETTLED
        )


def _meets(period: Absence, group: Group) -> bool:
    """Shares a day; one of the same kind also when it follows on the next day."""
    first, end = group.first, group.end
    if period.kind == group.meaning.kind:
        first, end = first - DAY, _after(end)
    return period.first_day <= end and first <= (period.last_day or FOREVER)


def import_key(table: str, employee_id: str, first_day: date, code: str) -> str:
    """The line's stable key. Hashed, so that a key left behind names nobody in clear."""
    text = f"{table}:{employee_id}:{first_day.isoformat()}:{code}"
    return "payroll:" + hashlib.sha256(text.encode()).hexdigest()[:40]


def _line_number(problem: str) -> int:
    number = problem.removeprefix("line ").partition(":")[0]
    return int(number) if number.isdigit() else 0


def _same(row: Any, line: Line) -> bool:
    return row is not None and (row.last_day, row.partial_hours_off, row.partial_percent_off) == (
        line.last_day,
        line.hours,
        line.percent,
    )
