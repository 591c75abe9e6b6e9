"""The conversation on record in real Chromium (issue 18): the employee reads the record of a
conversation held with her on Mig and comments on it, with the SSO token as in Teams; HR
downloads the § 7 a conversations from Organisation. Screenshots in out/screenshots/."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pytest

from storage.models import FollowUpRecord, FollowUpStatus
from tests.conftest import COPENHAGEN
from tests.e2e.test_tab_browser import CHROMIUM, browser, open_as, shot, site

__all__ = ["browser", "site"]  # the fixtures, shared with the tab's browser tests

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium missing")
AT = datetime(2026, 11, 20, 10, 0, tzinfo=COPENHAGEN)


async def held_talk(bot) -> int:
    """A § 7 a conversation with Emma, held and on record, with Lars' private note."""
    async with bot.sessions.begin() as session:
        record = FollowUpRecord(
            key="e1:norddjurs:sygefravaerssamtale-uge-4:2026-10-26",
            employee_id="e1",
            policy_id="norddjurs",
            rule_id="sygefravaerssamtale-uge-4",
            rule_kind="deadline",
            occurrence="2026-10-26",
            due_on=date(2026, 11, 16),
            deadline_on=date(2026, 11, 23),
            recipient="leader",
            guide="absence_conversation",
            why={
                "da": "Sygefraværssamtale senest 4 uger efter første sygefraværsdag (26.10.2026).",
                "en": "Absence conversation no later than 4 weeks after the first day.",
            },
            status=FollowUpStatus.HELD,
            held_on=date(2026, 11, 20),
            private_note="Lars' egen note",
            acted_by="l1",
            held_how="video",
            participants=["employee", "leader", "hr"],
            next_steps=["return_plan", "partial_return"],
            recorded_at=AT,
            created_at=AT,
        )
        session.add(record)
        await session.flush()
        return record.id


async def test_emma_reads_and_comments_on_her_conversation_and_hr_downloads_them(browser, site):
    bot, entra = site
    record_id = await held_talk(bot)
    page = await open_as(browser, bot, entra, "aad-emma", "/tab/mig")
    content = page.locator("#content")
    text = await content.inner_text()
    assert "Mine samtaler" in text and "Holdt fredag 20/11" in text
    assert "Video" in text and "Plan for tilbagevenden" in text and "HR" in text
    assert "Lars' egen note" not in text
    await page.get_by_label("Din kommentar").fill("Jeg starter på halv tid.")
    await page.get_by_role("button", name="Gem kommentar").click()
    await page.get_by_text("Din kommentar er gemt.").wait_for()
    await shot(page, "mig-conversation-on-record")
    async with bot.sessions() as session:
        saved = await session.get(FollowUpRecord, record_id)
        assert saved is not None and saved.employee_comment == "Jeg starter på halv tid."
    mobile = await open_as(browser, bot, entra, "aad-emma", "/tab/mig", mobile=True)
    assert "Jeg starter på halv tid." in await mobile.locator("textarea").input_value()
    await shot(mobile, "mig-conversation-on-record-mobile")

    hr = await open_as(browser, bot, entra, "aad-hr", "/tab/organisation")
    assert (
        "Sygefraværssamtaler efter sygedagpengeloven § 7 a"
        in await hr.locator("#content").inner_text()
    )
    await shot(hr, "organisation-hr-samtaler")
    async with hr.expect_download() as download_info:
        await hr.get_by_role("link", name="CSV", exact=True).click()
    text = Path(await (await download_info.value).path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "medarbejder_id"
    assert rows[1][:3] == ["e1", "Emma Sørensen", "Solgården"]
    assert rows[1][5:8] == ["held", "2026-11-20", "video"]
