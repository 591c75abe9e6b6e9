"""The employee's receipt stays true (issue 14): when its period is closed by a raskmelding,
withdrawn or corrected, the receipt is replaced in place without buttons that would be refused,
and a press on the old buttons anyway gets the truth and changes nothing. Over HTTP, both
databases, Danish and English."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from storage.models import Absence, AbsenceStatus
from tests.e2e.helpers import delivered, report_sick
from tests.e2e.teams import Teams, action, card_text, live_buttons
from tests.e2e.test_ledger import receipt


@pytest.fixture
async def teams(bot, stub) -> Teams:
    chat = Teams(bot, stub)
    await chat.hello("lars", "emma", "ali")
    return chat


async def only_period(bot, employee_id: str) -> Absence:
    async with bot.sessions() as session:
        [absence] = list(
            await session.scalars(select(Absence).where(Absence.employee_id == employee_id))
        )
        return absence


async def receipt_now(teams: Teams, who: str, card: dict[str, Any], says: str) -> dict[str, Any]:
    """The receipt as the chat shows it now, once it has been replaced with `says` on it."""
    message = teams.message_with(who, action(card, card["actions"][0]["title"]))
    assert message is not None

    def now() -> dict[str, Any]:
        return teams.card_now(message) or {}

    await teams.stub.wait_for(lambda _s: says in card_text(now()))
    return now()


async def test_a_raskmelding_closes_the_receipt_and_its_old_buttons_tell_the_truth(
    bot, teams, clock
):
    await report_sick(teams, "emma")
    card = await receipt(teams, "emma")
    clock.advance(days=1)
    for answer in ("rask", "i dag", "fuld"):
        await teams.say("emma", answer)
    shown = await receipt_now(teams, "emma", card, "Afsluttet")
    assert "Afsluttet: sidste fraværsdag var tirsdag 24/11." in card_text(shown)
    assert live_buttons(shown) == []
    for title, day in (("Træk tilbage", None), ("Ret første dag", "2026-11-23")):
        extra = {"day": day} if day else {}
        await teams.click("emma", action(card, title), **extra)
        assert teams.texts_to("emma")[-1] == (
            "Sygemeldingen fra tirsdag 24/11 er afsluttet med en raskmelding. Kontakt Lars "
            "Jensen, hvis den skal rettes."
        )
    absence = await only_period(bot, "e1")
    assert (absence.status, str(absence.first_day)) == (AbsenceStatus.CLOSED, "2026-11-24")


async def test_a_withdrawn_report_shows_so_on_its_receipt_in_english(bot, teams):
    await report_sick(teams, "ali")
    card = await receipt(teams, "ali")
    await teams.click("ali", action(card, "Withdraw"))
    shown = await receipt_now(teams, "ali", card, "Withdrawn")
    assert "Withdrawn: no absence is registered for it." in card_text(shown)
    assert live_buttons(shown) == []
    await teams.click("ali", action(card, "Change expected return"), day="2026-11-30")
    assert teams.texts_to("ali")[-1] == (
        "The sick report from Tuesday 24 Nov has already been withdrawn."
    )
    assert (await only_period(bot, "e2")).expected_return is None


async def test_a_fit_report_in_english_closes_the_receipt(bot, teams, clock):
    await report_sick(teams, "ali")
    card = await receipt(teams, "ali")
    clock.advance(days=1)
    for answer in ("fit", "today", "full"):
        await teams.say("ali", answer)
    shown = await receipt_now(teams, "ali", card, "Ended")
    assert "Ended: the last day of absence was Tuesday 24 Nov." in card_text(shown)
    assert live_buttons(shown) == []


async def test_a_corrected_return_is_shown_on_the_receipt_with_its_buttons(bot, teams):
    await report_sick(teams, "emma")
    card = await receipt(teams, "emma")
    await teams.click("emma", action(card, "Ret forventet tilbage"), day="2026-11-27")
    shown = await receipt_now(teams, "emma", card, "fredag 27/11")
    assert live_buttons(shown) == ["Træk tilbage", "Gem", "Gem"]
    await delivered(teams)


async def test_a_partial_period_ended_by_a_full_sick_report_closes_its_receipt(bot, teams):
    await teams.say("emma", "syg")
    quick = teams.last_card("emma")
    await teams.click("emma", action(quick, "Send"), sick_kind="partial", first_day="2026-11-24")
    await delivered(teams)
    partial = await receipt(teams, "emma")
    await teams.say("emma", "syg i morgen")
    await teams.click("emma", action(teams.last_card("emma"), "Send"), first_day="2026-11-25")
    shown = await receipt_now(teams, "emma", partial, "Afsluttet")
    assert "Afsluttet: sidste fraværsdag var tirsdag 24/11." in card_text(shown)
    assert live_buttons(shown) == []
    fresh = await receipt(teams, "emma", count=2)
    assert "onsdag 25/11" in card_text(fresh) and "Træk tilbage" in live_buttons(fresh)
