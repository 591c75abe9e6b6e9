"""The hand-off to payroll over HTTP on SQLite and PostgreSQL: a sick report, a partial return
and a withdrawal, each in the next day's hand-off file once with the right KMD code; the payroll
office's worklist in the tab (HR only), marking a row keyed in; the CLI's export."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import FEATURES, JOBS, payroll_config
from bot.settings import Settings
from services.payroll import payroll_job
from storage.models import AuditEntry
from tests.conftest import running_bot
from tests.e2e.helpers import report_sick
from tests.e2e.teams import Teams, action, card_text

RECEIPT_TITLES = ("Din sygemelding", "Your sick report")


@pytest.fixture
async def payroll_bot(database_url, clock, stub, tmp_path) -> AsyncIterator[tuple[object, Path]]:
    folder = tmp_path / "lon"
    async with running_bot(database_url, clock, payroll_dir=folder) as bot:
        yield bot, folder


async def hand_off(bot, clock, folder: Path) -> list[dict[str, str]]:
    """The daily job, run now (in virtual time); the rows of the file it wrote, if any."""
    before = set(folder.glob("*.csv")) if folder.exists() else set()
    config = payroll_config(Settings(_env_file=None, payroll_dir=folder))  # type: ignore[call-arg]
    async with bot.sessions.begin() as session:
        await payroll_job(config)(bot.app[FEATURES](session, clock.now()))
    [new] = set(folder.glob("*.csv")) - before
    text = new.read_text(encoding="utf-8").removeprefix("\ufeff")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def brief(rows: list[dict[str, str]]) -> list[tuple[str, ...]]:
    return sorted(
        (r["employee"], r["change"], r["code"], r["first_day"], r["last_day"], r["percent"])
        for r in rows
    )


async def test_report_partial_return_and_withdrawal_each_reach_payroll_once(
    payroll_bot, clock, stub
):
    bot, folder = payroll_bot
    teams = Teams(bot, stub)
    await teams.hello("lars", "dorte", "emma")
    assert "payroll-hand-off" in bot.app[JOBS].names()
    # Tuesday: Emma reports sick.
    await report_sick(teams, "emma")
    tuesday = await hand_off(bot, clock, folder)
    assert brief(tuesday) == [("e1", "new", "SY", "2026-11-24", "", "")]
    # Wednesday: back at 50 % until 11 December.
    clock.advance(days=1)
    for answer in ("rask", "i dag", "delvis", "50%", "11/12"):
        await teams.say("emma", answer)
    # ... and Dorte reports sick, then takes it back the same day (after the day's hand-off).
    await report_sick(teams, "dorte")
    wednesday = await hand_off(bot, clock, folder)
    assert brief(wednesday) == [
        ("d1", "new", "SY", "2026-11-25", "", ""),
        ("e1", "changed", "SY", "2026-11-24", "2026-11-24", ""),
        ("e1", "new", "DS", "2026-11-25", "2026-12-11", "50"),
    ]
    await teams.stub.wait_for(
        lambda _s: any(card_text(c).startswith(RECEIPT_TITLES) for c in teams.cards_to("dorte"))
    )
    receipt = [c for c in teams.cards_to("dorte") if card_text(c).startswith(RECEIPT_TITLES)][-1]
    await teams.click("dorte", action(receipt, "Træk tilbage"))
    clock.advance(days=1)
    thursday = await hand_off(bot, clock, folder)
    assert brief(thursday) == [("d1", "withdrawn", "SY", "2026-11-25", "", "")]
    # Nothing twice: every row id once across the files, and no notes or check-ins in them.
    ids = [r["row_id"] for r in tuesday + wednesday + thursday]
    assert len(ids) == len(set(ids)) == 5
    assert set(tuesday[0]) == {
        "row_id", "change", "employee", "code", "kind", "first_day", "last_day", "hours",
        "percent", "work_injury", "section_56",
    }  # fmt: skip
    clock.advance(days=1)
    await hand_off_nothing(bot, clock, folder)
    async with bot.sessions() as session:
        audited = await session.scalars(
            select(AuditEntry.subject_id).where(AuditEntry.what == "lønoverførsel")
        )
        assert set(audited) == {"e1", "d1"}


async def hand_off_nothing(bot, clock, folder: Path) -> None:
    before = set(folder.glob("*"))
    config = payroll_config(Settings(_env_file=None, payroll_dir=folder))  # type: ignore[call-arg]
    async with bot.sessions.begin() as session:
        await payroll_job(config)(bot.app[FEATURES](session, clock.now()))
    assert set(folder.glob("*")) == before


async def get(bot, path: str, who: str) -> tuple[int, str]:
    cookies = {"naervaer_demo": who}
    async with bot.http.get(f"{bot.url}{path}", cookies=cookies) as response:
        return response.status, await response.text()


async def test_the_payroll_office_keys_rows_in_from_the_worklist(payroll_bot, clock, stub):
    bot, folder = payroll_bot
    teams = Teams(bot, stub)
    await teams.hello("lars", "emma")
    await report_sick(teams, "emma")
    await hand_off(bot, clock, folder)
    status, html = await get(bot, "/tab/api/payroll", "l1")
    assert status == 403
    status, html = await get(bot, "/tab/api/payroll", "h1")
    assert status == 200 and "Til indtastning" in html and "<strong>SY</strong>" in html
    assert "1 række venter" in html
    status, nav = await get(bot, "/tab/api/nav?page=payroll", "h1")
    assert 'href="/tab/payroll"' in nav and ">Løn<" in nav
    async with bot.http.post(
        f"{bot.url}/tab/api/payroll/done",
        data={"row": "A1-1"},
        cookies={"naervaer_demo": "h1"},
        allow_redirects=False,
    ) as response:
        assert response.status == 303 and response.headers["Location"] == "/tab/payroll"
    status, html = await get(bot, "/tab/api/payroll", "h1")
    assert "0 rækker venter" in html
    done = html.split("Tastet ind</h2>")[1]
    assert "A1-1" in done and "Emma Sørensen (e1)" in done
    async with bot.http.post(
        f"{bot.url}/tab/api/payroll/done", data={"row": "A1-1"}, cookies={"naervaer_demo": "l1"}
    ) as response:
        assert response.status == 403
