"""Every CSV export over HTTP and the command line (issue 16, part 1): names, unit names, check-in
comments, a sick note and skulderklap texts that begin like a formula reach the file with a ' in
front, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

from bot.app import FEATURES
from rules.csv_cells import FORMULA_STARTS
from tests.bot.test_cli import naervaer
from tests.conftest import SMALL_ORG, running_bot
from tests.e2e.helpers import report_sick
from tests.e2e.teams import Teams

CALC = "=cmd|' /C calc'!A0"

# The small organisation with every leader's, person's and unit's name turned into a formula.
NAMES = {
    "c1": CALC,
    "l1": "+1 Lars",
    "d1": "-1 Dorte",
    "e1": "@SUM(1) Emma",
    "h1": '=HYPERLINK("http://evil.example","klik")',
}
UNITS = {"Ældreområdet": "@SUM(1)", "Solgården": "-1", "HR": "=HR"}


def planted_org(tmp_path: Path) -> Path:
    rows = list(csv.DictReader(io.StringIO(SMALL_ORG.read_text(encoding="utf-8"))))
    for row in rows:
        row["name"] = NAMES.get(row["employee_id"], row["name"])
        row["unit"] = UNITS[row["unit"]]
        row["unit_parent"] = UNITS.get(row["unit_parent"], "")
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "planted_org.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


async def get(bot, path: str, token: str) -> str:
    headers = {"Authorization": f"Bearer {token}"}
    async with bot.http.get(f"{bot.url}{path}", headers=headers) as response:
        assert response.status == 200, path
        return await response.text()


def cells(text: str) -> list[str]:
    rows = csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";")
    return [cell for row in rows for cell in row]


def assert_safe(text: str, *expected: str) -> None:
    found = cells(text)
    assert [c for c in found if c.startswith(FORMULA_STARTS)] == []
    for value in expected:  # what was planted is there, neutralised
        assert any(c.startswith("'" + value) for c in found), value


async def plant(teams: Teams) -> None:
    """Comments, a note and skulderklap texts that begin like formulas."""
    await teams.hello("emma", "lars", "dorte", "hanne")
    await teams.say("emma", "gul @SUM(1)")
    await teams.say("emma", "-1 kollega mere")  # what would make it green
    for text in (CALC, "+1", "\tx", "\r=1"):
        kudos = {"kind": "kudos", "recipient": "e1", "message": text}
        await teams.say("dorte", value=kudos)
    await teams.say("emma", value={"kind": "kudos", "recipient": "d1", "message": "+45 tak"})
    await report_sick(teams, "emma", note="=1+1 ring ikke")


async def test_no_csv_export_has_a_cell_a_spreadsheet_would_run(
    database_url, clock, stub, entra, tmp_path
):
    org = planted_org(tmp_path)
    async with running_bot(database_url, clock, org, **entra.settings()) as tab:
        await plant(Teams(tab, stub))
        await asyncio.sleep(0)
        async with tab.sessions.begin() as session:
            await tab.app[FEATURES](session, clock.now()).figures.refresh()
        emma = await get(tab, "/tab/api/me/data.csv", entra.token("aad-emma"))
        assert_safe(emma, CALC, "+1", "@SUM(1) Emma", "-1 kollega", "=1+1 ring", "+1 Lars")
        dorte = await get(tab, "/tab/api/me/data.csv", entra.token("aad-dorte"))
        assert_safe(dorte, CALC, "+45 tak", "-1 Dorte", "@SUM(1) Emma")
        lars = await get(tab, "/tab/api/me/data.csv", entra.token("aad-lars"))
        assert_safe(lars, "+1 Lars", "-1", CALC)
        units = await get(tab, "/tab/api/export/units.csv", entra.token("aad-hr"))
        assert_safe(units, "@SUM(1)", "-1", "=HR")
        env = {"NAERVAER_DATABASE_URL": database_url}
        for who in ("e1", "d1"):
            result = naervaer("employee", "export", who, "--format", "csv", env=env)
            assert result.returncode == 0, result.stderr
            assert_safe(result.stdout, "@SUM(1) Emma")
