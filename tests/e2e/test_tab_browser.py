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
from tests.conftest import COPENHAGEN, running_bot
from tests.e2e.helpers import answered, seed_absences
from tests.e2e.tab_keys import LocalEntra

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Chromium missing: `make test` installs it (apt-get install chromium)",
)


def fake_teams(token: str, theme: str = "default", sub_page: str = "") -> str:
    """Teams' client as the tab sees it: the SSO token, the theme and a deep link's subPageId."""
    context = {"app": {"theme": theme}, "page": {"id": "indsigt", "subPageId": sub_page}}
    return (
        "window.microsoftTeams = {app: {initialize: async () => {}, "
        f"getContext: async () => ({json.dumps(context)}), "
        "registerOnThemeChangeHandler: (handler) => { window.teamsThemeChanged = handler; }}, "
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


async def open_as(
    browser,
    bot,
    entra: LocalEntra,
    oid: str,
    path: str,
    *,
    mobile: bool = False,
    theme: str = "default",
    sub_page: str = "",
):
    context = await browser.new_context(
        accept_downloads=True,
        viewport={"width": 360, "height": 780} if mobile else {"width": 1280, "height": 900},
        locale="da-DK",
    )
    page = await context.new_page()
    # What the charts script is promised: an event after each page is put in <main>.
    await page.add_init_script(
        "window.shown = []; document.addEventListener('naervaer:content', "
        "(event) => window.shown.push(event.detail.page));"
    )
    script = fake_teams(entra.token(oid), theme, sub_page)
    await page.route(
        "**/tab/static/teams.js",
        lambda route: route.fulfill(status=200, content_type="text/javascript", body=script),
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
    assert "Mette Berg" in text  # everyone in his unit, absent or not
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
    # The export's layout is tests/e2e/test_tab.py's business; here: it downloads, and is hers.
    text = Path(await download.path()).read_text()
    assert json.loads(text) and "Emma Sørensen" in text and "Dorte" not in text
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
        assert page.url.endswith("/tab/team")  # a leader lands on his team
        assert "Mit team" in await page.locator("h1").inner_text()
        assert await page.locator(".demo").count() == 1  # clearly marked on every page
        await shot(page, "demo-login")


async def nav_names(page) -> list[str]:
    return [name.strip() for name in await page.locator("nav a").all_inner_texts()]


async def speaks_english(bot, employee_id: str) -> None:
    async with bot.sessions.begin() as session:
        (await session.get(Employee, employee_id)).locale = "en-GB"


LANDINGS = {
    # role: (oid, Danish landing heading and nav, English landing heading and nav)
    "employee": ("aad-emma", "/tab/mig", ["Mig"], ["Me"]),
    "leader": (
        "aad-lars",
        "/tab/team",
        ["Mit team", "Trivsel", "Organisation", "Mig"],
        ["My team", "Wellbeing", "Organisation", "Me"],
    ),
    "hr": (
        "aad-hr",
        "/tab/team",
        ["Mit team", "Trivsel", "Organisation", "Mig", "Revisionslog", "Løn"],
        ["My team", "Wellbeing", "Organisation", "Me", "Audit log", "Payroll"],
    ),
}


@pytest.mark.parametrize("role", list(LANDINGS))
async def test_each_role_lands_on_its_first_page_and_sees_only_its_pages(browser, site, role):
    bot, entra = site
    await seed_absences(bot)
    oid, landing, danish, english = LANDINGS[role]
    for theme, light in (("default", "light"), ("dark", "dark"), ("contrast", "contrast")):
        page = await open_as(browser, bot, entra, oid, "/tab", theme=theme)
        assert page.url.endswith(landing) and await nav_names(page) == danish
        assert await page.locator("#content").get_attribute("data-status") == "200"
        current = page.locator('nav a[aria-current="page"]')
        assert await current.inner_text() == danish[0]
        assert "Den side må du ikke se" not in await page.locator("body").inner_text()
        assert await page.locator("html").get_attribute("data-theme") == theme
        assert await page.evaluate("window.shown") == [landing.rsplit("/", 1)[1]]
        await shot(page, f"tab-{role}-{light}")
        await page.context.close()
    for theme in ("default", "dark"):
        phone = await open_as(browser, bot, entra, oid, "/tab", mobile=True, theme=theme)
        # Nothing wider than a 360 px phone: no sideways scrolling of the whole page.
        assert await phone.evaluate("document.documentElement.scrollWidth") <= 360
        await shot(phone, f"tab-{role}-{'light' if theme == 'default' else theme}-phone")
        await phone.context.close()
    await speaks_english(bot, {"employee": "e1", "leader": "l1", "hr": "h1"}[role])
    page = await open_as(browser, bot, entra, oid, "/tab")
    assert page.url.endswith(landing) and await nav_names(page) == english
    assert await page.locator("html").get_attribute("lang") == "en"
    await shot(page, f"tab-{role}-light-en")


async def test_the_leader_moves_between_pages_without_reloading(browser, site):
    bot, entra = site
    page = await open_as(browser, bot, entra, "aad-lars", "/tab")
    await page.evaluate("window.notReloaded = true")
    await page.get_by_role("link", name="Trivsel").click()
    await page.wait_for_function("window.shown.length === 2")
    assert page.url.endswith("/tab/trivsel") and await page.evaluate("window.notReloaded")
    assert await page.locator('nav a[aria-current="page"]').inner_text() == "Trivsel"
    assert "Trivsel, seneste 90 arbejdsdage" in await page.locator("h1").inner_text()
    await page.go_back()
    await page.wait_for_function("window.shown.length === 3")
    assert page.url.endswith("/tab/team") and await page.evaluate("window.shown") == [
        "team",
        "trivsel",
        "team",
    ]


async def test_keyboard_skip_link_and_focus_only_when_keyboard_used(browser, site):
    bot, entra = site
    page = await open_as(browser, bot, entra, "aad-lars", "/tab")
    outline = "getComputedStyle(document.activeElement).outlineStyle"
    assert await page.evaluate(outline) == "none"  # no frame until the keyboard is used
    await page.keyboard.press("Tab")
    skip = await page.evaluate("document.activeElement.textContent")
    assert skip == "Gå til indhold"
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.textContent") == "Mit team"
    assert await page.evaluate(outline) == "solid"
    assert await page.evaluate("getComputedStyle(document.activeElement).outlineWidth") == "2px"
    await shot(page, "tab-leader-keyboard-focus")
    # A mouse click moves between pages without leaving a frame behind.
    await page.get_by_role("link", name="Mig").click()
    await page.wait_for_function("window.shown.length === 2")
    assert await page.evaluate(outline) == "none"
    landmarks = await page.evaluate(
        "['header', 'nav', 'main', 'h1'].map((s) => document.querySelectorAll(s).length)"
    )
    assert landmarks == [1, 1, 1, 1]


async def test_hr_reads_the_audit_log_in_danish_local_time(browser, site, clock):
    bot, entra = site
    await seed_absences(bot)
    viewer = await open_as(browser, bot, entra, "aad-lars", "/tab/person?id=e1")
    assert await viewer.locator("#content").get_attribute("data-status") == "200"
    page = await open_as(browser, bot, entra, "aad-hr", "/tab")
    await page.get_by_role("link", name="Revisionslog").click()
    await page.wait_for_function("window.shown.length === 2")
    at = clock.now().astimezone(COPENHAGEN)
    first = await page.locator("tbody tr").first.locator("td").all_inner_texts()
    assert first[:4] == [f"{at.day}/{at.month} kl. {at:%H.%M}", "Lars Jensen", "Emma Sørensen",
                         "fraværskort"]  # fmt: skip
    await shot(page, "tab-hr-audit")


async def test_a_cards_deep_link_opens_the_persons_page(browser, site):
    bot, entra = site
    await seed_absences(bot)
    page = await open_as(browser, bot, entra, "aad-lars", "/tab", sub_page="person:e1")
    assert page.url.endswith("/tab/person?id=e1")
    assert await page.locator("#content").get_attribute("data-status") == "200"
    assert await page.locator("h1").inner_text() == "Emma Sørensen"
    assert await page.locator('nav a[aria-current="page"]').count() == 0
    await shot(page, "tab-leader-deeplink")
    # Locally the card's link is the page itself.
    local = await open_as(browser, bot, entra, "aad-lars", "/tab/person?id=e1")
    assert await local.locator("h1").inner_text() == "Emma Sørensen"
