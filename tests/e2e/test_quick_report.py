"""The quick sick report, dates people type and what whole messages mean, over HTTP (issue 14).

A card press is sent as Teams sends it: the button's data together with every input on the card
as it stands (pre-filled values included, hidden ones too), so what is pre-filled is what is
tested.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from storage.models import Absence, AbsenceKind
from tests.builders import Org
from tests.e2e.teams import Teams, action, card_text

TODAY = date(2026, 11, 24)  # the test clock: Tuesday 24/11 09:00


@pytest.fixture
async def teams(bot, stub) -> Teams:
    chat = Teams(bot, stub)
    await chat.hello("lars", "emma", "ali")
    return chat


async def absences(bot) -> list[Absence]:
    async with bot.sessions() as session:
        return list(await session.scalars(select(Absence).order_by(Absence.id)))


def nodes(node: Any) -> list[dict[str, Any]]:
    """Every element of a card, depth first."""
    if isinstance(node, dict):
        return [node] + [n for value in node.values() for n in nodes(value)]
    if isinstance(node, list):
        return [n for item in node for n in nodes(item)]
    return []


def inputs_of(card: dict[str, Any]) -> dict[str, Any]:
    """Every input on the card with the value it shows (Teams submits them all)."""
    return {
        n["id"]: n.get("value", "")
        for n in nodes(card.get("body", []))
        if str(n.get("type", "")).startswith("Input.") and "id" in n
    }


async def press(teams: Teams, who: str, card: dict[str, Any], title: str, **typed: Any) -> None:
    await teams.click(who, action(card, title), **{**inputs_of(card), **typed})


def date_fields(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [n for n in nodes(card) if n.get("type") == "Input.Date"]


async def test_two_taps_from_the_help_card_in_danish(bot, teams):
    await teams.say("emma", "hjælp")
    help_card = teams.last_card("emma")
    await press(teams, "emma", help_card, "Jeg er syg")  # tap 1
    quick = teams.last_card("emma")
    text = card_text(quick)
    assert "Sygemelding" in text and "i dag, tirsdag 24/11" in text and "Ved ikke endnu" in text
    assert "Du behøver ikke skrive, hvorfor du er syg." in text
    assert [a["title"] for a in quick["actions"]] == ["Send", "Andet …", "Fortryd"]
    for field in date_fields(quick):  # every pre-filled date is inside its own limits
        if field.get("value"):
            assert field["min"] <= field["value"] <= field["max"]
    await press(teams, "emma", quick, "Send")  # tap 2
    [absence] = await absences(bot)
    assert (absence.kind, absence.first_day, absence.expected_return, absence.note) == (
        AbsenceKind.SICK,
        TODAY,
        None,
        None,
    )
    await teams.wait_until("lars", 1)
    assert "Emma Sørensen har meldt sig syg" in card_text(teams.cards_to("lars")[0])


async def test_one_tap_after_typing_in_english(bot, teams):
    await Org(bot.sessions).reads_english("l1")
    await teams.say("ali", "sick")
    quick = teams.last_card("ali")
    text = card_text(quick)
    assert "Report sick" in text and "today, Tuesday 24 Nov" in text
    assert "You do not need to say why you are ill." in text
    assert [a["title"] for a in quick["actions"]] == ["Send", "Other …", "Cancel"]
    await press(teams, "ali", quick, "Send", note="My shifts are swapped with Dorte")
    [absence] = await absences(bot)
    assert absence.kind == AbsenceKind.SICK and absence.note == "My shifts are swapped with Dorte"
    assert any(
        "Lars Jensen" in t
        for t in teams.texts_to("ali") + [card_text(c) for c in teams.cards_to("ali")[-1:]]
    )
    await teams.wait_until("lars", 1)
    assert "Ali Khan has reported sick" in card_text(teams.cards_to("lars")[0])


async def test_syg_with_a_day_pre_chooses_it(bot, teams):
    await teams.say("emma", "syg i morgen")
    quick = teams.last_card("emma")
    assert "onsdag 25/11" in card_text(quick)
    await press(teams, "emma", quick, "Send")
    [absence] = await absences(bot)
    assert absence.first_day == date(2026, 11, 25)


async def test_other_choices_on_the_same_card(bot, teams):
    await teams.say("emma", "syg")
    quick = teams.last_card("emma")
    toggle = next(a for a in quick["actions"] if a["title"] == "Andet …")
    assert toggle["type"] == "Action.ToggleVisibility"
    assert set(toggle["targetElements"]) == {"quick_summary", "quick_more"}
    kinds = next(i for i in nodes(quick) if i.get("id") == "sick_kind")
    assert [c["value"] for c in kinds["choices"]] == ["full", "partial", "going_home", "child"]
    await press(
        teams,
        "emma",
        quick,
        "Send",
        sick_kind="child",
        first_day="2026-11-25",
        expected_return="2026-11-26",
    )
    [absence] = await absences(bot)
    assert absence.kind == AbsenceKind.CHILD_SICK and absence.first_day == date(2026, 11, 25)


async def test_a_card_value_out_of_bounds_is_answered_and_nothing_is_sent(bot, teams):
    await teams.say("emma", "syg")
    await press(teams, "emma", teams.last_card("emma"), "Send", first_day="2026-09-01")
    assert teams.texts_to("emma")[-1].startswith('"2026-09-01" kan jeg ikke bruge som dato')
    await press(
        teams,
        "emma",
        teams.last_card("emma"),
        "Send",
        sick_kind="going_home",
        first_day="2026-11-25",
    )
    assert teams.texts_to("emma")[-1].startswith("Går du syg hjem, er første dag i dag")
    await press(
        teams,
        "emma",
        teams.last_card("emma"),
        "Send",
        sick_kind="full",
        first_day="2026-11-26",
        expected_return="2026-11-25",
    )
    assert teams.texts_to("emma")[-1].startswith("Skriv en dato efter torsdag 26/11")
    assert await absences(bot) == []
    again = teams.last_card("emma")  # shown again with valid values only
    await press(teams, "emma", again, "Send")
    [absence] = await absences(bot)
    assert absence.first_day == date(2026, 11, 26) and absence.expected_return is None


async def test_health_words_on_the_card_and_the_note_kept_when_editing(bot, teams):
    await teams.say("emma", "syg")
    await press(teams, "emma", teams.last_card("emma"), "Send", note="Jeg har 🤒 og hovedpine")
    warning = teams.last_card("emma")
    assert "Du behøver ikke fortælle, hvorfor du er syg" in card_text(warning)
    assert "🤒, hovedpine" in card_text(warning)
    assert await absences(bot) == []
    await press(teams, "emma", warning, "Ret beskeden")
    edit = teams.last_card("emma")
    assert inputs_of(edit)["note"] == "Jeg har 🤒 og hovedpine"  # kept, ready to edit
    await press(teams, "emma", edit, "Send", note="Mine aftaler er flyttet")
    [absence] = await absences(bot)
    assert absence.note == "Mine aftaler er flyttet"


async def test_send_anyway_from_the_card_sends_at_once_in_english(bot, teams):
    await teams.say("ali", "sick")
    await press(teams, "ali", teams.last_card("ali"), "Send", note="I have a migraine")
    warning = teams.last_card("ali")
    assert "You do not need to say why you are sick" in card_text(warning)
    await press(teams, "ali", warning, "Send anyway")
    [absence] = await absences(bot)
    assert absence.note == "I have a migraine"


async def test_the_typed_dialog_keeps_the_note_on_edit(bot, teams):
    for said in ("syg", "1", "i dag", "ved ikke", "Jeg har migræne"):
        await teams.say("emma", said)
    await teams.say("emma", "ret")
    assert inputs_of(teams.last_card("emma"))["typed"] == "Jeg har migræne"
    await teams.say("emma", "Aftaler flyttet")
    await teams.say("emma", "send")
    [absence] = await absences(bot)
    assert absence.note == "Aftaler flyttet"


async def test_an_old_quick_card_is_not_sent_twice(bot, teams):
    await teams.say("emma", "syg")
    quick = teams.last_card("emma")
    await press(teams, "emma", quick, "Send")
    await press(teams, "emma", quick, "Send")
    assert len(await absences(bot)) == 1
    assert teams.texts_to("emma")[-1].startswith("Der er ikke noget at svare på lige nu")


@pytest.mark.parametrize(
    ("typed", "first_day"),
    [
        ("på fredag", date(2026, 11, 27)),
        ("i overmorgen", date(2026, 11, 26)),
        ("torsdag 26/11", date(2026, 11, 26)),
        ("1. december", date(2026, 12, 1)),
    ],
)
async def test_danish_date_words_for_the_first_day(bot, teams, typed, first_day):
    for said in ("syg", "1", typed, "ved ikke", "spring over", "send"):
        await teams.say("emma", said)
    [absence] = await absences(bot)
    assert absence.first_day == first_day


async def test_english_date_words_and_hints_inside_the_window(bot, teams):
    await teams.say("ali", "sick")
    await teams.say("ali", "1")
    first = teams.last_card("ali")
    assert "Or type a date, e.g. Thursday 26 Nov." in card_text(first)
    [field] = date_fields(first)
    assert (field["min"], field["max"]) == ("2026-10-25", "2026-12-08")
    await teams.say("ali", "on monday")
    back = teams.last_card("ali")
    assert "Monday 30 Nov" in card_text(back)
    await teams.say("ali", "next friday")  # Friday 27 Nov: not after the first day
    assert teams.texts_to("ali")[-1] == (
        'Type a date after Monday 30 Nov, e.g. Tuesday 1 Dec — or "don\'t know".'
    )
    await teams.say("ali", "Friday 4 Dec")
    await teams.say("ali", "skip")
    await teams.say("ali", "send")
    [absence] = await absences(bot)
    assert (absence.first_day, absence.expected_return) == (date(2026, 11, 30), date(2026, 12, 4))


async def test_an_empty_date_gets_a_useful_answer(bot, teams):
    await teams.say("emma", "syg")
    await teams.say("emma", "1")
    await press(teams, "emma", teams.last_card("emma"), "Vælg dato")  # the date left empty
    assert teams.texts_to("emma")[-1] == (
        "Du skrev ingen dato. Skriv en dag mellem søndag 25/10 og tirsdag 8/12 — fx "
        '"torsdag 26/11". Jeg forstår ugedage ("på fredag"), "i overmorgen" og datoer ("24/12").'
    )
    assert "Eller skriv en dato, fx torsdag 26/11." in card_text(teams.last_card("emma"))


@pytest.mark.parametrize(
    "said",
    ["jeg har feber", "kan ikke komme på arbejde i dag", "jeg er sløj", "har ondt i hovedet", "🤒"],
)
async def test_danish_sickness_phrases_start_the_quick_report_with_no_reason_needed(
    bot, teams, said
):
    await teams.say("emma", said)
    assert teams.texts_to("emma")[-1].startswith("Du behøver ikke fortælle, hvad du fejler")
    quick = teams.last_card("emma")
    await press(teams, "emma", quick, "Send")
    [absence] = await absences(bot)
    assert absence.kind == AbsenceKind.SICK and absence.note is None


@pytest.mark.parametrize("said", ["I have a fever", "can't come in today", "I'm sick 🤧"])
async def test_english_sickness_phrases_answer_in_english(bot, teams, said):
    await teams.say("emma", said)  # a Danish person writing English is answered in English
    if not said.startswith("I'm sick"):  # "I'm sick" is the command itself: no reminder
        assert teams.texts_to("emma")[-1].startswith("You do not need to say what is wrong")
    assert "Report sick" in card_text(teams.last_card("emma"))


async def test_small_talk_and_nothing_to_undo(bot, teams):
    await teams.say("emma", "godmorgen")
    assert teams.texts_to("emma")[-1].startswith("Hej Emma! 👋 Skriv **syg**")
    await teams.say("emma", "tak")
    assert teams.texts_to("emma")[-1] == "Selv tak! 🙂"
    await teams.say("emma", "fortryd")
    assert teams.texts_to("emma")[-1].startswith("Der er ikke noget i gang, som kan fortrydes")
    await teams.say("emma", "thanks")
    assert teams.texts_to("emma")[-1] == "You're welcome! 🙂"
    await teams.say("ali", "good morning")
    assert teams.texts_to("ali")[-1].startswith("Hi Ali! 👋 Write **sick**")
    assert not any(t.startswith("Det forstod jeg ikke") for t in teams.texts_to("emma"))
    assert await absences(bot) == []


async def test_commands_are_not_taken_for_sickness(bot, teams):
    await teams.say("emma", "rask")
    assert teams.texts_to("emma")[-1].startswith("Du er ikke registreret syg")
    await teams.say("emma", "syg hjem")
    assert "Hvornår regner du med at være tilbage?" in card_text(teams.last_card("emma"))
    await teams.say("emma", "fortryd")
    await teams.say("emma", "gul, ondt i ryggen")
    assert not teams.texts_to("emma")[-1].startswith("Du behøver ikke fortælle, hvad du fejler")
    assert await absences(bot) == []


async def test_a_sick_child_pre_chooses_barns_foerste_sygedag(bot, teams):
    await teams.say("emma", "mit barn er syg")
    quick = teams.last_card("emma")
    assert "Barns første sygedag" in card_text(quick)
    await press(teams, "emma", quick, "Send")
    [absence] = await absences(bot)
    assert absence.kind == AbsenceKind.CHILD_SICK and absence.first_day == TODAY


async def test_child_words_typed_in_the_dialog_answer_it(bot, teams):
    await teams.say("emma", "syg")
    await teams.say("emma", "barn syg")
    assert "Hvornår er din første sygedag?" in card_text(teams.last_card("emma"))
