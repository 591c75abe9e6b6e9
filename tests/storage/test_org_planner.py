"""A unit's planner in the organisation file (issue 14, part 8): validated like the other person
references, all-or-nothing, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.models import Unit
from storage.org_import import OrgImportError, import_org_file
from storage.org_import.parse import parse_org_csv
from tests.conftest import SMALL_ORG


def with_planners(planners: dict[str, str]) -> str:
    """The small organisation with a unit_planner_id column; `planners` by employee row."""
    header, *rows = SMALL_ORG.read_text(encoding="utf-8").splitlines()
    lines = [f"{header},unit_planner_id"]
    for row in rows:
        lines.append(f"{row},{planners.get(row.split(',')[0], '')}")
    return "\n".join(lines) + "\n"


def test_a_planner_is_read_onto_the_unit():
    plan = parse_org_csv(with_planners({"e1": "e3", "e3": "e3"}))
    units = {u.id: u.planner_id for u in plan.units}
    assert units == {"Ældreområdet": None, "Solgården": "e3", "HR": None}


def test_an_unknown_planner_is_named_with_its_line():
    with pytest.raises(OrgImportError) as raised:
        parse_org_csv(with_planners({"e1": "nobody"}))
    assert [str(p) for p in raised.value.problems] == [
        "line 5: unknown unit_planner_id 'nobody' for unit 'Solgården'"
    ]


def test_two_planners_for_one_unit_is_an_error():
    with pytest.raises(OrgImportError) as raised:
        parse_org_csv(with_planners({"l1": "e3", "e2": "d1"}))
    assert [str(p) for p in raised.value.problems] == [
        "line 6: unit 'Solgården' has unit_planner_id 'd1' here but 'e3' on line 3"
    ]


async def test_a_file_with_a_bad_planner_changes_nothing(sessions, clock, tmp_path: Path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(with_planners({"e1": "e3"}), encoding="utf-8")
    bad.write_text(with_planners({"e1": "d1", "e2": "ghost"}), encoding="utf-8")
    await import_org_file(sessions, good, clock.now().date())
    with pytest.raises(OrgImportError):
        await import_org_file(sessions, bad, clock.now().date())
    async with sessions() as session:
        unit = await session.get(Unit, "Solgården")
        assert unit is not None and unit.planner_id == "e3"
    report = await import_org_file(sessions, good, clock.now().date())
    assert not report.changed  # idempotent with the column
