"""Reading and validating an organisation file into an OrgPlan.

Pure: text in, plain dataclasses out; no SQLAlchemy, no session, no file system. Every problem
in the file is reported at once, so HR can fix a file in one round instead of one error at a time.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import TypeVar

from rules.access import Role
from rules.text_clean import clean_text
from storage.org_import.checks import (
    Row,
    check_people,
    plan_unit_settings,
    plan_units,
    promote_leaders,
)
from storage.org_import.fields import (
    DEFAULT_WORKDAYS,
    EMAIL,
    MAX_LENGTH,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    parse_date,
    parse_fte,
    parse_locale,
    parse_role,
    parse_time,
    parse_workdays,
)
from storage.org_import.plan import OrgImportError, OrgPlan, PlannedEmployee, Problem

T = TypeVar("T")

# A CSV record that is not blank: the line it starts on and its stripped fields.
Record = tuple[int, list[str]]


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


def _deputy(row: _Row) -> tuple[str | None, date | None, date | None]:
    """The deputy standing in for this employee (if a leader) and when."""
    deputy_id = row.values.get("deputy_id") or None
    deputy_from = row.parsed("deputy_from", parse_date)
    deputy_to = row.parsed("deputy_to", parse_date)
    if deputy_from and deputy_to and deputy_from > deputy_to:
        row.problem(f"deputy_from {deputy_from} is after deputy_to {deputy_to}")
    if (deputy_from or deputy_to) and not deputy_id:
        row.problem("deputy_from/deputy_to given without a deputy_id")
    return deputy_id, deputy_from, deputy_to


def _parse_employee(row: _Row) -> PlannedEmployee | None:
    employee_id = row.required("employee_id")
    name = row.required("name")
    email = row.required("email")
    if email and not EMAIL.fullmatch(email):
        row.problem(f"bad email '{email}'")
    unit = row.required("unit")
    row.text("unit_parent")
    deputy_id, deputy_from, deputy_to = _deputy(row)
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
        role=row.parsed("role", parse_role) or Role.EMPLOYEE,
        locale=row.parsed("locale", parse_locale),
        workdays=row.parsed("workdays", parse_workdays) or DEFAULT_WORKDAYS,
        checkin_time=row.parsed("checkin_time", parse_time),
        start_date=row.parsed("start_date", parse_date),
        fte=row.parsed("fte", parse_fte) or 1.0,
    )
    # Kept despite other problems so that rows naming it as leader are not reported too.
    return planned if employee_id else None


def _read_records(text: str) -> tuple[list[Record], list[Problem]]:
    """CSV records with the line each starts on, skipping blank ones (Excel leaves ';;;;' rows)."""
    header = next(line for line in text.splitlines() if line.strip())
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    records: list[Record] = []
    line = 1
    try:
        for raw in reader:
            # Names are shown on cards and pages: no bidi or zero-width controls in them.
            fields = [clean_text(field).strip() for field in raw]
            if any(fields):
                records.append((line, fields))
            line = reader.line_num + 1
    except csv.Error as error:
        return records, [Problem(line, f"unreadable CSV: {error}")]
    return records, []


def _column_names(header: list[str]) -> list[str]:
    names = [name.lower() for name in header]
    # Excel pads rows with empty cells past the last column; they carry nothing.
    while names and not names[-1]:
        names.pop()
    return names


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


def _header_and_body(text: str) -> tuple[list[str], list[Record]]:
    """The column names and the employee records; a file without both is rejected whole."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise OrgImportError([Problem(None, "the file is empty")])
    records, problems = _read_records(text)
    if problems:
        raise OrgImportError(problems)
    if not records:
        raise OrgImportError([Problem(None, "the file is empty")])
    (header_line, header), *body = records
    names = _column_names(header)
    problems = _check_header(header_line, names)
    if problems:
        raise OrgImportError(problems)
    if not body:
        raise OrgImportError([Problem(None, "no employees in the file (only a header)")])
    return names, body


def _read_employees(
    names: list[str], body: list[Record], problems: list[Problem]
) -> tuple[list[Row], dict[str, PlannedEmployee]]:
    """The well-formed rows (for the unit columns) and the employees by id, in file order."""
    rows: list[Row] = []
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
    return rows, employees


def parse_org_csv(text: str, policies: Iterable[str] | None = None) -> OrgPlan:
    """Validate a whole organisation file; raises OrgImportError listing every problem.

    `policies` are the follow-up policy ids a `unit_policy` may name (None: any well-formed id).
    """
    names, body = _header_and_body(text)
    problems: list[Problem] = []
    rows, employees = _read_employees(names, body, problems)
    units = plan_units(rows, problems)
    units = plan_unit_settings(units, rows, employees, policies, problems)
    check_people(employees, problems)
    if problems:
        raise OrgImportError(sorted(problems, key=lambda p: (p.line is None, p.line or 0)))
    return OrgPlan(units=units, employees=promote_leaders(employees))
