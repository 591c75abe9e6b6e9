"""Organisation import: a CSV from HR (or Danish Excel) becomes units and employees.

The file is the whole truth about who works here now. People missing from it are marked as left,
never deleted, because absence periods and follow-ups keep pointing at them. Parsing is pure and
reports every problem at once, so HR can fix a file in one round instead of one error at a time.
"""

from __future__ import annotations

import asyncio
import csv
import io
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, time
from pathlib import Path
from typing import TypeVar

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import (
    DialogState,
    Employee,
    EmploymentStatus,
    OutboxMessage,
    OutboxStatus,
    Role,
    TeamsUser,
    Unit,
)

log = logging.getLogger("naervaer.org_import")

REQUIRED_COLUMNS = ("employee_id", "name", "email", "aad_object_id", "leader_id", "unit")
OPTIONAL_COLUMNS = (
    "deputy_id",
    "deputy_from",
    "deputy_to",
    "unit_parent",
    "unit_contact_id",
    "unit_policy",
    "unit_checkin_time",
    "unit_checkin_mode",
    "unit_target",
    "locale",
    "workdays",
    "checkin_time",
    "start_date",
    "fte",
    "role",
)
DEFAULT_WORKDAYS = "12345"
# unit_checkin_mode: True means anonymous answers.
CHECKIN_MODES = {"named": False, "navngivet": False, "anonymous": True, "anonym": True}
_POLICY_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")
MAX_FTE = 1.5
# The column sizes in storage.models: SQLite would accept longer text, PostgreSQL would not.
MAX_LENGTH = {
    "employee_id": 100,
    "name": 200,
    "email": 320,
    "aad_object_id": 64,
    "unit": 100,
    "unit_parent": 100,
}

ROLES = {
    "employee": Role.EMPLOYEE,
    "medarbejder": Role.EMPLOYEE,
    "leader": Role.LEADER,
    "leder": Role.LEADER,
    "hr": Role.HR,
    "admin": Role.ADMIN,
}
WEEKDAYS = {
    **dict.fromkeys(("man", "mandag", "mon", "monday"), 1),
    **dict.fromkeys(("tir", "tirsdag", "tue", "tues", "tuesday"), 2),
    **dict.fromkeys(("ons", "onsdag", "wed", "wednesday"), 3),
    **dict.fromkeys(("tor", "tors", "torsdag", "thu", "thur", "thurs", "thursday"), 4),
    **dict.fromkeys(("fre", "fredag", "fri", "friday"), 5),
    **dict.fromkeys(("lør", "lor", "lørdag", "lordag", "sat", "saturday"), 6),
    **dict.fromkeys(("søn", "son", "søndag", "sondag", "sun", "sunday"), 7),
    **{str(day): day for day in range(1, 8)},
}

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DANISH_DATE = re.compile(r"(\d{1,2})([-.])(\d{1,2})\2(\d{4})")
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")
_FTE = re.compile(r"\d*[.,]?\d+")
_LOCALE = re.compile(r"[a-z]{2}(-[A-Z]{2})?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file; `line` is the line an editor shows (the header is 1)."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return self.message if self.line is None else f"line {self.line}: {self.message}"


class OrgImportError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass(frozen=True)
class PlannedUnit:
    id: str
    parent_id: str | None
    # Who receives sick reports from the unit's staff who have no leader (then HR).
    contact_id: str | None = None
    # The follow-up policy of the unit; None inherits the parent unit's.
    policy_id: str | None = None
    # The daily check-in: the unit's time (None: the default) and anonymous or named answers.
    checkin_time: time | None = None
    checkin_anonymous: bool = False
    # Måltal: the sick-absence percent the unit aims at.
    target_percent: float | None = None


@dataclass(frozen=True)
class PlannedEmployee:
    line: int
    id: str
    name: str
    email: str
    aad_object_id: str | None
    unit_id: str
    leader_id: str | None
    deputy_id: str | None
    deputy_from: date | None
    deputy_to: date | None
    role: Role
    locale: str | None
    workdays: str
    checkin_time: time | None
    start_date: date | None
    fte: float

    def own_columns(self) -> dict[str, object]:
        """The Employee columns that need no other employee row to exist first."""
        return {
            "name": self.name,
            "email": self.email,
            "aad_object_id": self.aad_object_id,
            "unit_id": self.unit_id,
            "deputy_from": self.deputy_from,
            "deputy_to": self.deputy_to,
            "role": self.role,
            "locale": self.locale,
            "workdays": self.workdays,
            "checkin_time": self.checkin_time,
            "start_date": self.start_date,
            "fte": self.fte,
        }

    def links(self) -> dict[str, object]:
        return {"leader_id": self.leader_id, "deputy_id": self.deputy_id}


@dataclass(frozen=True)
class OrgPlan:
    """A validated organisation: units parents first, employees in file order."""

    units: tuple[PlannedUnit, ...]
    employees: tuple[PlannedEmployee, ...]


@dataclass
class ImportReport:
    """What an import changed. Every employee in the file is counted once, as created, updated,
    reactivated or unchanged; `updated` also counts a former employee whose directory id moved to
    someone in the file."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    left: int = 0
    reactivated: int = 0
    units_created: int = 0
    units_updated: int = 0

    @property
    def changed(self) -> bool:
        return self != ImportReport(unchanged=self.unchanged)

    def summary(self) -> str:
        if not self.changed:
            return f"No changes: {self.unchanged} employees unchanged."
        return (
            f"Employees: {self.created} created, {self.updated} updated, "
            f"{self.reactivated} reactivated, {self.unchanged} unchanged, {self.left} marked as left;"
            f" units: {self.units_created} created, {self.units_updated} updated."
        )


# --- parsing ------------------------------------------------------------------------------------


def _parse_date(raw: str, column: str) -> date:
    iso, danish = _ISO_DATE.fullmatch(raw), _DANISH_DATE.fullmatch(raw)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if danish:
            return date(int(danish[4]), int(danish[3]), int(danish[1]))
    except ValueError:
        pass
    raise ValueError(f"bad date '{raw}' in {column} (use YYYY-MM-DD)")


def _parse_time(raw: str, column: str) -> time:
    match = _TIME.fullmatch(raw)
    try:
        if match:
            return time(int(match[1]), int(match[2]))
    except ValueError:
        pass
    raise ValueError(f"bad time '{raw}' in {column} (use HH:MM, 24-hour clock)")


def _percent(raw: str) -> float | None:
    """'4,5', '4.5' or '4,5 %': a percent between 0 and 100."""
    text = raw.strip().removesuffix("%").strip().replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if 0 <= value <= 100 else None


def _is_time(raw: str) -> bool:
    try:
        _parse_time(raw, "")
    except ValueError:
        return False
    return True


def _parse_fte(raw: str, column: str) -> float:
    if not _FTE.fullmatch(raw):
        raise ValueError(f"bad number '{raw}' in {column} (use e.g. 0.8 or 0,8)")
    fte = float(raw.replace(",", "."))
    if not 0 < fte <= MAX_FTE:
        raise ValueError(f"{column} {raw} is out of range (above 0 and at most {MAX_FTE})")
    return fte


def _parse_locale(raw: str, column: str) -> str:
    language, _, region = raw.replace("_", "-").partition("-")
    locale = f"{language.lower()}-{region.upper()}" if region else language.lower()
    if not _LOCALE.fullmatch(locale):
        raise ValueError(f"bad {column} '{raw}' (use e.g. da-DK, en-GB or da)")
    return locale


def _parse_role(raw: str, column: str) -> Role:
    role = ROLES.get(raw.lower())
    if role is None:
        raise ValueError(f"unknown {column} '{raw}' (use employee, leader, hr or admin)")
    return role


def _weekday(token: str) -> int | None:
    return WEEKDAYS.get(token.rstrip("."))


def _parse_workdays(raw: str, column: str) -> str:
    """'man-fre', 'mon,wed,fri', 'mandag tirsdag', '12345' -> sorted ISO weekday digits."""
    bad = ValueError(f"bad {column} '{raw}' (use e.g. man-fre, man,tir,ons, mon-fri or 12345)")
    days: set[int] = set()
    for token in re.split(r"[,;/+\s]+", re.sub(r"\s*-\s*", "-", raw.lower())):
        if not token:
            continue
        if re.fullmatch(r"[1-7]{2,7}", token):
            days.update(int(digit) for digit in token)
            continue
        first_name, dash, last_name = token.partition("-")
        first, last = _weekday(first_name), _weekday(last_name if dash else first_name)
        # A range that runs backwards (fre-man) is more likely a typo than a weekend shift.
        if first is None or last is None or first > last:
            raise bad
        days.update(range(first, last + 1))
    if not days:
        raise bad
    return "".join(str(day) for day in sorted(days))


class _Row:
    """One employee line: getters return the parsed value or record a problem and return None."""

    def __init__(self, line: int, values: Mapping[str, str], problems: list[Problem]) -> None:
        self.line = line
        self.values = values
        self.problems = problems

    def problem(self, message: str) -> None:
        self.problems.append(Problem(self.line, message))

    def text(self, column: str) -> str:
        value = self.values.get(column, "")
        limit = MAX_LENGTH.get(column)
        if limit is not None and len(value) > limit:
            self.problem(f"{column} is longer than {limit} characters")
        return value

    def required(self, column: str) -> str:
        value = self.text(column)
        if not value:
            self.problem(f"missing {column}")
        return value

    def parsed(self, column: str, parse: Callable[[str, str], T]) -> T | None:
        raw = self.values.get(column, "")
        if not raw:
            return None
        try:
            return parse(raw, column)
        except ValueError as error:
            self.problem(str(error))
            return None


def _parse_employee(row: _Row) -> PlannedEmployee | None:
    employee_id = row.required("employee_id")
    name = row.required("name")
    email = row.required("email")
    if email and not _EMAIL.fullmatch(email):
        row.problem(f"bad email '{email}'")
    unit = row.required("unit")
    row.text("unit_parent")
    deputy_id = row.values.get("deputy_id") or None
    deputy_from = row.parsed("deputy_from", _parse_date)
    deputy_to = row.parsed("deputy_to", _parse_date)
    if deputy_from and deputy_to and deputy_from > deputy_to:
        row.problem(f"deputy_from {deputy_from} is after deputy_to {deputy_to}")
    if (deputy_from or deputy_to) and not deputy_id:
        row.problem("deputy_from/deputy_to given without a deputy_id")
    planned = PlannedEmployee(
        line=row.line,
        id=employee_id,
        name=name,
        email=email,
        aad_object_id=row.text("aad_object_id") or None,
        unit_id=unit,
        leader_id=row.values.get("leader_id") or None,
        deputy_id=deputy_id,
        deputy_from=deputy_from,
        deputy_to=deputy_to,
        role=row.parsed("role", _parse_role) or Role.EMPLOYEE,
        locale=row.parsed("locale", _parse_locale),
        workdays=row.parsed("workdays", _parse_workdays) or DEFAULT_WORKDAYS,
        checkin_time=row.parsed("checkin_time", _parse_time),
        start_date=row.parsed("start_date", _parse_date),
        fte=row.parsed("fte", _parse_fte) or 1.0,
    )
    # Kept despite other problems so that rows naming it as leader are not reported too.
    return planned if employee_id else None


def _read_records(text: str) -> tuple[list[tuple[int, list[str]]], list[Problem]]:
    """CSV records with the line each starts on, skipping blank ones (Excel leaves ';;;;' rows)."""
    header = next(line for line in text.splitlines() if line.strip())
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for fields in reader:
            if any(field.strip() for field in fields):
                records.append((line, [field.strip() for field in fields]))
            line = reader.line_num + 1
    except csv.Error as error:
        return records, [Problem(line, f"unreadable CSV: {error}")]
    return records, []


def _check_header(line: int, names: list[str]) -> list[Problem]:
    allowed = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    problems = [
        Problem(line, f"missing required column '{column}'")
        for column in REQUIRED_COLUMNS
        if column not in names
    ]
    for position, name in enumerate(names, start=1):
        if not name:
            problems.append(Problem(line, f"column {position} in the header has no name"))
        elif name not in allowed:
            problems.append(
                Problem(line, f"unknown column '{name}' (allowed: {', '.join(allowed)})")
            )
        elif names.index(name) != position - 1:
            problems.append(Problem(line, f"column '{name}' appears twice in the header"))
    return problems


def _cycles(parents: Mapping[str, str | None]) -> list[list[str]]:
    """Each cycle in a child -> parent graph once, as the list of its members."""
    done: set[str] = set()
    cycles: list[list[str]] = []
    for start in parents:
        path: list[str] = []
        node: str | None = start
        while node is not None and node not in done and node not in path:
            path.append(node)
            node = parents.get(node)
        if node is not None and node in path:
            cycles.append(path[path.index(node) :])
        done.update(path)
    return cycles


def _cycle_problem(kind: str, members: list[str], lines: Mapping[str, int]) -> Problem:
    first = min(range(len(members)), key=lambda index: lines[members[index]])
    ordered = members[first:] + members[:first]
    numbers = sorted({lines[member] for member in ordered})
    where = f"line {numbers[0]}" if len(numbers) == 1 else f"lines {', '.join(map(str, numbers))}"
    return Problem(None, f"{kind} cycle: {' -> '.join([*ordered, ordered[0]])} ({where})")


def _check_unique(
    employees: Iterable[PlannedEmployee], column: str, problems: list[Problem]
) -> None:
    """Directory id and e-mail identify a Teams user, so two rows must never share one."""
    seen: dict[str, PlannedEmployee] = {}
    for employee in employees:
        value = getattr(employee, column)
        if not value:
            continue
        first = seen.setdefault(value.lower(), employee)
        if first is not employee:
            problems.append(
                Problem(
                    employee.line,
                    f"duplicate {column} '{value}' (first on line {first.line}, "
                    f"employee '{first.id}')",
                )
            )


def _check_people(employees: dict[str, PlannedEmployee], problems: list[Problem]) -> None:
    for employee in employees.values():
        if employee.leader_id and employee.leader_id not in employees:
            problems.append(
                Problem(
                    employee.line,
                    f"unknown leader '{employee.leader_id}' for employee '{employee.id}'",
                )
            )
        if employee.deputy_id == employee.id:
            problems.append(
                Problem(employee.line, f"employee '{employee.id}' cannot be their own deputy")
            )
        elif employee.deputy_id and employee.deputy_id not in employees:
            problems.append(
                Problem(
                    employee.line,
                    f"unknown deputy '{employee.deputy_id}' for employee '{employee.id}'",
                )
            )
    _check_unique(employees.values(), "aad_object_id", problems)
    _check_unique(employees.values(), "email", problems)
    leaders = {
        employee.id: employee.leader_id if employee.leader_id in employees else None
        for employee in employees.values()
    }
    lines = {employee.id: employee.line for employee in employees.values()}
    problems.extend(_cycle_problem("leader", cycle, lines) for cycle in _cycles(leaders))


def _plan_units(
    rows: list[tuple[int, Mapping[str, str]]], problems: list[Problem]
) -> tuple[PlannedUnit, ...]:
    parents: dict[str, str | None] = {}
    declared: dict[str, tuple[str, int]] = {}
    for line, values in rows:
        unit, parent = values.get("unit", ""), values.get("unit_parent", "")
        if not unit:
            continue
        parents.setdefault(unit, None)
        if not parent:
            continue
        parents.setdefault(parent, None)
        earlier = declared.setdefault(unit, (parent, line))
        if earlier[0] != parent:
            problems.append(
                Problem(
                    line,
                    f"unit '{unit}' has parent '{parent}' here but '{earlier[0]}' "
                    f"on line {earlier[1]}",
                )
            )
    parents.update({unit: parent for unit, (parent, _) in declared.items()})
    lines = {unit: line for unit, (_, line) in declared.items()}
    cycles = _cycles(parents)
    problems.extend(_cycle_problem("unit", cycle, lines) for cycle in cycles)
    if cycles:
        return ()
    ordered: list[PlannedUnit] = []
    placed: set[str] = set()
    for unit in parents:
        chain: list[str] = []
        node: str | None = unit
        while node is not None and node not in placed:
            chain.append(node)
            node = parents[node]
        for member in reversed(chain):
            ordered.append(PlannedUnit(member, parents[member]))
            placed.add(member)
    return tuple(ordered)


def _unit_values(
    rows: list[tuple[int, Mapping[str, str]]],
    column: str,
    known: Callable[[str], bool],
    problems: list[Problem],
) -> dict[str, str]:
    """One value per unit for a unit column given on employee rows; conflicting rows are errors."""
    chosen: dict[str, tuple[str, int]] = {}
    for line, values in rows:
        unit, value = values.get("unit", ""), values.get(column, "")
        if not unit or not value:
            continue
        if not known(value):
            problems.append(Problem(line, f"unknown {column} '{value}' for unit '{unit}'"))
            continue
        earlier = chosen.setdefault(unit, (value, line))
        if earlier[0] != value:
            problems.append(
                Problem(
                    line,
                    f"unit '{unit}' has {column} '{value}' here but '{earlier[0]}' "
                    f"on line {earlier[1]}",
                )
            )
    return {unit: value for unit, (value, _line) in chosen.items()}


def _plan_unit_settings(
    units: tuple[PlannedUnit, ...],
    rows: list[tuple[int, Mapping[str, str]]],
    employees: Mapping[str, PlannedEmployee],
    policies: Iterable[str] | None,
    problems: list[Problem],
) -> tuple[PlannedUnit, ...]:
    known_policies = set(policies) if policies is not None else None
    contacts = _unit_values(rows, "unit_contact_id", lambda v: v in employees, problems)
    chosen_policies = _unit_values(
        rows,
        "unit_policy",
        lambda v: bool(_POLICY_ID.match(v)) and (known_policies is None or v in known_policies),
        problems,
    )
    times = _unit_values(rows, "unit_checkin_time", _is_time, problems)
    targets = _unit_values(rows, "unit_target", lambda v: _percent(v) is not None, problems)
    modes = _unit_values(
        rows, "unit_checkin_mode", lambda v: v.casefold() in CHECKIN_MODES, problems
    )
    return tuple(
        replace(
            u,
            contact_id=contacts.get(u.id),
            policy_id=chosen_policies.get(u.id),
            checkin_time=_parse_time(times[u.id], "unit_checkin_time") if u.id in times else None,
            checkin_anonymous=CHECKIN_MODES.get(modes.get(u.id, "").casefold(), False),
            target_percent=_percent(targets[u.id]) if u.id in targets else None,
        )
        for u in units
    )


def _promote_leaders(employees: dict[str, PlannedEmployee]) -> tuple[PlannedEmployee, ...]:
    """Someone's nearest leader is a leader, whatever the HR system calls them."""
    leader_ids = {employee.leader_id for employee in employees.values()}
    return tuple(
        replace(employee, role=Role.LEADER)
        if employee.id in leader_ids and employee.role == Role.EMPLOYEE
        else employee
        for employee in employees.values()
    )


def parse_org_csv(text: str, policies: Iterable[str] | None = None) -> OrgPlan:
    """Validate a whole organisation file; raises OrgImportError listing every problem.

    `policies` are the follow-up policy ids a `unit_policy` may name (None: any well-formed id).
    """
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise OrgImportError([Problem(None, "the file is empty")])
    records, problems = _read_records(text)
    if problems:
        raise OrgImportError(problems)
    if not records:
        raise OrgImportError([Problem(None, "the file is empty")])
    (header_line, header), *body = records
    names = [name.lower() for name in header]
    # Excel pads rows with empty cells past the last column; they carry nothing.
    while names and not names[-1]:
        names.pop()
    problems = _check_header(header_line, names)
    if problems:
        raise OrgImportError(problems)
    if not body:
        raise OrgImportError([Problem(None, "no employees in the file (only a header)")])

    rows: list[tuple[int, Mapping[str, str]]] = []
    employees: dict[str, PlannedEmployee] = {}
    for line, fields in body:
        values = dict(zip(names, fields, strict=False))
        row_problems = problems
        if len(fields) < len(names) or any(fields[len(names) :]):
            problems.append(
                Problem(line, f"{len(fields)} values, but the header has {len(names)} columns")
            )
            # Its values are shifted: report the count once, not every symptom of it.
            row_problems = []
        else:
            rows.append((line, values))
        employee = _parse_employee(_Row(line, values, row_problems))
        if employee is None:
            continue
        first = employees.setdefault(employee.id, employee)
        if first is not employee:
            problems.append(
                Problem(line, f"duplicate employee_id '{employee.id}' (first on line {first.line})")
            )
    units = _plan_units(rows, problems)
    units = _plan_unit_settings(units, rows, employees, policies, problems)
    _check_people(employees, problems)
    if problems:
        raise OrgImportError(sorted(problems, key=lambda p: (p.line is None, p.line or 0)))
    return OrgPlan(units=units, employees=_promote_leaders(employees))


# --- applying -----------------------------------------------------------------------------------


def _assign(row: object, values: Mapping[str, object]) -> bool:
    """Set only what differs, so an unchanged row is never written and counts stay exact."""
    differs = {name: value for name, value in values.items() if getattr(row, name) != value}
    for name, value in differs.items():
        setattr(row, name, value)
    return bool(differs)


async def _apply_units(session: AsyncSession, plan: OrgPlan, report: ImportReport) -> None:
    existing = {unit.id: unit for unit in await session.scalars(select(Unit))}
    for planned in plan.units:
        if planned.id not in existing:
            session.add(
                Unit(
                    id=planned.id,
                    name=planned.id,
                    parent_id=planned.parent_id,
                    fallback_contact_id=planned.contact_id,
                    policy_id=planned.policy_id,
                    checkin_time=planned.checkin_time,
                    checkin_anonymous=planned.checkin_anonymous,
                    target_percent=planned.target_percent,
                )
            )
            report.units_created += 1
    # The ORM writes updates before inserts within one flush; an existing unit may be moving
    # under a unit that is new in this file, so the new ones go in first.
    await session.flush()
    for planned in plan.units:
        unit = existing.get(planned.id)
        values = {
            "name": planned.id,
            "parent_id": planned.parent_id,
            "fallback_contact_id": planned.contact_id,
            "policy_id": planned.policy_id,
            "checkin_time": planned.checkin_time,
            "checkin_anonymous": planned.checkin_anonymous,
            "target_percent": planned.target_percent,
        }
        if unit is not None and _assign(unit, values):
            report.units_updated += 1
    await session.flush()


async def _free_directory_ids(
    session: AsyncSession, rows: Mapping[str, Employee], plan: OrgPlan
) -> set[str]:
    """Clear directory ids that are about to change hands (swapped, or taken over from someone
    who left): the unique index is checked statement by statement, not at commit."""
    wanted = {planned.id: planned.aad_object_id for planned in plan.employees}
    claimed = {aad.lower() for aad in wanted.values() if aad}
    freed: set[str] = set()
    for row in rows.values():
        current = row.aad_object_id
        if current is None:
            continue
        keeps = wanted[row.id] == current if row.id in wanted else current.lower() not in claimed
        if not keeps:
            row.aad_object_id = None
            freed.add(row.id)
    await session.flush()
    return freed


async def _apply_employees(
    session: AsyncSession, plan: OrgPlan, today: date, report: ImportReport
) -> None:
    rows = {row.id: row for row in await session.scalars(select(Employee))}
    freed = await _free_directory_ids(session, rows, plan)
    targets: dict[str, Employee] = {}
    changed = set(freed)
    reactivated: set[str] = set()
    for planned in plan.employees:
        row = rows.get(planned.id)
        if row is None:
            row = Employee(id=planned.id, status=EmploymentStatus.ACTIVE, **planned.own_columns())
            session.add(row)
            report.created += 1
        else:
            if _assign(row, planned.own_columns()):
                changed.add(row.id)
            if row.status == EmploymentStatus.LEFT:
                row.status, row.left_on = EmploymentStatus.ACTIVE, None
                reactivated.add(row.id)
        targets[planned.id] = row
    await session.flush()
    # Leader and deputy may be rows created just above: link only once every row exists.
    for planned in plan.employees:
        if _assign(targets[planned.id], planned.links()) and planned.id in rows:
            changed.add(planned.id)
    await session.flush()

    leaving: list[str] = []
    for row in rows.values():
        if row.id in targets:
            if row.id in reactivated:
                report.reactivated += 1
            elif row.id in changed:
                report.updated += 1
            else:
                report.unchanged += 1
        elif row.status == EmploymentStatus.ACTIVE:
            row.status, row.left_on = EmploymentStatus.LEFT, today
            report.left += 1
            leaving.append(row.id)
        elif row.id in changed:
            # Already gone, but their directory id moved to someone in the file.
            report.updated += 1
    await forget_how_to_reach(session, leaving)
    await session.flush()


async def forget_how_to_reach(session: AsyncSession, employee_ids: list[str]) -> None:
    """Someone who left: no conversation reference, no unfinished dialog, nothing more to send
    (and so no check-ins). Their absence history stays until retention says otherwise."""
    if not employee_ids:
        return
    await session.execute(delete(TeamsUser).where(TeamsUser.employee_id.in_(employee_ids)))
    await session.execute(delete(DialogState).where(DialogState.employee_id.in_(employee_ids)))
    await session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.recipient_id.in_(employee_ids),
            OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING)),
        )
    )


async def apply_org(session: AsyncSession, plan: OrgPlan, today: date) -> ImportReport:
    """Make units and employees match the plan, inside the caller's transaction."""
    report = ImportReport()
    await _apply_units(session, plan, report)
    await _apply_employees(session, plan, today, report)
    log.info("org import applied: %s", report.summary())
    return report


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise OrgImportError([Problem(None, f"cannot read {path}: {reason}")]) from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        message = (
            f"the file is not UTF-8 (byte 0x{data[error.start]:02x}); "
            "in Excel save it as 'CSV UTF-8'"
        )
        raise OrgImportError([Problem(line, message)]) from error


async def import_org_file(
    sessions: async_sessionmaker[AsyncSession],
    path: Path,
    today: date,
    policies: Iterable[str] | None = None,
) -> ImportReport:
    """Read, validate and apply one file in a single transaction: any error changes nothing."""
    plan = parse_org_csv(await asyncio.to_thread(_read_text, path), policies)
    async with sessions.begin() as session:
        return await apply_org(session, plan, today)
