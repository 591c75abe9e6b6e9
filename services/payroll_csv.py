"""Payroll files, read and written: pure text in, rows out (and back), nothing stored.

The file payroll exports (for `naervaer absences import` and `naervaer payroll reconcile`):
one line per absence, a header naming the columns (any order; ';' or ',' between them):

    employee    employee number (naervaer's employee id) or e-mail
    first_day   YYYY-MM-DD, DD-MM-YYYY or DD.MM.YYYY
    last_day    the same, or empty while the absence is still open
    code        the payroll code (a code table's `codes` or `skip`)
    hours       hours per week off, for a partial code (optional)
    percent     percent of normal hours off, for a partial code (optional)

The hand-off file naervaer writes for payroll has HANDOFF_COLUMNS (see README, "Payroll").
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from rules.csv_cells import safe_row

# Header words accepted for each column: English, and what Danish payroll exports call them.
ALIASES: dict[str, tuple[str, ...]] = {
    "employee": ("employee", "medarbejder", "tjenestenummer", "medarbejdernummer", "email"),
    "first_day": ("first_day", "fra", "fra_dato", "startdato"),
    "last_day": ("last_day", "til", "til_dato", "slutdato"),
    "code": ("code", "kode", "lønart", "fraværskode"),
    "hours": ("hours", "timer"),
    "percent": ("percent", "procent"),
}
REQUIRED = ("employee", "first_day", "code")
HANDOFF_COLUMNS = (
    "row_id",
    "change",
    "employee",
    "code",
    "kind",
    "first_day",
    "last_day",
    "hours",
    "percent",
    "work_injury",
    "section_56",
)
BOM = "\ufeff"


class FileError(ValueError):
    """Problems with the file, each with its line number; nothing was changed."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a payroll export, as written (the employee not yet looked up)."""

    number: int
    employee: str
    first_day: date
    last_day: date | None
    code: str
    hours: float | None
    percent: int | None


def read_lines(text: str) -> list[Line]:
    """Every line of a payroll export, or FileError listing every bad line by its number."""
    lines, problems = read_lines_and_problems(text)
    if problems:
        raise FileError(problems)
    return lines


def read_lines_and_problems(text: str) -> tuple[list[Line], list[str]]:
    """The good lines, and a problem for each bad one (a bad header: FileError)."""
    text = text.removeprefix(BOM)
    if not text.strip():
        raise FileError(["line 1: the file is empty"])
    header_line = text.splitlines()[0]
    delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    columns = _columns(next(reader))
    lines: list[Line] = []
    problems: list[str] = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        try:
            lines.append(_line(number, cells, columns))
        except ValueError as error:
            problems.append(f"line {number}: {error}")
    return lines, problems


def _columns(header: list[str]) -> dict[str, int]:
    words = [cell.strip().lower().replace(" ", "_") for cell in header]
    found: dict[str, int] = {}
    for column, aliases in ALIASES.items():
        for i, word in enumerate(words):
            if word in aliases:
                found[column] = i
                break
    if missing := [c for c in REQUIRED if c not in found]:
        raise FileError([f"line 1: the header has no column {', '.join(missing)}"])
    return found


def _line(number: int, cells: list[str], columns: dict[str, int]) -> Line:
    def cell(name: str) -> str:
        i = columns.get(name)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    employee, code = cell("employee"), cell("code")
    if not employee:
        raise ValueError("employee is empty")
    if not code:
        raise ValueError("code is empty")
    first = parse_day(cell("first_day"), "first_day")
    last = parse_day(cell("last_day"), "last_day") if cell("last_day") else None
    if last is not None and last < first:
        raise ValueError(f"last_day {last} is before first_day {first}")
    hours = _number(cell("hours"), "hours", 0, 168)
    percent = _number(cell("percent"), "percent", 1, 100)
    if hours is not None and percent is not None:
        raise ValueError("give hours or percent, not both")
    return Line(number, employee, first, last, code, hours, int(percent) if percent else None)


def parse_day(raw: str, field: str) -> date:
    if len(raw) == 10 and raw[4] == "-":
        try:
            return date.fromisoformat(raw)  # the common case, and fast: a million lines
        except ValueError:
            pass
    for pattern in ("%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(raw, pattern).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    raise ValueError(f"{field} {raw!r} is not a date (YYYY-MM-DD or DD-MM-YYYY)")


def _number(raw: str, field: str, low: float, high: float) -> float | None:
    if not raw:
        return None
    try:
        value = float(raw.replace(",", "."))
    except ValueError as error:
        raise ValueError(f"{field} {raw!r} is not a number") from error
    if not low <= value <= high:
        raise ValueError(f"{field} {raw} is outside {low:g}-{high:g}")
    return value


# --- the hand-off file -------------------------------------------------------------------


def handoff_csv(rows: Iterable[dict[str, Any]]) -> str:
    """UTF-8 with a byte order mark and ';' between columns, for Danish Excel; every cell
    neutralised so nothing in it runs as a formula."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(HANDOFF_COLUMNS)
    for row in rows:
        writer.writerow(safe_row(_cell(row[c]) for c in HANDOFF_COLUMNS))
    return BOM + out.getvalue()


def handoff_json(rows: Iterable[dict[str, Any]]) -> str:
    return json.dumps(
        [{c: _plain(row[c]) for c in HANDOFF_COLUMNS} for row in rows],
        ensure_ascii=False,
        indent=2,
    )


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
