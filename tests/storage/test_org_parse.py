"""The pure half of the organisation import: text in, plan or problems out, no database."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest

from storage.org_import import OrgImportError, parse_org_csv
from storage.org_import.fields import parse_date, parse_fte, parse_locale, parse_time
from storage.org_import.plan import PlannedUnit

HEADER = "employee_id,name,email,aad_object_id,leader_id,unit"
PURE_MODULES = ("plan", "fields", "checks", "parse")
PACKAGE = Path(__file__).parents[2] / "storage" / "org_import"


def problems_of(text: str) -> list[str]:
    with pytest.raises(OrgImportError) as raised:
        parse_org_csv(text)
    return [str(problem) for problem in raised.value.problems]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", PURE_MODULES)
def test_parsing_modules_import_no_sql(module: str) -> None:
    imported = imported_modules(PACKAGE / f"{module}.py")

    assert not {name for name in imported if name.split(".")[0] == "sqlalchemy"}
    assert "storage.models" not in imported
    assert "storage.org_import.apply" not in imported


def test_planned_columns_are_the_model_columns() -> None:
    from storage.models import Employee, Unit

    unit = PlannedUnit("Solgården", None)
    employee = parse_org_csv(f"{HEADER}\ne1,Emma,e1@example.dk,,,Unit\n").employees[0]

    assert set(unit.columns()) <= set(Unit.__table__.columns.keys())
    assert set(employee.own_columns()) | set(employee.links()) <= set(
        Employee.__table__.columns.keys()
    )


def test_a_name_too_long_for_its_column_is_named_with_its_line() -> None:
    long_name = "E" * 201

    assert problems_of(f"{HEADER}\ne1,{long_name},e1@example.dk,,,Unit\n") == [
        "line 2: name is longer than 200 characters"
    ]


def test_a_header_column_without_a_name_is_refused() -> None:
    assert problems_of("employee_id,,name,email,aad_object_id,leader_id,unit\n") == [
        "line 1: column 2 in the header has no name"
    ]


def test_a_short_row_reports_its_count_once_not_its_symptoms() -> None:
    text = f"{HEADER}\nl1,Lis,l1@example.dk,,,Unit\ne1,Emma,e1@example.dk,,l1\n"

    assert problems_of(text) == ["line 3: 5 values, but the header has 6 columns"]


def test_a_child_unit_before_its_parent_is_planned_after_it() -> None:
    text = (
        f"{HEADER},unit_parent\n"
        "e1,Emma,e1@example.dk,,,Nattevagt,Solgården\n"
        "l1,Lis,l1@example.dk,,,Solgården,Kommunen\n"
    )

    plan = parse_org_csv(text)

    assert [(unit.id, unit.parent_id) for unit in plan.units] == [
        ("Kommunen", None),
        ("Solgården", "Kommunen"),
        ("Nattevagt", "Solgården"),
    ]


@pytest.mark.parametrize(
    ("parse", "raw", "column", "message"),
    [
        (parse_date, "31-02-2025", "start_date", "bad date '31-02-2025' in start_date (use YYYY-MM-DD)"),
        (parse_time, "24:00", "checkin_time", "bad time '24:00' in checkin_time (use HH:MM, 24-hour clock)"),
        (parse_fte, "0", "fte", "fte 0 is out of range (above 0 and at most 1.5)"),
        (parse_locale, "dansk", "locale", "bad locale 'dansk' (use e.g. da-DK, en-GB or da)"),
    ],
)  # fmt: skip
def test_cell_parsers_name_the_column_they_read(
    parse: Callable[[str, str], object], raw: str, column: str, message: str
) -> None:
    with pytest.raises(ValueError) as raised:
        parse(raw, column)

    assert str(raised.value) == message
