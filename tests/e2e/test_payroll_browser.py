"""The payroll office's worklist in real Chromium, signed in through the Teams stand-in: HR sees
the rows to key in, marks one done with its Teams token, and it moves to "Tastet ind"."""

from __future__ import annotations

from datetime import date

from bot.app import FEATURES, payroll_config
from bot.settings import Settings
from services.payroll import payroll_job
from storage.models import AbsenceKind
from tests.e2e.helpers import closed_period
from tests.e2e.test_tab_browser import browser, open_as, shot, site  # noqa: F401 (fixtures)


async def test_hr_keys_rows_in_from_the_payroll_worklist(browser, site, clock, tmp_path):  # noqa: F811
    bot, entra = site
    async with bot.sessions.begin() as session:
        session.add(closed_period("e1", date(2026, 11, 2), date(2026, 11, 6), "p1"))
        session.add(
            closed_period(
                "e2", date(2026, 11, 9), date(2026, 11, 20), "p2", AbsenceKind.PARTLY_SICK
            )
        )
    # The day's hand-off lists them (the job's work, run now).
    config = payroll_config(Settings(_env_file=None, payroll_dir=tmp_path))  # type: ignore[call-arg]
    async with bot.sessions.begin() as session:
        await payroll_job(config)(bot.app[FEATURES](session, clock.now()))
    page = await open_as(browser, bot, entra, "aad-hr", "/tab/payroll")
    content = page.locator("#content")
    assert await content.get_attribute("data-status") == "200"
    text = await content.inner_text()
    assert "2 rækker venter" in text and "Emma Sørensen (e1)" in text and "DS" in text
    assert await page.locator('nav a[aria-current="page"]').inner_text() == "Løn"
    await shot(page, "payroll-worklist")
    await page.get_by_role("button", name="Markér som tastet ind").first.click()
    await page.wait_for_function(
        "document.querySelector('#content').innerText.includes('1 række venter')"
    )
    done = await content.inner_text()
    assert done.split("Tastet ind\n")[-1].count("(e1)") == 1
    await shot(page, "payroll-worklist-after")
    refused = await open_as(browser, bot, entra, "aad-lars", "/tab/payroll")
    assert await refused.locator("#content").get_attribute("data-status") == "403"
