"""One ledger of absence per person, over HTTP on SQLite and PostgreSQL (issue 14): periods
never overlap, reports that meet one merge or convert, an akutdag on a sick day is refused, and
a report can be withdrawn or corrected from its receipt."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from storage.models import AbsenceEvent, AbsenceKind, AbsenceStatus
from tests.e2e.helpers import periods, report_sick
from tests.e2e.teams import Teams, action, card_text, conversation_of

TUE, WED, THU = date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26)


async def events(bot, absence_id: int) -> list[str]:
    async with bot.sessions() as session:
        rows = await session.scalars(
            select(AbsenceEvent.kind).where(AbsenceEvent.absence_id == absence_id)
        )
        return list(rows)


RECEIPT_TITLES = ("Din sygemelding", "Your sick report")


async def receipt(teams: Teams, who: str, count: int = 1) -> dict:
    """The newest receipt once `count` have come (through the outbox: just after the reply)."""

    def receipts() -> list[dict]:
        return [c for c in teams.cards_to(who) if card_text(c).startswith(RECEIPT_TITLES)]

    await teams.stub.wait_for(lambda _s: len(receipts()) >= count)
    return receipts()[-1]


async def register_on_behalf(teams: Teams, leader: str, employee_id: str) -> None:
    await teams.say(leader, "registrér syg")
    await teams.click(leader, {"kind": "on_behalf", "what": "sick", "employee": employee_id})


# --- one ledger ---------------------------------------------------------------------------


async def test_an_akutdag_on_a_sick_day_is_refused_with_a_clear_text(bot, teams):
    await report_sick(teams, "emma")
    # Sick from today until further notice: neither today nor tomorrow is offered.
    await teams.say("emma", "akutdag")
    assert teams.texts_to("emma")[-1] == (
        "En akutdag kan ikke ligge på en dag, hvor du allerede er registreret (Syg fra tirsdag "
        "24/11). Skriv **status** for at se, hvad der er registreret."
    )
    assert [a.kind for a in await periods(bot)] == [AbsenceKind.SICK]


async def test_an_akutdag_on_a_sick_day_is_refused_in_english(bot, teams):
    await report_sick(teams, "ali")
    await teams.say("ali", "akutdag")
    assert teams.texts_to("ali")[-1].startswith(
        "An emergency day cannot fall on a day you are already registered (Sick from Tuesday 24 Nov)"
    )
    assert len(await periods(bot, "e2")) == 1


async def test_an_akutdag_is_offered_only_on_a_free_day(bot, teams):
    for answer in ("syg", "4", "i dag", "ved ikke", "spring over", "send"):
        await teams.say("emma", answer)  # a child's sick day: today only
    await teams.say("emma", "akutdag")
    card = teams.last_card("emma")
    assert [a["title"] for a in card["actions"]] == ["I morgen"]
    await teams.say("emma", "i dag")
    assert teams.texts_to("emma")[-1].startswith("En akutdag kan være i dag eller i morgen")
    for answer in ("i morgen", "ferie"):
        await teams.say("emma", answer)
    child, akut = await periods(bot)
    assert child.kind == AbsenceKind.CHILD_SICK
    assert (akut.kind, akut.first_day, akut.status) == (
        AbsenceKind.EMERGENCY_DAY,
        WED,
        AbsenceStatus.REQUESTED,
    )


async def test_a_sick_report_takes_over_a_planned_akutdag(bot, teams):
    for answer in ("akutdag", "i morgen", "ferie"):
        await teams.say("emma", answer)
    await report_sick(teams, "emma")
    akut, sick = await periods(bot)
    assert akut.status == AbsenceStatus.WITHDRAWN and sick.status == AbsenceStatus.OPEN
    await teams.stub.wait_for(lambda _s: len(teams.stub.updates()) >= 1)
    assert "Trukket tilbage af Emma Sørensen" in card_text(
        teams.stub.updates()[-1].body["attachments"][0]["content"]
    )


async def test_a_new_sick_report_on_a_partial_day_converts_from_that_day(bot, teams, clock):
    await report_sick(teams, "emma")
    clock.advance(days=1)
    for answer in ("rask", "i dag", "delvis", "50%", "11/12"):
        await teams.say("emma", answer)
    clock.advance(days=1)
    await report_sick(teams, "emma")
    sick, partial, again = await periods(bot)
    assert (sick.first_day, sick.last_day) == (TUE, TUE)
    assert (partial.kind, partial.first_day, partial.last_day) == (
        AbsenceKind.PARTLY_SICK,
        WED,
        WED,
    )
    assert (again.kind, again.first_day, again.last_day) == (AbsenceKind.SICK, THU, None)
    assert "ended_by_new_report" in await events(bot, partial.id)


async def test_the_same_person_reporting_again_is_told_since_when(bot, teams):
    await report_sick(teams, "emma")
    await teams.say("emma", "syg")
    assert "Du er allerede registreret syg siden tirsdag 24/11" in teams.texts_to("emma")[-1]
    assert len(await periods(bot)) == 1


async def test_leader_registration_and_own_report_end_as_one_period(bot, teams):
    await register_on_behalf(teams, "lars", "e1")
    await report_sick(teams, "emma", note="Mine aftaler er flyttet til torsdag")
    [absence] = await periods(bot)
    assert absence.status == AbsenceStatus.OPEN and absence.reported_by == "l1"
    assert absence.note == "Mine aftaler er flyttet til torsdag"
    assert teams.texts_to("emma")[-1] == (
        "Du var allerede registreret syg fra tirsdag 24/11 af Lars Jensen. Din sygemelding er "
        "lagt sammen med den, så det er én periode. Lars Jensen (din leder) har fået din besked."
    )
    # The leader is told once: one card, with the note, saying the employee reported it too.
    await teams.stub.wait_for(
        lambda _s: any("har meldt sig syg" in card_text(c) for c in teams.cards_to("lars"))
    )
    [card] = [c for c in teams.cards_to("lars") if "har meldt sig syg" in card_text(c)]
    assert "Mine aftaler er flyttet til torsdag" in card_text(card)
    assert "Emma Sørensen har selv meldt sig" in card_text(card)
    # The leader's registration stays the leader's: no receipt to withdraw it.
    assert not any("Træk tilbage" in card_text(c) for c in teams.cards_to("emma"))


async def test_going_home_sick_on_a_day_the_leader_registered_merges(bot, teams):
    await register_on_behalf(teams, "lars", "e1")
    for answer in ("går syg hjem", "ved ikke", "spring over", "send"):
        await teams.say("emma", answer)
    [absence] = await periods(bot)
    assert absence.going_home_sick and absence.first_day == TUE
    assert "merge" in await events(bot, absence.id)


async def test_the_leader_registering_after_the_employee_is_told_it_is_there(bot, teams):
    await report_sick(teams, "emma")
    await register_on_behalf(teams, "lars", "e1")
    assert (
        "Emma Sørensen er allerede registreret syg siden tirsdag 24/11"
        in (teams.texts_to("lars")[-1])
    )
    assert len(await periods(bot)) == 1


# --- withdraw and correct ------------------------------------------------------------------


async def test_withdraw_the_same_day_removes_the_period_and_tells_the_leader_once(bot, teams):
    await report_sick(teams, "emma")
    await teams.wait_until("lars", 1)
    withdraw = action(await receipt(teams, "emma"), "Træk tilbage")
    await teams.click("emma", withdraw)
    assert teams.texts_to("emma")[-1] == (
        "Din sygemelding fra tirsdag 24/11 er trukket tilbage. Lars Jensen (din leder) har fået "
        "besked."
    )
    [absence] = await periods(bot)
    assert absence.status == AbsenceStatus.WITHDRAWN
    assert "withdrawn" in await events(bot, absence.id)
    await teams.stub.wait_for(
        lambda _s: (
            "Emma Sørensen har trukket sygemeldingen fra tirsdag 24/11 tilbage. "
            "Der er intet fravær registreret." in teams.texts_to("lars")
        )
    )
    # Emma's receipt is replaced in place too, and may reach Teams first.
    await teams.stub.wait_for(
        lambda stub: any(u.conversation_id == conversation_of("lars") for u in stub.updates())
    )
    [update] = [u for u in teams.stub.updates() if u.conversation_id == conversation_of("lars")]
    assert "Trukket tilbage af medarbejderen" in card_text(update.body["attachments"][0]["content"])
    await teams.click("emma", withdraw)
    assert (
        teams.texts_to("emma")[-1] == "Sygemeldingen fra tirsdag 24/11 er allerede trukket tilbage."
    )
    # Once withdrawn, the same day may be reported again.
    await report_sick(teams, "emma")
    assert [a.status for a in await periods(bot)] == [AbsenceStatus.WITHDRAWN, AbsenceStatus.OPEN]
    # The leader's buttons on the withdrawn period do nothing.
    await teams.click(
        "lars", {"kind": "leader_action", "action": "call_today", "absence_id": absence.id}
    )
    assert "trukket tilbage af medarbejderen" in teams.texts_to("lars")[-1]


async def test_withdraw_in_english(bot, teams):
    await report_sick(teams, "ali")
    await teams.click("ali", action(await receipt(teams, "ali"), "Withdraw"))
    assert teams.texts_to("ali")[-1] == (
        "Your sick report from Tuesday 24 Nov has been withdrawn. Lars Jensen (your leader) has "
        "been told."
    )


async def test_after_the_window_the_receipt_says_whom_to_contact(bot, teams, clock):
    await report_sick(teams, "emma")
    clock.advance(days=1)
    await teams.click("emma", action(await receipt(teams, "emma"), "Træk tilbage"))
    assert teams.texts_to("emma")[-1] == (
        "Sygemeldingen fra tirsdag 24/11 kan ikke længere trækkes tilbage (det kan den samme dag, "
        "eller indtil første dag). Kontakt Lars Jensen, hvis den er forkert."
    )
    [absence] = await periods(bot)
    assert absence.status == AbsenceStatus.OPEN


async def test_a_report_for_a_later_day_may_be_withdrawn_until_that_day(bot, teams, clock):
    await report_sick(teams, "emma", first="i overmorgen")
    clock.advance(days=1)
    await teams.click("emma", action(await receipt(teams, "emma"), "Træk tilbage"))
    [absence] = await periods(bot)
    assert absence.status == AbsenceStatus.WITHDRAWN


async def test_forged_and_foreign_absence_ids_change_nothing(bot, teams):
    await report_sick(teams, "emma")
    [absence] = await periods(bot)
    for who, absence_id in (("ali", absence.id), ("emma", 99999), ("lars", absence.id)):
        await teams.click(
            who, {"kind": "absence_change", "absence_id": absence_id, "change": "withdraw"}
        )
    assert teams.texts_to("emma")[-1] == "Den sygemelding kan du ikke ændre. Intet er ændret."
    assert teams.texts_to("ali")[-1] == "You cannot change that sick report. Nothing was changed."
    await teams.click("emma", {"kind": "absence_change", "absence_id": "x", "change": "withdraw"})
    await teams.click("emma", {"kind": "absence_change", "absence_id": absence.id, "change": "?"})
    [still] = await periods(bot)
    assert still.status == AbsenceStatus.OPEN


async def test_change_the_first_day_and_the_expected_return(bot, teams):
    await report_sick(teams, "emma")
    card = await receipt(teams, "emma")
    first = action(card, "Ret første dag")
    await teams.click("emma", first, day="2026-11-23")
    assert teams.texts_to("emma")[-1] == (
        "Første dag er nu mandag 23/11. Lars Jensen (din leder) har fået besked."
    )
    await teams.click("emma", first, day="2026-01-01")
    assert teams.texts_to("emma")[-1].startswith("Vælg en første dag mellem")
    await teams.click("emma", first, day="")
    assert teams.texts_to("emma")[-1].startswith("Vælg en første dag mellem")
    back = action(card, "Ret forventet tilbage")
    await teams.click("emma", back, day="2026-11-30")
    assert teams.texts_to("emma")[-1] == (
        "Forventet tilbage er nu mandag 30/11. Lars Jensen (din leder) har fået besked."
    )
    await teams.click("emma", back, day="2026-11-20")
    assert teams.texts_to("emma")[-1].startswith("Vælg en dag mellem")
    [absence] = await periods(bot)
    assert (absence.first_day, absence.expected_return) == (date(2026, 11, 23), date(2026, 11, 30))
    await teams.stub.wait_for(
        lambda _s: (
            "Emma Sørensen forventer nu at være tilbage mandag 30/11." in teams.texts_to("lars")
        )
    )


async def test_a_corrected_first_day_may_not_overlap_an_earlier_period(bot, teams, clock):
    await report_sick(teams, "emma")
    clock.advance(days=1)
    for answer in ("rask", "i dag", "fuld"):
        await teams.say("emma", answer)
    await report_sick(teams, "emma", first="i morgen")
    second = await receipt(teams, "emma", count=2)
    await teams.click("emma", action(second, "Ret første dag"), day="2026-11-24")
    assert teams.texts_to("emma")[-1].startswith(
        "Du er allerede registreret: Syg fra tirsdag 24/11"
    )
    assert [a.first_day for a in await periods(bot)] == [TUE, THU]
