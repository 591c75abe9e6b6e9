"""The tab's charts in real Chromium: Chart.js draws what the server sent, and the test reads
the drawn chart back (labels, the y axis' tick labels, the datasets) as a reader would see
them, in Danish and English. Screenshots: out/screenshots/chart-<page>-<lang>[-phone|-dark].png."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from bot.app import FEATURES
from storage.models import Employee
from tests.builders import Org
from tests.e2e.helpers import answered, seed_absences
from tests.e2e.tab_keys import LocalEntra
from tests.e2e.test_tab_browser import CHROMIUM, SHOTS, browser, fake_teams, site  # noqa: F401

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium missing")

READ_CHARTS = """() => [...document.querySelectorAll("canvas[data-chart]")].map((canvas) => {
  const chart = Chart.getChart(canvas);
  return {
    labels: chart.data.labels,
    ticks: chart.scales.y.ticks.map((t) => t.label),
    xTicks: chart.scales.x.ticks.map((t) => t.label),
    datasets: chart.data.datasets.map((d) => ({label: d.label, data: d.data})),
    aria: canvas.getAttribute("aria-label"),
  };
})"""
DRAWN = """() => {
  const canvases = document.querySelectorAll("canvas[data-chart]");
  return canvases.length > 0 && window.Chart && [...canvases].every((c) => Chart.getChart(c));
}"""


async def open_page(browser, bot, entra, oid: str, path: str, width: int, theme="default"):  # noqa: F811
    context = await browser.new_context(viewport={"width": width, "height": 900})
    page = await context.new_page()
    body = fake_teams(entra.token(oid), theme)
    await page.route(
        "**/tab/static/teams.js",
        lambda route: route.fulfill(status=200, content_type="text/javascript", body=body),
    )
    await page.goto(f"{bot.url}{path}")
    await page.wait_for_selector("#content[data-status]")
    return context, page


async def charts_on(browser, bot, entra: LocalEntra, oid: str, page_name: str, shot: str):  # noqa: F811
    """The page's charts as drawn, after a screenshot at desktop and at phone width (360)."""
    drawn = []
    for suffix, width, theme in (
        ("", 1280, "default"),
        ("-phone", 360, "default"),
        ("-dark", 1280, "dark"),
    ):
        path = f"/tab/{page_name}"
        context, page = await open_page(browser, bot, entra, oid, path, width, theme)
        await page.wait_for_function(DRAWN)
        assert await page.locator("html").get_attribute("data-theme") == theme
        # Nothing wider than the phone: the page never scrolls sideways.
        assert await page.evaluate("document.documentElement.scrollWidth") <= width
        for summary in await page.locator("figure summary").all():
            await summary.click()  # the table views, in the picture too
        SHOTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SHOTS / f"chart-{shot}{suffix}.png"), full_page=True)
        drawn.append(await page.evaluate(READ_CHARTS))
        await context.close()
    return drawn[0]


async def organisation_figures(bot, clock) -> None:
    await seed_absences(bot)
    await Org(bot.sessions).unit("Ældreområdet", target_percent=5.0)
    async with bot.sessions.begin() as session:
        for n in range(4):
            session.add(Employee(id=f"s{n}", name=f"Sara {n}", unit_id="Solgården", leader_id="l1"))
    async with bot.sessions.begin() as session:
        await bot.app[FEATURES](session, clock.now()).figures.refresh()


async def test_organisation_trend_in_danish(browser, site, clock):  # noqa: F811
    bot, entra = site
    await organisation_figures(bot, clock)
    charts = await charts_on(browser, bot, entra, "aad-hr", "organisation", "organisation-da")
    # HR's page starts at the top unit (Solgården itself is too small to show).
    (top,) = charts
    labels = top["labels"]
    assert len(labels) == 24 and labels[0] == "dec 2024" and labels[-2] == "okt 2026"
    assert labels[-1] == "nov 2026 (foreløbig)"
    assert top["ticks"] and all(re.fullmatch(r"\d+(,\d)? %", t) for t in top["ticks"])
    assert top["xTicks"] and all(re.fullmatch(r"[a-zæø]{3} \d{4}", t) for t in top["xTicks"])
    absence, so_far, target = top["datasets"]
    assert absence["label"] == "Sygefravær" and target["label"] == "Måltal 5,0 %"
    assert so_far["label"] == "Foreløbig: måneden er ikke slut"
    assert so_far["data"][:-1] == [None] * 23 and so_far["data"][-1] == absence["data"][-1]
    assert set(target["data"]) == {5}
    # Dorte was sick from 5 October to 13 November: October is a real month.
    assert absence["data"][-2] > 0
    assert top["aria"].startswith("Sygefravær i Ældreområdet pr. måned: ")
    assert "i okt 2026, måltal 5,0 %" in top["aria"]


async def test_organisation_trend_in_english(browser, site, clock):  # noqa: F811
    bot, entra = site
    await organisation_figures(bot, clock)
    await Org(bot.sessions).reads_english("h1")
    charts = await charts_on(browser, bot, entra, "aad-hr", "organisation", "organisation-en")
    (top,) = charts
    assert top["labels"][-1] == "Nov 2026 (so far)"
    assert all(re.fullmatch(r"\d+(\.\d)?%", t) for t in top["ticks"])
    assert [d["label"] for d in top["datasets"]] == [
        "Sickness absence",
        "So far: the month is not over",
        "Target 5.0%",
    ]


async def answers_for_weeks(bot, clock) -> None:
    """Four people answer every working day of the last three weeks: mostly green."""
    today = clock.now().date()
    colours = {"e1": "green", "d1": "yellow", "e2": "green", "e3": "red"}
    for back in range(1, 21):
        day = today - timedelta(days=back)
        if day.weekday() < 5:
            for person, colour in colours.items():
                await answered(bot, person, day, colour if back % 5 else "green")


async def test_trivsel_per_week_in_danish(browser, site, clock):  # noqa: F811
    bot, entra = site
    await answers_for_weeks(bot, clock)
    (chart,) = await charts_on(browser, bot, entra, "aad-lars", "trivsel", "trivsel-da")
    assert chart["labels"][-1] == ["uge 48", "23/11 (foreløbig)"]  # today is a Tuesday
    assert ["uge 45", "2/11"] in chart["labels"]
    assert [d["label"] for d in chart["datasets"]] == ["Grøn", "Gul", "Rød"]
    assert all(re.fullmatch(r"\d+", t) for t in chart["ticks"])  # answers, whole numbers
    week_46 = chart["labels"].index(["uge 46", "9/11"])
    assert sum(d["data"][week_46] for d in chart["datasets"]) == 20  # 4 people × 5 days
    assert "svar i alt" in chart["aria"]


async def test_a_chart_takes_the_new_colours_when_teams_changes_theme(browser, site, clock):  # noqa: F811
    bot, entra = site
    await answers_for_weeks(bot, clock)
    context, page = await open_page(browser, bot, entra, "aad-lars", "/tab/trivsel", 1280)
    await page.wait_for_function(DRAWN)
    legend = (
        "() => Chart.getChart(document.querySelector('canvas')).options.plugins.legend.labels.color"
    )
    light = await page.evaluate(legend)
    await page.evaluate("window.teamsThemeChanged('dark')")
    await page.wait_for_function(f"() => ({legend})() !== {light!r}")
    assert await page.evaluate(legend) == "rgb(255, 255, 255)"  # the dark theme's text
    await context.close()


async def test_trivsel_per_week_in_english(browser, site, clock):  # noqa: F811
    bot, entra = site
    await answers_for_weeks(bot, clock)
    await Org(bot.sessions).reads_english("l1")
    (chart,) = await charts_on(browser, bot, entra, "aad-lars", "trivsel", "trivsel-en")
    assert chart["labels"][-1] == ["Week 48", "23 Nov (so far)"]
    assert [d["label"] for d in chart["datasets"]] == ["Green", "Yellow", "Red"]
    assert date(2026, 11, 24) == clock.now().date()  # the week labels above depend on it


async def test_the_fravaerskort_calendar_as_a_leader_sees_it(browser, site):  # noqa: F811
    bot, entra = site
    await seed_absences(bot)
    for suffix, width, theme in (
        ("", 1280, "default"),
        ("-phone", 360, "default"),
        ("-dark", 1280, "dark"),
    ):
        path = "/tab/person?id=e1"
        context, page = await open_page(browser, bot, entra, "aad-lars", path, width, theme)
        svg = await page.locator("svg.calendar").evaluate("(e) => e.outerHTML")
        assert await page.evaluate("document.documentElement.scrollWidth") <= width
        await page.locator("article.card summary").click()
        await page.screenshot(path=str(SHOTS / f"chart-card-da{suffix}.png"), full_page=True)
        text = await page.locator("#content").inner_text()
        await context.close()
    root = ET.fromstring(svg)
    assert root.get("aria-label", "").startswith(
        "Fraværskort for Emma Sørensen, 1/12 2025–30/11 2026"
    )
    for element in root.iter():
        for name in ("x", "y", "width", "height"):
            assert re.fullmatch(r"\d+", element.get(name, "0")), (element.tag, name)
    svg_ns = "{http://www.w3.org/2000/svg}"
    months = [e.text for e in root.iter(f"{svg_ns}text") if e.text and not e.text.isdigit()]
    assert months[:2] == ["dec 2025", "jan 2026"] and months[-1] == "nov"
    titles = [e.text for e in root.iter(f"{svg_ns}title")]
    assert "mandag 2/3 2026: Syg" in titles and "fredag 18/9 2026: Delvis syg" in titles
    assert "2/3–4/3 2026\tSyg\t3" in text and "7/9–18/9 2026\tDelvis syg\t12" in text
    assert "Weekend" in text and "Intet fravær" in text  # the legend names what is drawn
