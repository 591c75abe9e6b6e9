"""Organisation import: parsing (no database) and applying (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduler.clock import FrozenClock
from storage import org_import
from storage.models import Employee, EmploymentStatus, Role, Unit
from storage.org_import import (
    ImportReport,
    OrgImportError,
    OrgPlan,
    apply_org,
    import_org_file,
    parse_org_csv,
)

ORG = Path(__file__).resolve().parents[1] / "data" / "org"
GOOD = ORG / "good.csv"
HEADER = "employee_id,name,email,aad_object_id,leader_id,unit"
COPENHAGEN = ZoneInfo("Europe/Copenhagen")

Sessions = async_sessionmaker[AsyncSession]
Snapshot = tuple[list[dict[str, Any]], list[dict[str, Any]]]


def today(clock: FrozenClock) -> date:
    return clock.now().astimezone(COPENHAGEN).date()


def good_text() -> str:
    return GOOD.read_text(encoding="utf-8")


def edited(text: str, *replacements: tuple[str, str]) -> str:
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def problems_of(text: str) -> list[str]:
    with pytest.raises(OrgImportError) as raised:
        parse_org_csv(text)
    return [str(problem) for problem in raised.value.problems]


async def snapshot(sessions: Sessions) -> Snapshot:
    async with sessions() as session:
        units = await session.execute(select(Unit.__table__).order_by(Unit.id))
        employees = await session.execute(select(Employee.__table__).order_by(Employee.id))
        return [dict(row._mapping) for row in units], [dict(row._mapping) for row in employees]


async def employees_by_id(sessions: Sessions) -> dict[str, Employee]:
    async with sessions() as session:
        return {row.id: row for row in await session.scalars(select(Employee))}


async def apply_text(sessions: Sessions, text: str, on: date) -> ImportReport:
    plan = parse_org_csv(text)
    async with sessions.begin() as session:
        return await apply_org(session, plan, on)


# --- parsing, no database -----------------------------------------------------------------------


def test_good_file_plans_units_parents_first() -> None:
    plan = parse_org_csv(good_text())

    assert [(unit.id, unit.parent_id) for unit in plan.units] == [
        ("Kommunen", None),
        ("Ældreområdet", "Kommunen"),
        ("Solgården", "Ældreområdet"),
        ("HR", "Ældreområdet"),
        ("Nattevagt", "Solgården"),
    ]
    assert [employee.id for employee in plan.employees] == [
        "c1", "l1", "d1", "e1", "e2", "e3", "h1", "t1", "n1",
    ]  # fmt: skip


def test_semicolon_bom_and_danish_formats_give_the_same_plan() -> None:
    good = parse_org_csv(good_text())

    semicolon = parse_org_csv((ORG / "semicolon.csv").read_text(encoding="utf-8"))
    bom = parse_org_csv((ORG / "bom.csv").read_text(encoding="utf-8"))

    assert semicolon == good
    assert bom == good


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", "12345"),
        ("man-fre", "12345"),
        ("mon-fri", "12345"),
        ("man-tor", "1234"),
        ("man,tir,ons", "123"),
        ("mon,wed,fri", "135"),
        ("Mandag, Onsdag", "13"),
        ("lørdag-søndag", "67"),
        ("lor,son", "67"),
        ("tue - thu", "234"),
        ("54321", "12345"),
        ("1-3", "123"),
        ("fre,man,fre", "15"),
    ],
)
def test_workdays_accept_danish_and_english_days(raw: str, expected: str) -> None:
    plan = parse_org_csv(f'{HEADER},workdays\ne1,Emma,emma@example.dk,,,Unit,"{raw}"\n')

    assert plan.employees[0].workdays == expected


@pytest.mark.parametrize("raw", ["man-", "fre-man", "mandag-frydag", "12348", "0", "weekdays"])
def test_bad_workdays_are_named(raw: str) -> None:
    assert problems_of(f'{HEADER},workdays\ne1,Emma,emma@example.dk,,,Unit,"{raw}"\n') == [
        f"line 2: bad workdays '{raw}' (use e.g. man-fre, man,tir,ons, mon-fri or 12345)"
    ]


@pytest.mark.parametrize(
    ("column", "raw", "expected"),
    [
        ("start_date", "2026-03-05", date(2026, 3, 5)),
        ("start_date", "05-03-2026", date(2026, 3, 5)),
        ("start_date", "5.3.2026", date(2026, 3, 5)),
        ("checkin_time", "7:05", time(7, 5)),
        ("checkin_time", "14.30", time(14, 30)),
        ("fte", "0,8", 0.8),
        ("fte", "1.5", 1.5),
        ("locale", "DA-dk", "da-DK"),
        ("locale", "EN", "en"),
        ("locale", "en_US", "en-US"),
        ("role", "Leder", Role.LEADER),
        ("role", "admin", Role.ADMIN),
    ],
)
def test_danish_ways_of_writing_values(column: str, raw: str, expected: object) -> None:
    plan = parse_org_csv(f'{HEADER},{column}\ne1,Emma,emma@example.dk,,,Unit,"{raw}"\n')

    assert getattr(plan.employees[0], column) == expected


@pytest.mark.parametrize(
    ("column", "raw", "message"),
    [
        ("start_date", "2026-02-30", "bad date '2026-02-30' in start_date (use YYYY-MM-DD)"),
        ("deputy_to", "05/03/2026", "bad date '05/03/2026' in deputy_to (use YYYY-MM-DD)"),
        ("checkin_time", "24:00", "bad time '24:00' in checkin_time (use HH:MM, 24-hour clock)"),
        ("fte", "0", "fte 0 is out of range (above 0 and at most 1.5)"),
        ("fte", "1,6", "fte 1,6 is out of range (above 0 and at most 1.5)"),
        ("fte", "80%", "bad number '80%' in fte (use e.g. 0.8 or 0,8)"),
        ("locale", "dansk", "bad locale 'dansk' (use e.g. da-DK, en-GB or da)"),
        ("role", "chef", "unknown role 'chef' (use employee, leader, hr or admin)"),
    ],
)
def test_bad_values_are_named_with_their_line(column: str, raw: str, message: str) -> None:
    text = f'{HEADER},{column},deputy_id\nc1,Chef,c@example.dk,,,Unit,,\ne1,Emma,emma@example.dk,,c1,Unit,"{raw}",c1\n'

    assert problems_of(text) == [f"line 3: {message}"]


def test_person_who_is_someones_leader_is_promoted_to_leader() -> None:
    employees = {employee.id: employee for employee in parse_org_csv(good_text()).employees}

    assert employees["n1"].role == Role.LEADER  # "medarbejder" in the file, but t1's leader
    assert employees["d1"].role == Role.EMPLOYEE  # a deputy stays what the file says
    assert employees["h1"].role == Role.HR


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("missing_column.csv", ["line 1: missing required column 'aad_object_id'"]),
        ("unknown_leader.csv", ["line 4: unknown leader 'x9' for employee 'e3'"]),
        ("leader_cycle.csv", ["leader cycle: e1 -> e2 -> e1 (lines 3, 4)"]),
        ("duplicate_id.csv", ["line 7: duplicate employee_id 'e1' (first on line 3)"]),
        ("bad_date.csv", ["line 5: bad date '2026-13-01' in start_date (use YYYY-MM-DD)"]),
        (
            "bad_workdays.csv",
            [
                "line 3: bad workdays 'mandag-frydag' "
                "(use e.g. man-fre, man,tir,ons, mon-fri or 12345)"
            ],
        ),
        ("unit_cycle.csv", ["unit cycle: Rådhuset -> Byen -> Rådhuset (lines 2, 3)"]),
        (
            "unknown_column.csv",
            [
                "line 1: unknown column 'afdeling' (allowed: employee_id, name, email, "
                "aad_object_id, leader_id, unit, deputy_id, deputy_from, deputy_to, unit_parent, unit_contact_id, unit_planner_id, unit_policy, "
                "unit_checkin_time, unit_checkin_mode, unit_target, locale, workdays, checkin_time, start_date, fte, role)"
            ],
        ),
        (
            "many_problems.csv",
            [
                "line 2: unknown role 'chef' (use employee, leader, hr or admin)",
                "line 2: employee 'c1' cannot be their own deputy",
                "line 3: bad email 'emma(at)example.dk'",
                "line 3: bad locale 'dansk' (use e.g. da-DK, en-GB or da)",
                "line 3: fte 2 is out of range (above 0 and at most 1.5)",
                "line 4: unknown deputy 'zz' for employee 'e2'",
                "line 4: duplicate aad_object_id 'AAD-EMMA' (first on line 3, employee 'e1')",
                "line 5: 11 values, but the header has 10 columns",
            ],
        ),
    ],
)
def test_bad_file_lists_every_problem_with_its_line(name: str, expected: list[str]) -> None:
    with pytest.raises(OrgImportError) as raised:
        parse_org_csv((ORG / name).read_text(encoding="utf-8"))

    assert [str(problem) for problem in raised.value.problems] == expected
    assert str(raised.value) == "\n".join(expected)


def test_leader_cycle_through_oneself() -> None:
    assert problems_of(f"{HEADER}\ne1,Emma,emma@example.dk,,e1,Unit\n") == [
        "leader cycle: e1 -> e1 (line 2)"
    ]


def test_conflicting_unit_parents_are_an_error() -> None:
    text = (
        f"{HEADER},unit_parent\n"
        "c1,Chef,c@example.dk,,,Solgården,Ældreområdet\n"
        "e1,Emma,emma@example.dk,,c1,Solgården,\n"
        "e2,Ali,ali@example.dk,,c1,Solgården,Rådhuset\n"
    )

    assert problems_of(text) == [
        "line 4: unit 'Solgården' has parent 'Rådhuset' here but 'Ældreområdet' on line 2"
    ]


def test_deputy_period_must_be_in_order_and_needs_a_deputy() -> None:
    text = (
        f"{HEADER},deputy_id,deputy_from,deputy_to\n"
        "c1,Chef,c@example.dk,,,Unit,e1,2026-12-24,2026-12-01\n"
        "e1,Emma,emma@example.dk,,c1,Unit,,2026-12-01,\n"
    )

    assert problems_of(text) == [
        "line 2: deputy_from 2026-12-24 is after deputy_to 2026-12-01",
        "line 3: deputy_from/deputy_to given without a deputy_id",
    ]


def test_missing_values_and_shared_email_are_errors() -> None:
    text = (
        f"{HEADER}\n"
        ",Nobody,n@example.dk,,,Unit\n"
        "e1,,,,,\n"
        "e2,Ali,ali@example.dk,,,Unit\n"
        "e3,Anna,ALI@example.dk,,,Unit\n"
    )

    assert problems_of(text) == [
        "line 2: missing employee_id",
        "line 3: missing name",
        "line 3: missing email",
        "line 3: missing unit",
        "line 5: duplicate email 'ALI@example.dk' (first on line 4, employee 'e2')",
    ]


def test_line_numbers_count_quoted_line_breaks_and_blank_lines() -> None:
    text = f'{HEADER}\n\ne1,"Emma\nSørensen",emma@example.dk,,,Unit\n,, ,,,\ne2,Ali,bad,,,Unit\n'

    assert problems_of(text) == ["line 6: bad email 'bad'"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["the file is empty"]),
        ("\ufeff\n \n", ["the file is empty"]),
        (f"{HEADER}\n", ["no employees in the file (only a header)"]),
        (
            HEADER.replace(",", ";") + ";;;\n;;;;;;;;;\n",
            ["no employees in the file (only a header)"],
        ),
        (f"{HEADER},name\n", ["line 1: column 'name' appears twice in the header"]),
    ],
)
def test_files_without_employees_are_refused(text: str, expected: list[str]) -> None:
    # An empty plan would mark the whole organisation as left.
    assert problems_of(text) == expected


# --- applying, on both databases ----------------------------------------------------------------


async def test_good_file_imports_the_organisation(sessions: Sessions, clock: FrozenClock) -> None:
    report = await import_org_file(sessions, GOOD, today(clock))

    assert report == ImportReport(created=9, units_created=5)
    units, _ = await snapshot(sessions)
    assert {unit["id"]: unit["parent_id"] for unit in units} == {
        "Kommunen": None,
        "Ældreområdet": "Kommunen",
        "Solgården": "Ældreområdet",
        "HR": "Ældreområdet",
        "Nattevagt": "Solgården",
    }
    assert all(unit["name"] == unit["id"] for unit in units)
    people = await employees_by_id(sessions)
    lars, emma, ali, mette = people["l1"], people["e1"], people["e2"], people["e3"]
    assert (lars.leader_id, lars.deputy_id) == ("c1", "d1")
    assert (lars.deputy_from, lars.deputy_to) == (date(2026, 12, 1), date(2026, 12, 24))
    assert (lars.role, lars.locale, lars.checkin_time) == (Role.LEADER, "da-DK", time(14, 30))
    assert (emma.fte, emma.workdays, emma.checkin_time) == (0.8, "12345", time(7, 45))
    assert (ali.workdays, ali.locale, ali.fte, ali.unit_id) == ("1234", "en-GB", 0.6, "Solgården")
    assert (mette.aad_object_id, mette.locale, mette.workdays) == (None, None, "135")
    assert mette.start_date == date(2026, 10, 1)
    assert people["c1"].leader_id is None
    assert people["t1"].workdays == "67"
    assert people["n1"].role == Role.LEADER
    assert people["h1"].role == Role.HR
    assert {person.status for person in people.values()} == {EmploymentStatus.ACTIVE}


async def test_reimport_changes_nothing(sessions: Sessions, clock: FrozenClock) -> None:
    await import_org_file(sessions, GOOD, today(clock))
    before = await snapshot(sessions)

    report = await import_org_file(sessions, GOOD, today(clock))

    assert report == ImportReport(unchanged=9)
    assert report.summary() == "No changes: 9 employees unchanged."
    assert await snapshot(sessions) == before


@pytest.mark.parametrize("name", ["semicolon.csv", "bom.csv"])
async def test_excel_variants_import_the_same_organisation(
    sessions: Sessions, clock: FrozenClock, name: str
) -> None:
    await import_org_file(sessions, GOOD, today(clock))
    before = await snapshot(sessions)

    report = await import_org_file(sessions, ORG / name, today(clock))

    assert report == ImportReport(unchanged=9)
    assert await snapshot(sessions) == before


async def test_employee_missing_from_the_file_is_marked_left_not_deleted(
    sessions: Sessions, clock: FrozenClock
) -> None:
    await import_org_file(sessions, GOOD, date(2026, 1, 5))
    units_before, employees_before = await snapshot(sessions)

    report = await import_org_file(sessions, ORG / "good_without_e3.csv", today(clock))

    assert report == ImportReport(unchanged=8, left=1)
    assert report.summary() == (
        "Employees: 0 created, 0 updated, 0 reactivated, 8 unchanged, 1 marked as left;"
        " units: 0 created, 0 updated."
    )
    units_after, employees_after = await snapshot(sessions)
    assert units_after == units_before
    mette_before = next(row for row in employees_before if row["id"] == "e3")
    assert employees_after == [
        {**row, "status": EmploymentStatus.LEFT, "left_on": today(clock)} if row is mette_before
        else row
        for row in employees_before
    ]  # fmt: skip
    # Leaving again is no news: left_on keeps the day they actually left.
    clock.advance(days=7)
    again = await import_org_file(sessions, ORG / "good_without_e3.csv", today(clock))
    assert again == ImportReport(unchanged=8)
    assert (await employees_by_id(sessions))["e3"].left_on == date(2026, 11, 24)


async def test_employee_who_returns_is_reactivated(sessions: Sessions, clock: FrozenClock) -> None:
    await import_org_file(sessions, GOOD, today(clock))
    first = await snapshot(sessions)
    await import_org_file(sessions, ORG / "good_without_e3.csv", today(clock))

    report = await import_org_file(sessions, GOOD, today(clock))

    assert report == ImportReport(reactivated=1, unchanged=8)
    assert await snapshot(sessions) == first


async def test_changes_are_counted_exactly(sessions: Sessions, clock: FrozenClock) -> None:
    await import_org_file(sessions, GOOD, today(clock))
    text = edited(
        good_text(),
        ('"0,8"', '"0,9"'),  # e1: fte
        ("aad-ali,l1,", "aad-ali,l2,"),  # e2: a new nearest leader, created in the same file
        ("HR,,,,Ældreområdet", "HR,,,,Stab"),  # an existing unit moves under a new unit
    )
    text += "l2,Lise Lund,lise@example.dk,aad-lise,c1,Bofællesskabet,,,,Kommunen,,,,,,\n"

    report = await apply_text(sessions, text, today(clock))

    assert report == ImportReport(
        created=1, updated=2, unchanged=7, units_created=2, units_updated=1
    )
    people = await employees_by_id(sessions)
    assert (people["e1"].fte, people["e2"].leader_id) == (0.9, "l2")
    assert (people["l2"].role, people["l2"].unit_id) == (Role.LEADER, "Bofællesskabet")
    units, _ = await snapshot(sessions)
    parents = {unit["id"]: unit["parent_id"] for unit in units}
    assert (parents["HR"], parents["Stab"], parents["Bofællesskabet"]) == ("Stab", None, "Kommunen")


async def test_directory_ids_can_swap_between_employees(
    sessions: Sessions, clock: FrozenClock
) -> None:
    # PostgreSQL checks the unique index per statement, so a naive update order would fail.
    await import_org_file(sessions, GOOD, today(clock))
    text = edited(good_text(), ("aad-emma", "aad-tmp"), ("aad-ali", "aad-emma"))
    text = edited(text, ("aad-tmp", "aad-ali"))

    report = await apply_text(sessions, text, today(clock))

    assert report == ImportReport(updated=2, unchanged=7)
    people = await employees_by_id(sessions)
    assert (people["e1"].aad_object_id, people["e2"].aad_object_id) == ("aad-ali", "aad-emma")


async def test_directory_id_moves_from_a_former_employee_to_a_new_row(
    sessions: Sessions, clock: FrozenClock
) -> None:
    await import_org_file(sessions, GOOD, today(clock))
    rehired = edited(good_text(), ("e2,Ali Khan,", "e9,Ali Khan,"))

    report = await apply_text(sessions, rehired, today(clock))

    assert report == ImportReport(created=1, unchanged=8, left=1)
    people = await employees_by_id(sessions)
    assert (people["e2"].status, people["e2"].aad_object_id) == (EmploymentStatus.LEFT, None)
    assert (people["e9"].status, people["e9"].aad_object_id) == (
        EmploymentStatus.ACTIVE,
        "aad-ali",
    )


async def test_directory_id_is_taken_from_someone_who_left_earlier(
    sessions: Sessions, clock: FrozenClock
) -> None:
    await import_org_file(sessions, GOOD, today(clock))
    without_ali = "".join(
        line for line in good_text().splitlines(keepends=True) if not line.startswith("e2,")
    )
    await apply_text(sessions, without_ali, today(clock))
    rehired = edited(good_text(), ("e2,Ali Khan,", "e9,Ali Khan,"))

    report = await apply_text(sessions, rehired, today(clock))

    assert report == ImportReport(created=1, updated=1, unchanged=8)
    people = await employees_by_id(sessions)
    assert (people["e2"].status, people["e2"].aad_object_id) == (EmploymentStatus.LEFT, None)
    assert people["e9"].aad_object_id == "aad-ali"


BAD_FILES = [
    ("missing_column.csv", 1),
    ("unknown_column.csv", 1),
    ("unknown_leader.csv", 4),
    ("leader_cycle.csv", None),
    ("duplicate_id.csv", 7),
    ("bad_date.csv", 5),
    ("bad_workdays.csv", 3),
    ("unit_cycle.csv", None),
    ("many_problems.csv", 2),
]


@pytest.mark.parametrize(("name", "line"), BAD_FILES)
async def test_bad_file_leaves_the_database_as_it_was(
    sessions: Sessions, clock: FrozenClock, name: str, line: int | None
) -> None:
    await import_org_file(sessions, GOOD, today(clock))
    before = await snapshot(sessions)

    with pytest.raises(OrgImportError) as raised:
        await import_org_file(sessions, ORG / name, today(clock))

    assert raised.value.problems[0].line == line
    assert await snapshot(sessions) == before


async def test_failure_while_applying_rolls_everything_back(
    sessions: Sessions, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    await import_org_file(sessions, GOOD, today(clock))
    before = await snapshot(sessions)
    real_apply = org_import.apply_org
    applied: list[ImportReport] = []

    async def apply_then_fail(session: AsyncSession, plan: OrgPlan, on: date) -> ImportReport:
        applied.append(await real_apply(session, plan, on))
        raise RuntimeError("connection lost after the last write")

    monkeypatch.setattr(org_import, "apply_org", apply_then_fail)

    with pytest.raises(RuntimeError):
        await import_org_file(sessions, ORG / "good_without_e3.csv", today(clock))

    assert applied == [ImportReport(unchanged=8, left=1)]  # it did write before failing
    assert await snapshot(sessions) == before


async def test_unreadable_files_are_reported(
    sessions: Sessions, clock: FrozenClock, tmp_path: Path
) -> None:
    windows_1252 = tmp_path / "ansatte.csv"
    windows_1252.write_bytes(f"{HEADER}\ne1,Emma,e@example.dk,,,Solgården\n".encode("cp1252"))

    with pytest.raises(OrgImportError) as not_utf8:
        await import_org_file(sessions, windows_1252, today(clock))
    with pytest.raises(OrgImportError) as missing:
        await import_org_file(sessions, tmp_path / "missing.csv", today(clock))

    assert [str(problem) for problem in not_utf8.value.problems] == [
        "line 2: the file is not UTF-8 (byte 0xe5); in Excel save it as 'CSV UTF-8'"
    ]
    assert str(missing.value).startswith(f"cannot read {tmp_path / 'missing.csv'}:")
    assert await snapshot(sessions) == ([], [])


def test_unit_contact_is_read_and_checked():
    header = "employee_id,name,email,aad_object_id,leader_id,unit,unit_contact_id\n"
    plan = parse_org_csv(header + "a,A,a@x.dk,,,Køkken,b\nb,B,b@x.dk,,a,Køkken,\n")
    assert {u.id: u.contact_id for u in plan.units} == {"Køkken": "b"}
    with pytest.raises(OrgImportError) as error:
        parse_org_csv(
            header + "a,A,a@x.dk,,,Køkken,zz\nb,B,b@x.dk,,a,Køkken,a\nc,C,c@x.dk,,a,Køkken,b\n"
        )
    assert [str(p) for p in error.value.problems] == [
        "line 2: unknown unit_contact_id 'zz' for unit 'Køkken'",
        "line 4: unit 'Køkken' has unit_contact_id 'b' here but 'a' on line 3",
    ]


def test_unit_policy_must_be_a_known_policy():
    header = "employee_id,name,email,aad_object_id,leader_id,unit,unit_policy\n"
    plan = parse_org_csv(header + "a,A,a@x.dk,,,Køkken,lemvig\n", policies={"lemvig", "default"})
    assert [u.policy_id for u in plan.units] == ["lemvig"]
    with pytest.raises(OrgImportError) as error:
        parse_org_csv(header + "a,A,a@x.dk,,,Køkken,atlantis\n", policies={"lemvig"})
    assert [str(p) for p in error.value.problems] == [
        "line 2: unknown unit_policy 'atlantis' for unit 'Køkken'"
    ]


def test_unit_check_in_time_and_mode():
    header = (
        "employee_id,name,email,aad_object_id,leader_id,unit,unit_checkin_time,unit_checkin_mode\n"
    )
    plan = parse_org_csv(
        header
        + "a,A,a@x.dk,,,Køkken,13:45,anonym\nb,B,b@x.dk,,a,Køkken,,\nc,C,c@x.dk,,a,Kontor,,\n"
    )
    got = {u.id: (str(u.checkin_time), u.checkin_anonymous) for u in plan.units}
    assert got == {"Køkken": ("13:45:00", True), "Kontor": ("None", False)}
    with pytest.raises(OrgImportError) as error:
        parse_org_csv(header + "a,A,a@x.dk,,,Køkken,25:00,hemmelig\n")
    assert [str(p) for p in error.value.problems] == [
        "line 2: unknown unit_checkin_time '25:00' for unit 'Køkken'",
        "line 2: unknown unit_checkin_mode 'hemmelig' for unit 'Køkken'",
    ]


def test_unit_target_percent():
    header = "employee_id,name,email,aad_object_id,leader_id,unit,unit_target\n"
    plan = parse_org_csv(header + 'a,A,a@x.dk,,,Køkken,"4,5 %"\nb,B,b@x.dk,,a,Kontor,4\n')
    assert {u.id: u.target_percent for u in plan.units} == {"Køkken": 4.5, "Kontor": 4.0}
    with pytest.raises(OrgImportError) as error:
        parse_org_csv(header + "a,A,a@x.dk,,,Køkken,meget\n")
    assert [str(p) for p in error.value.problems] == [
        "line 2: unknown unit_target 'meget' for unit 'Køkken'"
    ]
