"""True texts and only valid choices around one absence period (issue 14), over HTTP on SQLite
and PostgreSQL: status on every day, raskmelding's offered days, the leader's partly-sick and
work-injury choices (and undoing them), a child's sick day, greetings in the employee's
language."""

from __future__ import annotations

from datetime import date

from storage.models import AbsenceKind
from tests.builders import Org
from tests.e2e.helpers import periods, report_sick
from tests.e2e.teams import Teams, action, card_text

TUE, WED, THU = date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26)


def buttons(card: dict) -> list[str]:
    return [a["title"] for a in card.get("actions", [])]


async def leader_card(teams: Teams, leader: str = "lars") -> dict:
    await teams.stub.wait_for(lambda _s: bool(teams.cards_to(leader)))
    return teams.cards_to(leader)[0]


# --- status on every day -------------------------------------------------------------------


async def test_status_is_right_on_the_last_sick_day_after_a_raskmelding(bot, teams):
    await report_sick(teams, "emma")
    for answer in ("rask", "i morgen", "fuld"):
        await teams.say("emma", answer)
    await teams.say("emma", "status")
    # Fit from tomorrow: today is still a registered sick day (it used to say "not registered").
    assert teams.texts_to("emma")[-2:] == [
        "Du er registreret: Syg siden tirsdag 24/11 (1 dagsværk indtil nu).",
        "Sidste fraværsdag: tirsdag 24/11.",
    ]


async def test_status_shows_a_planned_period_and_a_partial_one(bot, teams, clock):
    await report_sick(teams, "emma", first="i morgen")
    await teams.say("emma", "status")
    assert teams.texts_to("emma")[-1] == "Registreret fra onsdag 25/11: Syg."
    clock.advance(days=2)
    for answer in ("rask", "i dag", "delvis", "50%", "11/12"):
        await teams.say("emma", answer)
    await teams.say("emma", "status")
    assert teams.texts_to("emma")[-3:] == [
        "Du er registreret: Delvis syg siden torsdag 26/11 (1 dagsværk indtil nu).",
        "Omfang: 50 %.",
        "Sidste fraværsdag: fredag 11/12.",
    ]


async def test_status_in_english(bot, teams):
    await report_sick(teams, "ali", first="i morgen")
    await teams.say("ali", "status")
    assert teams.texts_to("ali")[-1] == "Registered from Wednesday 25 Nov: Sick."


# --- raskmelding offers only valid days ----------------------------------------------------


async def test_fit_offers_only_days_that_leave_a_sick_day_and_accepts_each(bot, teams, clock):
    await report_sick(teams, "emma")
    await teams.say("emma", "rask")
    assert buttons(teams.last_card("emma")) == ["I morgen", "Vælg dato"]
    await teams.say("emma", "fortryd")
    clock.advance(days=1)
    await teams.say("emma", "rask")
    card = teams.last_card("emma")
    assert buttons(card) == ["I dag", "I morgen", "Vælg dato"]
    await teams.click("emma", action(card, "I dag"))
    assert "Fuld tid" in buttons(teams.last_card("emma"))  # "I dag" was taken
    for answer in ("delvis", "10 timer", "11/12"):
        await teams.say("emma", answer)
    # Partly back from today: fully fit can be no earlier than tomorrow, and tomorrow is offered.
    await teams.say("emma", "rask")
    card = teams.last_card("emma")
    assert buttons(card) == ["I morgen", "Vælg dato"]
    await teams.click("emma", action(card, "I morgen"))
    await teams.say("emma", "fuld")
    sick, partial = await periods(bot)
    assert (sick.last_day, partial.first_day, partial.last_day) == (TUE, WED, WED)


async def test_fit_offers_the_first_valid_day_after_a_partial_return_starting_tomorrow(
    bot, teams, clock
):
    await report_sick(teams, "emma")
    clock.advance(days=1)
    for answer in ("rask", "i morgen", "delvis", "50%", "11/12"):
        await teams.say("emma", answer)
    await teams.say("emma", "rask")
    card = teams.last_card("emma")
    assert buttons(card) == ["fredag 27/11", "Vælg dato"]
    await teams.click("emma", action(card, "fredag 27/11"))
    await teams.say("emma", "fuld")
    _sick, partial = await periods(bot)
    assert (partial.first_day, partial.last_day) == (THU, THU)


async def test_fit_with_an_empty_date_gets_a_useful_answer(bot, teams, clock):
    await report_sick(teams, "ali")
    clock.advance(days=1)
    await teams.say("ali", "fit")
    await teams.click("ali", action(teams.last_card("ali"), "Pick date"), date="")
    assert teams.texts_to("ali")[-1].startswith("You did not write a date.")
    assert buttons(teams.last_card("ali")) == ["Today", "Tomorrow", "Pick date"]


# --- the leader's choices, truthful and undoable the same day ------------------------------


async def test_work_injury_says_nothing_was_sent_and_can_be_undone_the_same_day(bot, teams, clock):
    await report_sick(teams, "emma")
    card = await leader_card(teams)
    before = len(teams.to("emma"))
    await teams.click("lars", action(card, "Markér som arbejdsskade"))
    assert teams.texts_to("lars")[-1] == (
        "Markeret som arbejdsskade. Der er ikke sendt noget til Emma Sørensen — husk "
        "anmeldelsen i EASY."
    )
    await teams.stub.wait_for(lambda _s: len(teams.stub.updates()) >= 1)
    updated = teams.stub.updates()[-1].body["attachments"][0]["content"]
    await teams.click("lars", action(updated, "Fortryd arbejdsskade"))
    assert teams.texts_to("lars")[-1] == (
        "Arbejdsskade fjernet. Der er ikke sendt noget til Emma Sørensen."
    )
    [absence] = await periods(bot)
    assert not absence.work_injury
    assert len(teams.to("emma")) == before  # truly nothing went to Emma
    await teams.click("lars", action(card, "Markér som arbejdsskade"))
    clock.advance(days=1)
    await teams.click("lars", action(updated, "Fortryd arbejdsskade"))
    assert teams.texts_to("lars")[-1] == (
        "Det kan kun fortrydes samme dag, som det blev valgt. Intet er ændret."
    )
    [absence] = await periods(bot)
    assert absence.work_injury


async def test_partly_sick_asks_hours_or_percent_and_can_be_undone(bot, teams):
    await report_sick(teams, "emma")
    card = await leader_card(teams)
    mark = action(card, "Registrér som delvis syg")
    for bad in ("", "2 timer", "100%", "mange"):
        await teams.click("lars", mark, amount=bad)
        assert teams.texts_to("lars")[-1].startswith("Skriv timer om ugen (fx 10 timer)")
    [absence] = await periods(bot)
    assert absence.kind == AbsenceKind.SICK and absence.partial_hours_off is None
    await teams.click("lars", mark, amount="10 timer")
    await teams.stub.wait_for(
        lambda _s: (
            "Lars Jensen har registreret dig som delvis syg (10 timer om ugen)."
            in teams.texts_to("emma")
        )
    )
    [absence] = await periods(bot)
    assert (absence.kind, absence.partial_hours_off) == (AbsenceKind.PARTLY_SICK, 10.0)
    await teams.click("lars", mark, amount="20 timer")
    assert teams.texts_to("lars")[-1] == "Det er allerede gjort."
    undo = {"kind": "leader_action", "action": "undo_mark_partial", "absence_id": absence.id}
    await teams.click("lars", undo)
    await teams.stub.wait_for(
        lambda _s: any("fortrudt registreringen" in t for t in teams.texts_to("emma"))
    )
    [absence] = await periods(bot)
    assert (absence.kind, absence.partial_hours_off) == (AbsenceKind.SICK, None)
    await teams.click("lars", undo)
    assert teams.texts_to("lars")[-1].startswith("Det kan kun fortrydes samme dag")


async def test_another_persons_leader_cannot_undo(bot, teams):
    await report_sick(teams, "emma")
    await leader_card(teams)
    [absence] = await periods(bot)
    await teams.click(
        "ali", {"kind": "leader_action", "action": "undo_work_injury", "absence_id": absence.id}
    )
    assert teams.texts_to("ali")[-1].startswith("You cannot act on this.")


# --- a child's sick day, greetings in the employee's language ------------------------------


async def test_childs_sick_day_is_worded_for_the_child(bot, teams):
    await Org(bot.sessions).reads_english("l1")
    for answer in ("syg", "4", "i dag", "ved ikke", "spring over", "send"):
        await teams.say("emma", answer)
    sent = teams.texts_to("emma")
    assert (
        "Tak. Lars Jensen (din leder) har fået besked om, at du er hjemme med dit syge barn."
        in (sent)
    )
    assert not any("God bedring" in t for t in sent)
    text = card_text(await leader_card(teams))
    assert "Emma Sørensen's child is sick: Emma Sørensen stays home" in text
    assert "Send a greeting" in text and "Get well" not in text and "other tasks" not in text
    [absence] = await periods(bot)
    forged = {"kind": "leader_action", "action": "other_tasks", "absence_id": absence.id}
    await teams.click("lars", forged)
    assert teams.texts_to("lars")[-1].startswith("You cannot act on this.")


async def test_get_well_is_prefilled_in_the_employees_language(bot, teams):
    await report_sick(teams, "ali")
    card = await leader_card(teams)
    [show] = [a for a in card["actions"] if a["title"] == "Send god bedring"]
    prefill = show["card"]["body"][0]["value"]
    assert prefill.startswith("Get well soon!")
    await teams.click("lars", action(card, "Send god bedring"), message=prefill)
    await teams.stub.wait_for(
        lambda _s: any(
            t.startswith("Lars Jensen writes: Get well soon!") for t in teams.texts_to("ali")
        )
    )
