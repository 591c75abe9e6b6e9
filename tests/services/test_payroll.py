"""Payroll on both databases: code tables as data, history import (all or nothing, once, merged
into naervaer's own periods), follow-ups on imported history without stale reminders, the
hand-off's rows and reconciliation's differences."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app import service_config
from bot.settings import Settings
from rules.payroll import PAYROLL_DIR, PayrollError, load_code_table, load_code_tables
from services.followups import FollowUps
from services.payroll import Payroll
from services.payroll_csv import FileError
from services.work import Work
from storage.models import (
    Absence,
    AbsenceKind,
    AbsenceStatus,
    Employee,
    FollowUpRecord,
    FollowUpStatus,
    OutboxMessage,
    PayrollImport,
)
from storage.org_import import import_org_file
from storage.store import Store
from tests.builders import Org
from tests.conftest import COPENHAGEN, SMALL_ORG

HEADER = "employee;first_day;last_day;code;hours;percent\n"


class PlainRenderer:
    def activity(self, reply: Any, lang: str) -> dict[str, Any]:
        return {"type": "message", "text": lang}

    def text(self, lang: str, key: str, **params: object) -> str:
        return f"{lang}:{key}"


@pytest.fixture
async def org(sessions, clock):
    await import_org_file(sessions, SMALL_ORG, clock.now().date())
    return sessions


def _work(session, clock, database_url: str = "sqlite://") -> Work:
    config = service_config(Settings(_env_file=None, database_url=database_url))  # type: ignore[call-arg]
    return Work(Store(session), clock.now(), config, PlainRenderer())


async def _payroll(sessions, clock, codes: str = "kmd", run=None, **kw: Any) -> Any:
    async with sessions.begin() as session:
        payroll = Payroll(_work(session, clock), load_code_tables()[codes])
        return await run(payroll)


async def _import(sessions, clock, text: str, codes: str = "kmd", dry_run: bool = False):
    return await _payroll(
        sessions, clock, codes, run=lambda p: p.import_history(text, dry_run=dry_run)
    )


async def _count(sessions, model: Any, *where: Any) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)))


# --- code tables --------------------------------------------------------------------------


def test_the_shipped_code_tables_load_with_the_sourced_codes():
    tables = load_code_tables()
    assert set(tables["kmd"].codes) >= {"SY", "DS", "HJ", "TT", "OS", "FE"}
    assert set(tables["sd"].codes) == {"790", "525", "522"}
    # Hjørring's SD lønarter only: everything else is the municipality's to fill in.
    assert "child_sick" in tables["sd"].to_fill
    assert tables["kmd"].skips("FE") and tables["kmd"].meaning("FE") is None


def test_a_broken_code_table_names_the_file_and_the_field(tmp_path: Path):
    bad = tmp_path / "egen.yaml"
    bad.write_text(
        "id: egen\nname: Egen\nsource: x\ncodes:\n  SY: {kind: sik}\nto_fill: []\n",
        encoding="utf-8",
    )
    with pytest.raises(PayrollError) as error:
        load_code_table(bad)
    assert "egen.yaml: codes.SY.kind" in str(error.value)


def test_a_code_table_must_code_or_list_every_situation(tmp_path: Path):
    text = (PAYROLL_DIR / "sd.yaml").read_text(encoding="utf-8").replace("  - child_sick\n", "")
    (tmp_path / "sd.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(PayrollError, match=r"sd\.yaml: .*child_sick"):
        load_code_tables(tmp_path)


# --- history import -----------------------------------------------------------------------


def _history(people: int, today: date) -> tuple[str, int, int]:
    """Two years of payroll lines for `people` people: (text, absence lines, ferie lines)."""
    lines, ferie = [], 0
    codes = ("SY", "DS", "HJ", "TT", "OS", "FE", "SY", "SY")
    start = today - timedelta(days=730)
    for n in range(people):
        day = start + timedelta(days=n % 40)
        k = n
        while day < today - timedelta(days=20):
            code = codes[k % len(codes)]
            length = {"SY": 3 + k % 5, "DS": 14, "TT": 6}.get(code, 1)
            last = day + timedelta(days=length - 1)
            percent = "50" if code == "DS" else ""
            lines.append(f"p{n:04d};{day};{last};{code};;{percent}")
            ferie += code == "FE"
            day += timedelta(days=length + 45 + (k * 7) % 60)
            k += 1
    return HEADER + "\n".join(lines) + "\n", len(lines) - ferie, ferie


async def _people(sessions, count: int) -> None:
    async with sessions.begin() as session:
        session.add_all(
            Employee(id=f"p{n:04d}", name=f"P {n}", email=f"p{n}@example.dk", unit_id="Solgården")
            for n in range(count)
        )


async def test_two_years_of_500_people_imported_once(org, clock):
    await _people(org, 500)
    text, absence_lines, ferie = _history(500, clock.now().date())
    counts = await _import(org, clock, text)
    assert counts.added == absence_lines and counts.skipped == ferie
    assert await _count(org, Absence, Absence.channel == "payroll") == absence_lines
    again = await _import(org, clock, text)
    assert (again.added, again.changed, again.merged) == (0, 0, 0)
    assert again.unchanged == absence_lines
    assert await _count(org, Absence, Absence.channel == "payroll") == absence_lines
    assert await _count(org, PayrollImport) == absence_lines


async def test_a_bad_file_changes_nothing_and_names_every_line(org, clock):
    text = (
        HEADER
        + "e1;2026-03-02;2026-03-04;SY;;\nnobody;2026-03-02;;SY;;\ne2;2026-03-09;2026-03-01;SY;;\ne3;2026-03-02;;XX;;\n"
    )
    with pytest.raises(FileError) as error:
        await _import(org, clock, text)
    # An unknown person, a last day before the first, an unknown code: all of them, by line.
    assert [p.split(":")[0] for p in error.value.problems] == ["line 3", "line 4", "line 5"]
    assert "XX" in error.value.problems[2]
    assert await _count(org, Absence) == 0


async def test_a_dry_run_counts_and_changes_nothing_within_its_transaction(org, clock):
    counts = await _import(org, clock, HEADER + "e1;2026-03-02;2026-03-04;SY;;\n", dry_run=True)
    assert counts.added == 1


async def test_payroll_lines_that_meet_naervaers_own_period_merge_into_it(org, clock):
    async with org.begin() as session:
        session.add(_absence("e1", date(2026, 3, 4), None, source="chat-1"))
    text = HEADER + "emma@example.dk;02-03-2026;05-03-2026;SY;;\ne1;2026-01-05;2026-01-06;SY;;\n"
    counts = await _import(org, clock, text)
    assert (counts.merged, counts.added) == (1, 1)
    async with org() as session:
        own = await session.scalar(select(Absence).where(Absence.source_key == "chat-1"))
    assert own is not None and (own.first_day, own.last_day) == (date(2026, 3, 2), None)
    assert (await _import(org, clock, text)).unchanged == 2


async def test_a_payroll_line_of_another_kind_on_naervaers_days_is_a_problem(org, clock):
    async with org.begin() as session:
        session.add(_absence("e1", date(2026, 3, 4), date(2026, 3, 6), source="chat-1"))
    with pytest.raises(FileError, match="line 2: meets naervaer's sick period"):
        await _import(org, clock, HEADER + "e1;2026-03-03;2026-03-05;DS;;50\n")


def _absence(who: str, first: date, last: date | None, source: str, **kw: Any) -> Absence:
    return Absence(
        employee_id=who,
        kind=kw.pop("kind", AbsenceKind.SICK),
        status=AbsenceStatus.CLOSED if last else AbsenceStatus.OPEN,
        first_day=first,
        last_day=last,
        reported_by=who,
        channel="chat",
        source_key=source,
        created_at=datetime(2026, 1, 1, tzinfo=COPENHAGEN),
        **kw,
    )


async def test_lemvigs_ten_days_this_year_fires_on_imported_history_without_stale_reminders(
    org, clock
):
    """Lemvig (seed 002 box 3.5): 10 sick days in the year call for a conversation in Q3 and Q4.
    Twelve imported sick days in March: Q3's is over (settled, never sent), Q4's is still due
    by its deadline and is reminded once."""
    await Org(org).follows_policy("Solgården", "lemvig")
    text = HEADER + "e1;2026-03-02;2026-03-17;SY;;\n"
    counts = await _import(org, clock, text)
    assert counts.followups >= 2 and counts.settled >= 1
    async with org() as session:
        records = {
            r.occurrence: r
            for r in await session.scalars(
                select(FollowUpRecord).where(FollowUpRecord.rule_id == "ti-dage-i-aaret")
            )
        }
    assert records["2026-Q3"].status == FollowUpStatus.DISMISSED
    assert records["2026-Q4"].status == FollowUpStatus.OPEN
    async with org.begin() as session:
        await FollowUps(_work(session, clock)).dispatch()
    async with org() as session:
        reminded = list(
            await session.scalars(
                select(FollowUpRecord).where(FollowUpRecord.reminded_at.is_not(None))
            )
        )
        sent = await session.scalar(select(func.count()).select_from(OutboxMessage))
    today = clock.now().astimezone(COPENHAGEN).date()
    assert reminded and all(r.deadline_on >= today for r in reminded)
    assert "2026-Q4" in {r.occurrence for r in reminded}
    assert sent and "2026-Q3" not in {r.occurrence for r in reminded}


# --- reconciliation ------------------------------------------------------------------------


async def test_reconciliation_finds_a_planted_difference_of_each_kind(org, clock):
    history = HEADER + "\n".join(
        [
            "e1;2026-02-02;2026-02-04;SY;;",
            "e2;2026-02-09;2026-02-10;SY;;",
            "e3;2026-02-16;2026-02-16;HJ;;",
            "d1;2026-02-20;2026-02-20;SY;;",
        ]
    )
    await _import(org, clock, history + "\n")
    payroll_now = HEADER + "\n".join(
        [
            "e1;2026-02-02;2026-02-04;SY;;",  # the same: no difference
            "e2;2026-02-09;2026-02-11;SY;;",  # other dates
            "e3;2026-02-16;2026-02-16;SY;;",  # other code
            "e1;2026-02-23;2026-02-24;SY;;",  # missing in naervaer
            # d1's period is missing in payroll
        ]
    )
    found = await _payroll(
        org,
        clock,
        run=lambda p: p.reconcile(payroll_now + "\n", date(2026, 2, 1), date(2026, 2, 28)),
    )
    kinds = sorted((d.difference, d.employee) for d in found)
    assert kinds == [
        ("missing_in_naervaer", "e1"),
        ("missing_in_payroll", "d1"),
        ("other_code", "e3"),
        ("other_dates", "e2"),
    ]


# --- hand-off ------------------------------------------------------------------------------


async def _record(sessions, clock, codes: str = "kmd") -> list[dict[str, Any]]:
    return await _payroll(sessions, clock, codes, run=lambda p: p.handoff.record(date(2026, 1, 1)))


async def test_a_work_injury_goes_out_as_tt_and_a_section_56_period_keeps_its_lonart(org, clock):
    async with org.begin() as session:
        session.add(_absence("e1", date(2026, 11, 2), date(2026, 11, 4), "w", work_injury=True))
    [row] = await _record(org, clock)
    assert (row["code"], row["work_injury"], row["change"]) == ("TT", True, "new")
    # Hjørring (SD): an open §56 period from payroll, ended in naervaer, goes back as 525.
    await _import(org, clock, HEADER + "e2;2026-11-16;;525;;\n", codes="sd")
    # (e1's period is recoded under the other table: only e2's rows matter here.)
    assert [r for r in await _record(org, clock, "sd") if r["employee"] == "e2"] == []
    async with org.begin() as session:
        period = await session.scalar(select(Absence).where(Absence.employee_id == "e2"))
        period.last_day, period.status = date(2026, 11, 20), AbsenceStatus.CLOSED
    [row] = [r for r in await _record(org, clock, "sd") if r["employee"] == "e2"]
    assert (row["code"], row["section_56"], row["change"], row["last_day"]) == (
        "525",
        True,
        "changed",
        date(2026, 11, 20),
    )


async def test_a_kind_without_a_sourced_code_goes_out_without_one(org, clock):
    """SD's table leaves child's sick day to the municipality: the row still goes out, for the
    payroll office to key in by hand, never with a guessed code."""
    async with org.begin() as session:
        session.add(
            _absence("e1", date(2026, 11, 2), date(2026, 11, 2), "c", kind=AbsenceKind.CHILD_SICK)
        )
    [row] = await _record(org, clock, "sd")
    assert row["code"] == "" and row["kind"] == "child_sick"


async def test_retention_forgets_old_files_and_replaced_rows(org, clock, tmp_path):
    import os

    from services.payroll_handoff import FileHandOff

    files = FileHandOff(tmp_path)
    old = Path(files.deliver([], clock.now() - timedelta(days=100), "kmd"))
    new = Path(files.deliver([], clock.now(), "kmd"))
    stamp = (clock.now() - timedelta(days=100)).timestamp()
    os.utime(old, (stamp, stamp))
    assert oct(new.stat().st_mode & 0o777) == "0o600"
    gone = await _payroll(org, clock, run=lambda p: p.handoff.forget(90, files))
    assert gone == 1 and not old.exists() and new.exists()


# --- the files ------------------------------------------------------------------------------


def test_payroll_exports_are_read_as_danish_payroll_writes_them():
    from services.payroll_csv import read_lines

    [line] = read_lines('Medarbejder,Fra,Til,Lønart,Timer\nE1,02.03.2026,,522,"7,5"\n')
    assert (line.employee, line.first_day, line.last_day, line.code, line.hours) == (
        "E1",
        date(2026, 3, 2),
        None,
        "522",
        7.5,
    )


def test_hand_off_cells_never_run_as_formulas():
    from services.payroll_csv import handoff_csv

    row = {
        "row_id": "A1-1", "change": "new", "employee": "=HYPERLINK(\"x\")", "code": "SY",
        "kind": "sick", "first_day": date(2026, 3, 2), "last_day": None, "hours": None,
        "percent": None, "work_injury": False, "section_56": False,
    }  # fmt: skip
    text = handoff_csv([row])
    assert text.startswith("\ufeffrow_id;change;employee;")
    assert ";\"'=HYPERLINK" in text and ";2026-03-02;;" in text
