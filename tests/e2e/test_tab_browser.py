"""The insight tab in real Chromium (Debian's /usr/bin/chromium, driven by Playwright).

Teams itself is the one part played by the test: the Teams JavaScript client is replaced by a
stand-in whose getAuthToken() returns a token signed by the local Entra key, as Teams SSO would.
Screenshots go to out/screenshots/ (test artifacts, not committed).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

from bot.app import FEATURES
from storage.models import Employee
from tests.builders import Org
from tests.conftest import running_bot
from tests.e2e.helpers import answered, seed_absences
from tests.e2e.tab_keys import LocalEntra

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Chromium missing: `make test` installs it (apt-get install chromium)",
)


def fake_teams(token: str) -> str:
    return (
        "window.microsoftTeams = {app: {initialize: async () => {}}, "
        f"authentication: {{getAuthToken: async () => {json.dumps(token)}}}}};"
    )


@pytest.fixture
async def browser() -> AsyncIterator[object]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox"]
        )
        yield chromium
        await chromium.close()


@pytest.fixture
async def site(database_url, clock, stub) -> AsyncIterator[tuple[object, LocalEntra]]:
    async with LocalEntra() as entra, running_bot(database_url, clock, **entra.settings()) as bot:
        yield bot, entra


async def open_as(browser, bot, entra: LocalEntra, oid: str, path: str, *, mobile: bool = False):
    context = await browser.new_context(
        accept_downloads=True,
        viewport={"width": 390, "height": 844} if mobile else {"width": 1280, "height": 900},
        locale="da-DK",
    )
    page = await context.new_page()
    token = entra.token(oid)
    await page.route(
        "**/tab/static/teams.js",
        lambda route: route.fulfill(
            status=200, content_type="text/javascript", body=fake_teams(token)
        ),
    )
    await page.goto(f"{bot.url}{path}")
    await page.wait_for_selector("#content[data-status]")
    return page


async def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


async def test_leader_sees_team_fravaerskort_and_may_not_see_another_unit(browser, site):
    bot, entra = site
    await seed_absences(bot)
    page = await open_as(browser, bot, entra, "aad-lars", "/tab/team")
    content = page.locator("#content")
    assert await content.get_attribute("data-status") == "200"
    text = await content.inner_text()
    assert "Emma Sørensen" in text and "2 perioder · 15 kalenderdage" in text
    assert await page.locator("svg[role=img]").count() == 4  # one fraværskort per employee
    await shot(page, "team-leader")
    # Keyboard: the navigation is reachable and shows where you are.
    assert await page.locator('nav a[aria-current="page"]').inner_text() == "Mit team"
    refused = await open_as(browser, bot, entra, "aad-lars", "/tab/person?id=h1")
    assert await refused.locator("#content").get_attribute("data-status") == "403"
    assert "Den side må du ikke se." in await refused.locator("#content").inner_text()
    await shot(refused, "person-refused")


async def test_employee_sees_only_herself_and_downloads_her_data(browser, site):
    bot, entra = site
    await seed_absences(bot)
    page = await open_as(browser, bot, entra, "aad-emma", "/tab/mig", mobile=True)
    assert "Mig: Emma Sørensen" in await page.locator("#content").inner_text()
    await shot(page, "me-employee-mobile")
    async with page.expect_download() as download_info:
        await page.get_by_text("Hent mine data (JSON)").click()
    download = await download_info.value
    data = json.loads(Path(await download.path()).read_text())
    assert data["employee"]["id"] == "e1" and len(data["absences"]) == 2
    for path in ("/tab/team", "/tab/organisation", "/tab/audit"):
        other = await open_as(browser, bot, entra, "aad-emma", path)
        assert await other.locator("#content").get_attribute("data-status") == "403", path


async def test_trivsel_hides_small_anonymous_groups(browser, site, clock):
    bot, entra = site
    await Org(bot.sessions).unit("Solgården", checkin_anonymous=True)
    for person in ("e1", "d1", "e2"):
        await answered(bot, person, date(2026, 11, 24), "green")
    page = await open_as(browser, bot, entra, "aad-lars", "/tab/trivsel")
    text = await page.locator("#content").inner_text()
    assert "Trivsel, seneste 90 arbejdsdage" in text
    assert "Emma" not in text and "Pr. medarbejder" not in text
    await page.locator("summary").click()  # the table behind the chart, by keyboard too
    assert "skjult — færre end 5 svar" in await page.locator("#content").inner_text()
    await shot(page, "trivsel-anonymous")


async def test_hr_sees_organisation_figures_and_downloads_the_csv(browser, site, clock):
    bot, entra = site
    await seed_absences(bot)
    async with bot.sessions.begin() as session:
        for n in range(4):
            session.add(Employee(id=f"s{n}", name=f"Sara {n}", unit_id="Solgården", leader_id="l1"))
            session.add(Employee(id=f"r{n}", name=f"Rikke {n}", unit_id="HR", leader_id="h1"))
    async with bot.sessions.begin() as session:
        await bot.app[FEATURES](session, clock.now()).figures.refresh()
    page = await open_as(browser, bot, entra, "aad-hr", "/tab/organisation")
    text = await page.locator("#content").inner_text()
    assert "Solgården" in text and "skjult (for få ansatte)" in text
    await shot(page, "organisation-hr")
    async with page.expect_download() as download_info:
        await page.get_by_text("Hent CSV til MED/TRIO").click()
    rows = list(
        csv.reader(
            io.StringIO(Path(await (await download_info.value).path()).read_text()), delimiter=";"
        )
    )
    assert rows[0][0] == "Enhed" and any(r[0] == "Solgården" and r[1] == "9" for r in rows)
    audit = await open_as(browser, bot, entra, "aad-hr", "/tab/audit")
    assert await audit.locator("#content").get_attribute("data-status") == "200"


async def test_local_demo_login_in_the_browser(browser, database_url, clock, stub):
    async with running_bot(database_url, clock) as bot:
        context = await browser.new_context()
        page = await context.new_page()
        await page.goto(f"{bot.url}/tab/demo")
        assert "DEMO" in await page.locator("body").inner_text()
        await page.select_option("#who", "l1")
        await page.get_by_role("button").click()
        await page.wait_for_selector("#content[data-status]")
        assert "Mig: Lars Jensen" in await page.locator("#content").inner_text()
        assert await page.locator(".demo").count() == 1  # clearly marked on every page
        await shot(page, "demo-login")
