"""Every card's offered values work when pressed as offered (issue 14: the partial raskmelding's
'until' card pre-filled today, and pressing it was refused). Each date card is pressed with the
values it shows, in Danish and English, over HTTP on both databases: none is refused."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from storage.models import Absence, AbsenceKind, AbsenceStatus
from tests.e2e.helpers import delivered
from tests.e2e.teams import Teams, card_text
from tests.e2e.test_ledger import receipt

# What a refused date says, in both languages (bad_date, date_empty, fit_day_after_start,
# fit_until_again / _empty, ledger_pick_first_day / _return, sick_quick_again).
REFUSED = (
    "kan jeg ikke bruge som dato",
    "I cannot use",
    "Du skrev ingen dato",
    "You did not write a date",
    "Vælg en dag efter",
    "Choose a day after",
    "Skriv en dato efter",
    "Type a date after",
    "Du valgte ingen dato",
    "You picked no date",
    "Vælg en første dag mellem",
    "Pick a first day between",
    "Vælg en dag mellem",
    "Pick a day between",
    "Tryk **Send** på kortet",
    "Press **Send** on the card",
)
WORDS = {
    "emma": {
        "sick": "syg",
        "fit": "rask",
        "emergency": "akutdag",
        "pick": "Vælg dato",
        "partly": "delvis",
        "first_day": "Ret første dag",
        "return": "Ret forventet tilbage",
        "save": "Gem",
        "how": "fuld tid, eller delvist",
        "until": "Til og med hvilken dag",
        "paid": "Hvad skal dagen betales med?",
    },
    "ali": {
        "sick": "sick",
        "fit": "fit",
        "emergency": "emergency day",
        "pick": "Pick date",
        "partly": "partly",
        "first_day": "Change first day",
        "return": "Change expected return",
        "save": "Save",
        "how": "full time, or partly",
        "until": "Until which day",
        "paid": "How should the day be paid?",
    },
}
EMPLOYEE = {"emma": "e1", "ali": "e2"}
people = pytest.mark.parametrize("who", ["emma", "ali"])


@pytest.fixture
async def teams(bot, stub) -> Teams:
    chat = Teams(bot, stub)
    await chat.hello("lars", "emma", "ali")
    return chat


def shown(node: Any) -> dict[str, Any]:
    """Every input with the value it shows (Teams submits them all with the press)."""
    found: dict[str, Any] = {}
    if isinstance(node, dict):
        if str(node.get("type", "")).startswith("Input.") and "value" in node:
            found[node["id"]] = node["value"]
        for key in ("body", "items", "columns"):
            found.update(shown(node.get(key)))
    elif isinstance(node, list):
        for item in node:
            found.update(shown(item))
    return found


async def press_as_offered(teams: Teams, who: str, card: dict[str, Any], title: str) -> list[str]:
    """Press a button with what its card (and a ShowCard's card) shows; what came back."""
    button = next(a for a in card["actions"] if a.get("title") == title)
    values = shown(card)
    if button["type"] == "Action.ShowCard":
        values.update(shown(button["card"]))
        button = button["card"]["actions"][0]
    for field in _dates(card) + _dates(button):
        if "value" in field:  # a pre-filled date is inside the picker's own limits
            assert field.get("min", "") <= field["value"] <= field.get("max", "9999"), field
    before = len(teams.to(who))
    await teams.click(who, button["data"], **values)
    said = [c.body.get("text", "") for c in teams.to(who)[before:]]
    assert not [s for s in said if any(word in s for word in REFUSED)], (title, values, said)
    return said


def _dates(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        own = [node] if node.get("type") == "Input.Date" else []
        return own + [f for v in node.values() for f in _dates(v)]
    if isinstance(node, list):
        return [f for item in node for f in _dates(item)]
    return []


async def periods(bot, who: str) -> list[Absence]:
    async with bot.sessions() as session:
        query = select(Absence).where(Absence.employee_id == EMPLOYEE[who]).order_by(Absence.id)
        return list(await session.scalars(query))


async def quick_report(teams: Teams, who: str) -> None:
    await teams.say(who, WORDS[who]["sick"])
    await press_as_offered(teams, who, teams.last_card(who), "Send")
    await delivered(teams)  # the receipt, through the outbox


@people
async def test_the_quick_card_as_offered_sends_the_report(bot, teams, who):
    await quick_report(teams, who)
    [sick] = await periods(bot, who)
    assert (sick.kind, sick.first_day) == (AbsenceKind.SICK, date(2026, 11, 24))


@people
async def test_the_partial_raskmelding_as_offered_is_taken(bot, teams, clock, who):
    w = WORDS[who]
    await quick_report(teams, who)
    clock.advance(days=1)
    await teams.say(who, w["fit"])
    await press_as_offered(teams, who, teams.last_card(who), w["pick"])  # the when card
    assert w["how"] in card_text(teams.last_card(who))
    await teams.say(who, w["partly"])
    await teams.say(who, "50%")
    until = teams.last_card(who)
    assert w["until"] in card_text(until)
    await press_as_offered(teams, who, until, w["pick"])  # two weeks pre-filled
    sick, partial = await periods(bot, who)
    assert sick.status == AbsenceStatus.CLOSED and partial.kind == AbsenceKind.PARTLY_SICK
    assert (partial.first_day, partial.last_day) == (date(2026, 11, 25), date(2026, 12, 9))


@people
async def test_each_day_the_fit_card_offers_is_taken(bot, teams, clock, who):
    w = WORDS[who]
    await quick_report(teams, who)
    clock.advance(days=1)
    await teams.say(who, w["fit"])
    titles = [a["title"] for a in teams.last_card(who)["actions"]]
    for title in titles:
        await teams.say(who, w["fit"])
        await press_as_offered(teams, who, teams.last_card(who), title)
        assert w["how"] in card_text(teams.last_card(who))
        await teams.say(who, "fortryd")


@people
async def test_each_day_the_akutdag_card_offers_is_taken(bot, teams, who):
    w = WORDS[who]
    await teams.say(who, w["emergency"])
    titles = [a["title"] for a in teams.last_card(who)["actions"]]
    assert titles
    for title in titles:
        await teams.say(who, w["emergency"])
        await press_as_offered(teams, who, teams.last_card(who), title)
        assert w["paid"] in card_text(teams.last_card(who))
        await teams.say(who, "fortryd")


@people
async def test_the_receipts_pre_filled_dates_are_taken(bot, teams, who):
    w = WORDS[who]
    await teams.say(who, w["sick"])
    quick = teams.last_card(who)
    button = next(a for a in quick["actions"] if a["title"] == "Send")
    # Expected back on Friday, so the receipt pre-fills a return too.
    await teams.click(who, button["data"], **{**shown(quick), "expected_return": "2026-11-27"})
    card = await receipt(teams, who)
    said = await press_as_offered(teams, who, card, w["first_day"])
    assert said  # the first day as it is: "already Tuesday, nothing changed", never refused
    await press_as_offered(teams, who, card, w["return"])
    [sick] = await periods(bot, who)
    assert (sick.first_day, sick.expected_return) == (date(2026, 11, 24), date(2026, 11, 27))
