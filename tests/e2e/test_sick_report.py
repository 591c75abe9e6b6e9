"""Sygemelding and raskmelding over HTTP, routed to the nearest leader (issue 4)."""

from __future__ import annotations

import asyncio
from datetime import date, datetime

from sqlalchemy import func, select

from bot.app import NUDGE
from storage.models import (
    Absence,
    AbsenceEvent,
    AbsenceKind,
    AbsenceStatus,
    EmploymentStatus,
    OutboxMessage,
)
from tests.builders import Org
from tests.conftest import COPENHAGEN
from tests.e2e.helpers import report_sick
from tests.e2e.teams import Teams, action, card_text


async def absences(bot) -> list[Absence]:
    async with bot.sessions() as session:
        return list(await session.scalars(select(Absence).order_by(Absence.id)))


async def test_sick_report_reaches_the_leader_in_danish(bot, teams):
    await teams.say("emma", "syg")
    assert "Hvordan er det i dag?" in card_text(teams.last_card("emma"))
    await teams.say("emma", "1")
    assert "første sygedag" in card_text(teams.last_card("emma"))
    await teams.say("emma", "i dag")
    await teams.say("emma", "28/11")
    await teams.say("emma", "Jeg har flyttet mine aftaler til torsdag")
    summary = card_text(teams.last_card("emma"))
    assert "tirsdag 24/11" in summary and "lørdag 28/11" in summary
    await teams.say("emma", "send")
    assert (
        teams.texts_to("emma")[-2] == "Tak. Lars Jensen (din leder) har fået besked. God bedring!"
    )
    await teams.wait_until("lars", 1)
    card = teams.cards_to("lars")[0]
    text = card_text(card)
    assert "Emma Sørensen har meldt sig syg" in text
    assert "Jeg har flyttet mine aftaler til torsdag" in text
    assert "Du må ikke spørge om årsag eller diagnose" in text
    [absence] = await absences(bot)
    assert (absence.kind, absence.status, absence.routed_to) == (
        AbsenceKind.SICK,
        AbsenceStatus.OPEN,
        "l1",
    )
    assert absence.first_day == date(2026, 11, 24) and absence.expected_return == date(2026, 11, 28)


async def test_english_employee_and_english_leader(bot, teams):
    await Org(bot.sessions).reads_english("l1")
    await teams.say("ali", "sick")
    assert "How are things today?" in card_text(teams.last_card("ali"))
    for answer in ("fully", "tomorrow", "don't know", "skip", "send"):
        await teams.say("ali", answer)
    assert (
        teams.texts_to("ali")[-2]
        == "Thank you. Lars Jensen (your leader) has been told. Get well soon!"
    )
    await teams.wait_until("lars", 1)
    text = card_text(teams.cards_to("lars")[0])
    assert "Ali Khan has reported sick" in text and "Wednesday 25 Nov" in text
    assert "Send get well" in text


async def test_card_buttons_work_like_typing(bot, teams):
    await teams.click("emma", {"kind": "command", "command": "sick"})
    quick = teams.last_card("emma")  # "Andet …" shows the choices on the same card
    send = action(quick, "Send")
    await teams.click("emma", send, sick_kind="partial", first_day="2026-11-25", note="")
    [absence] = await absences(bot)
    assert absence.kind == AbsenceKind.PARTLY_SICK and absence.first_day == date(2026, 11, 25)
    await teams.wait_until("lars", 1)
    assert "Emma Sørensen har meldt sig delvis syg" in card_text(teams.cards_to("lars")[0])


async def test_a_note_about_symptoms_is_met_with_you_need_not_tell(bot, teams):
    await report_sick(teams, "emma", note="Jeg har feber og kvalme")
    warning = card_text(teams.cards_to("emma")[-1])
    assert "Du behøver ikke fortælle, hvorfor du er syg" in warning
    assert "feber, kvalme" in warning
    assert await absences(bot) == []  # nothing sent before the employee chooses
    await teams.say("emma", "send uden besked")
    await teams.say("emma", "send")
    [absence] = await absences(bot)
    assert absence.note is None
    await teams.wait_until("lars", 1)
    assert "feber" not in card_text(teams.cards_to("lars")[0])


async def test_going_home_sick_starts_today(bot, teams):
    await teams.say("emma", "går syg hjem")
    for answer in ("ved ikke", "spring over", "send"):
        await teams.say("emma", answer)
    [absence] = await absences(bot)
    assert absence.going_home_sick and absence.first_day == date(2026, 11, 24)
    await teams.wait_until("lars", 1)
    assert "Emma Sørensen er gået syg hjem" in card_text(teams.cards_to("lars")[0])


async def test_dates_out_of_range_are_refused_with_an_example(bot, teams):
    await teams.say("emma", "syg")
    await teams.say("emma", "1")
    await teams.say("emma", "1/9")
    assert teams.texts_to("emma")[-1] == (
        '"1/9" kan jeg ikke bruge som dato. Vælg en dag mellem søndag 25/10 og tirsdag 8/12 '
        '— fx "torsdag 26/11".'
    )
    await teams.say("emma", "15/12")
    assert teams.texts_to("emma")[-1].startswith('"15/12" kan jeg ikke bruge som dato')
    await teams.say("emma", "blå")
    assert teams.texts_to("emma")[-1].startswith('"blå" kan jeg ikke bruge som dato')
    await teams.say("emma", "i går")
    assert "Hvornår regner du med at være tilbage?" in card_text(teams.last_card("emma"))
    assert await absences(bot) == []


async def test_already_sick_is_told_since_when_and_offered_raskmelding(bot, teams):
    await report_sick(teams, "emma")
    await teams.say("emma", "syg")
    assert (
        teams.texts_to("emma")[-1]
        == "Du er allerede registreret syg siden tirsdag 24/11. Er du rask igen?"
    )
    assert action(teams.last_card("emma"), "Jeg er rask") == {"kind": "command", "command": "fit"}
    assert len(await absences(bot)) == 1


async def test_resent_and_double_clicked_confirmation_make_one_period(bot, teams):
    for answer in ("syg", "1", "i dag", "ved ikke", "spring over"):
        await teams.say("emma", answer)
    await teams.say("emma", value={"kind": "answer", "text": "send"}, activity_id="confirm-1")
    await teams.say("emma", value={"kind": "answer", "text": "send"}, activity_id="confirm-1")
    await teams.say("emma", value={"kind": "answer", "text": "send"}, activity_id="confirm-2")
    assert len(await absences(bot)) == 1
    assert teams.texts_to("emma")[-1].startswith("Der er ikke noget at svare på lige nu")
    await teams.wait_until("lars", 1)
    assert len(teams.to("lars")) == 1


async def test_leader_actions_reach_the_employee_and_update_the_card(bot, teams):
    await report_sick(teams, "emma")
    await teams.wait_until("lars", 1)
    card = teams.cards_to("lars")[0]
    await teams.click(
        "lars", action(card, "Send god bedring"), message="God bedring, Emma! Hilsen Lars"
    )
    # The card itself says what was done (issue 14): no "Klaret" bubble besides it.
    assert not any(text.startswith("Klaret") for text in teams.texts_to("lars"))
    await teams.wait_until("emma", len(teams.to("emma")) + 1)
    assert teams.texts_to("emma")[-1] == "Lars Jensen skriver: God bedring, Emma! Hilsen Lars"
    [update_call] = await teams.wait_for_update(1)
    assert update_call.activity_id == teams.to("lars")[0].response["id"]
    updated = card_text(update_call.body["attachments"][0]["content"])
    assert "✓ God bedring sendt tirsdag 24/11 kl. 09.00" in updated
    assert "Send god bedring" not in updated

    await teams.click("lars", action(card, "Jeg ringer til dig i dag"))
    await teams.stub.wait_for(
        lambda _s: "Lars Jensen ringer til dig i løbet af i dag." in teams.texts_to("emma")
    )
    await teams.click("lars", action(card, "Kan du lave andre opgaver?"))
    await teams.stub.wait_for(
        lambda _s: "Kan du lave andre opgaver" in card_text(teams.last_card("emma"))
    )
    question = teams.last_card("emma")
    await teams.click("emma", action(question, "Ja"), typed="Jeg kan tage telefonen hjemmefra")
    assert teams.texts_to("emma")[-1] == "Tak, dit svar er sendt til Lars Jensen."
    await teams.stub.wait_for(lambda _s: any("svarer på" in t for t in teams.texts_to("lars")))
    assert teams.texts_to("lars")[-1] == (
        'Emma Sørensen svarer på "Kan du lave andre opgaver?": Ja — Jeg kan tage telefonen hjemmefra'
    )
    # Partly sick asks how much (issue 14): hours a week or percent, stored on the period.
    await teams.click("lars", action(card, "Registrér som delvis syg"), amount="50%")
    await teams.stub.wait_for(
        lambda _s: (
            "Lars Jensen har registreret dig som delvis syg (50 %)." in teams.texts_to("emma")
        )
    )
    [absence] = await absences(bot)
    assert absence.kind == AbsenceKind.PARTLY_SICK and absence.acknowledged_by == "l1"
    assert absence.partial_percent_off == 50
    await teams.click("lars", action(card, "Send god bedring"), message="igen")
    assert teams.texts_to("lars")[-1] == "Det er allerede gjort."


async def test_work_injury_flag_reminds_the_leader_to_report_it(bot, teams):
    await report_sick(teams, "emma")
    await teams.wait_until("lars", 1)
    await teams.click("lars", action(teams.cards_to("lars")[0], "Markér som arbejdsskade"))
    [update_call] = await teams.wait_for_update(1)
    assert "skal anmeldes i EASY" in card_text(update_call.body["attachments"][0]["content"])
    [absence] = await absences(bot)
    assert absence.work_injury


async def test_forged_and_foreign_actions_are_refused_and_change_nothing(bot, teams):
    await report_sick(teams, "emma")
    await teams.wait_until("lars", 1)
    get_well = action(teams.cards_to("lars")[0], "Jeg ringer til dig i dag")
    async with bot.sessions() as session:
        outbox_before = await session.scalar(select(func.count()).select_from(OutboxMessage))
        events_before = await session.scalar(select(func.count()).select_from(AbsenceEvent))
    await teams.click("mette", get_well)  # a colleague
    await teams.click("emma", get_well)  # the employee herself
    await teams.click("lars", {**get_well, "absence_id": 9999})  # no such absence
    await teams.click("lars", {**get_well, "absence_id": "abc"})  # malformed
    await teams.click("lars", {**get_well, "action": "delete_everything"})
    assert teams.texts_to("mette")[-1].startswith("Du kan ikke handle på denne sag")
    assert teams.texts_to("emma")[-1].startswith("Du kan ikke handle på denne sag")
    assert teams.texts_to("lars")[-3].startswith("Du kan ikke handle på denne sag")
    assert teams.texts_to("lars")[-2].startswith("Den knap kender jeg ikke")
    assert teams.texts_to("lars")[-1].startswith("Den knap kender jeg ikke")
    async with bot.sessions() as session:
        assert (
            await session.scalar(select(func.count()).select_from(OutboxMessage)) == outbox_before
        )
        assert await session.scalar(select(func.count()).select_from(AbsenceEvent)) == events_before
    [absence] = await absences(bot)
    assert absence.acknowledged_at is None


async def test_deputy_gets_the_report_while_the_leader_is_away(bot, teams):
    await Org(bot.sessions).person(
        "l1", deputy_from=date(2026, 11, 23), deputy_to=date(2026, 11, 27)
    )
    await report_sick(teams, "emma")
    assert teams.texts_to("emma")[-2] == (
        "Tak. Dorte Nielsen (stedfortræder for din leder) har fået besked. God bedring!"
    )
    await teams.wait_until("dorte", 1)
    assert "Du får den som stedfortræder for Lars Jensen." in card_text(teams.cards_to("dorte")[0])
    assert teams.to("lars") == []


async def test_deputy_gets_it_when_the_leader_is_sick_himself(bot, teams):
    await report_sick(teams, "lars")
    await teams.wait_until("chef", 1)  # Lars's own report goes to his leader
    await report_sick(teams, "emma")
    await teams.wait_until("dorte", 1)
    assert "Emma Sørensen har meldt sig syg" in card_text(teams.cards_to("dorte")[0])


async def test_without_a_leader_the_report_goes_to_hr(bot, teams):
    await report_sick(teams, "chef")
    assert teams.texts_to("chef")[-2] == "Tak. Hanne HR (HR) har fået besked. God bedring!"
    await teams.wait_until("hanne", 1)
    assert "Chef Hansen har meldt sig syg" in card_text(teams.cards_to("hanne")[0])


async def test_without_a_leader_the_units_contact_person_gets_it(bot, teams):
    await Org(bot.sessions).unit("Ældreområdet", fallback_contact_id="d1")
    await report_sick(teams, "chef")
    assert teams.texts_to("chef")[-2] == (
        "Tak. Dorte Nielsen (kontaktperson for din enhed) har fået besked. God bedring!"
    )
    await teams.wait_until("dorte", 1)


async def test_child_sick_day_is_its_own_type_for_one_day(bot, teams):
    for answer in ("syg", "4", "i dag", "ved ikke", "spring over", "send"):
        await teams.say("emma", answer)
    [absence] = await absences(bot)
    assert absence.kind == AbsenceKind.CHILD_SICK and absence.last_day == absence.first_day
    await teams.wait_until("lars", 1)
    # Worded for the child (issue 14): no get-well wishes, no question about other tasks.
    text = card_text(teams.cards_to("lars")[0])
    assert "Emma Sørensen bliver hjemme med sit syge barn" in text
    assert "God bedring" not in text and "andre opgaver" not in text


async def test_unanswered_report_is_reminded_then_escalated_in_working_hours(bot, teams, clock):
    await report_sick(teams, "emma")  # Tuesday 09:00
    await teams.wait_until("lars", 1)
    nudge = bot.app[NUDGE]
    clock.advance(hours=3, minutes=59)
    await nudge()
    assert len(teams.to("lars")) == 1
    clock.advance(minutes=1)  # 13:00 = 4 working hours
    await nudge()
    await teams.wait_until("lars", 2)
    assert teams.texts_to("lars")[-1] == (
        "Påmindelse: Emma Sørensens sygemelding fra 24/11 kl. 09.00 er ikke besvaret endnu."
    )
    await nudge()
    assert len(teams.to("lars")) == 2  # reminded once
    clock.advance(hours=3)  # 16:00, after working hours: 7 of 8 hours have passed
    await nudge()
    assert teams.to("chef") == []
    clock.advance(hours=16)  # Wednesday 08:00 + ... 09:00 = 8 working hours
    await nudge()
    assert teams.to("chef") == []
    clock.advance(hours=1)
    await nudge()
    await teams.wait_until("chef", 1)
    assert teams.texts_to("chef")[-1].startswith(
        "Emma Sørensens sygemelding fra 24/11 kl. 09.00 er ikke besvaret af Lars Jensen"
    )


async def test_weekend_report_is_delivered_at_once_and_reminded_monday_0800(bot, teams, clock):
    clock.set(datetime(2026, 11, 28, 10, 0, tzinfo=COPENHAGEN))  # Saturday
    await report_sick(teams, "emma", first="i dag")
    await teams.wait_until("lars", 1)  # delivered at once
    nudge = bot.app[NUDGE]
    clock.set(datetime(2026, 11, 30, 7, 59, tzinfo=COPENHAGEN))
    await nudge()
    assert len(teams.to("lars")) == 1
    clock.set(datetime(2026, 11, 30, 8, 0, tzinfo=COPENHAGEN))
    await nudge()
    await teams.wait_until("lars", 2)
    assert teams.texts_to("lars")[-1].startswith("Påmindelse: Emma Sørensens sygemelding fra 28/11")


async def test_a_report_of_someone_who_has_left_is_still_reminded_and_can_be_acted_on(
    bot, teams, clock
):
    await report_sick(teams, "emma")
    await teams.wait_until("lars", 1)
    card = teams.cards_to("lars")[0]
    await Org(bot.sessions).person("e1", status=EmploymentStatus.LEFT, left_on=date(2026, 11, 24))
    clock.advance(hours=4)
    await bot.app[NUDGE]()  # one leaver must not stop the job for everyone
    await teams.wait_until("lars", 2)
    assert teams.texts_to("lars")[-1].startswith("Påmindelse: Emma Sørensens sygemelding")
    await teams.click("lars", action(card, "Jeg ringer til dig i dag"))
    [update_call] = await teams.wait_for_update(1)
    assert "✓" in card_text(update_call.body["attachments"][0]["content"])


async def test_an_acknowledged_report_is_not_reminded(bot, teams, clock):
    await report_sick(teams, "emma")
    await teams.wait_until("lars", 1)
    await teams.click("lars", action(teams.cards_to("lars")[0], "Jeg ringer til dig i dag"))
    clock.advance(days=2)
    await bot.app[NUDGE]()
    assert not any("Påmindelse" in t for t in teams.texts_to("lars"))


async def test_full_raskmelding_closes_the_period_and_tells_the_leader(bot, teams):
    await report_sick(teams, "emma")
    await teams.say("emma", "rask")
    await teams.say("emma", "i morgen")
    await teams.say("emma", "fuld")
    assert (
        teams.texts_to("emma")[-1] == "Velkommen tilbage! Lars Jensen (din leder) har fået besked."
    )
    [absence] = await absences(bot)
    assert absence.status == AbsenceStatus.CLOSED and absence.last_day == date(2026, 11, 24)
    await teams.stub.wait_for(
        lambda _s: "Emma Sørensen er rask fra onsdag 25/11." in teams.texts_to("lars")
    )


async def test_partial_raskmelding_needs_at_least_four_hours_off(bot, teams):
    await report_sick(teams, "emma")
    await teams.say("emma", "rask")
    await teams.say("emma", "i morgen")
    await teams.say("emma", "delvis")
    await teams.say("emma", "2 timer")
    assert "mindst 4 timer om ugen" in teams.texts_to("emma")[-1]
    await teams.say("emma", "10 timer")
    await teams.say("emma", "11/12")
    assert teams.texts_to("emma")[-1] == (
        "Tak. Du er registreret delvis syg fra onsdag 25/11 til og med fredag 11/12 "
        "(10 timer om ugen). Lars Jensen (din leder) har fået besked."
    )
    sick, partial = await absences(bot)
    assert sick.status == AbsenceStatus.CLOSED and sick.last_day == date(2026, 11, 24)
    assert partial.kind == AbsenceKind.PARTLY_SICK and partial.partial_hours_off == 10
    assert (partial.first_day, partial.last_day) == (date(2026, 11, 25), date(2026, 12, 11))
    await teams.stub.wait_for(
        lambda _s: any(
            t == "Emma Sørensen er delvis rask fra onsdag 25/11: syg 10 timer om ugen til og med "
            "fredag 11/12."
            for t in teams.texts_to("lars")
        )
    )


async def test_partial_raskmelding_in_percent(bot, teams):
    await report_sick(teams, "ali")
    for answer in ("fit", "tomorrow", "partly", "50%", "18/12"):
        await teams.say("ali", answer)
    assert "(50 %)" in teams.texts_to("ali")[-1]
    _sick, partial = await absences(bot)
    assert partial.partial_percent_off == 50


async def test_raskmelding_with_nothing_open_records_nothing(bot, teams):
    await teams.say("emma", "rask")
    assert teams.texts_to("emma")[-1].startswith("Du er ikke registreret syg")
    assert await absences(bot) == []


async def test_akutdag_is_approved_without_a_reason_and_never_counted_as_sickness(bot, teams):
    await teams.say("emma", "akutdag")
    assert "Du skal ikke give en grund" in card_text(teams.last_card("emma"))
    await teams.say("emma", "i morgen")
    await teams.say("emma", "omsorgsdag")
    assert teams.texts_to("emma")[-1] == (
        "Din anmodning om akutdag onsdag 25/11 er sendt til Lars Jensen (din leder). Du får svar her."
    )
    await teams.wait_until("lars", 1)
    card = teams.cards_to("lars")[0]
    assert "Emma Sørensen beder om en akutdag onsdag 25/11" in card_text(card)
    assert "Betales med: Omsorgsdag" in card_text(card)
    await teams.click("lars", action(card, "Godkend"))
    await teams.stub.wait_for(
        lambda _s: "Lars Jensen har godkendt din akutdag onsdag 25/11." in teams.texts_to("emma")
    )
    [absence] = await absences(bot)
    assert absence.kind == AbsenceKind.EMERGENCY_DAY and absence.status == AbsenceStatus.OPEN
    await teams.say("emma", "status")
    assert teams.texts_to("emma")[-1] == "Akutdag onsdag 25/11: godkendt."
    await teams.click("lars", action(card, "Afvis"))
    assert teams.texts_to("lars")[-1] == "Det er allerede gjort."


async def test_akutdag_can_be_declined_and_only_today_or_tomorrow(bot, teams):
    await teams.say("emma", "akutdag")
    await teams.say("emma", "30/11")
    assert teams.texts_to("emma")[-1].startswith("En akutdag kan være i dag eller i morgen")
    await teams.say("emma", "i dag")
    await teams.say("emma", "ferie")
    await teams.wait_until("lars", 1)
    await teams.click("lars", action(teams.cards_to("lars")[0], "Afvis"))
    await teams.stub.wait_for(
        lambda _s: any("afvist din akutdag" in t for t in teams.texts_to("emma"))
    )
    [absence] = await absences(bot)
    assert absence.status == AbsenceStatus.DECLINED


async def test_leader_registers_sick_and_fit_on_behalf_of_an_employee(bot, teams):
    await teams.say("lars", "registrér syg")
    choices = teams.last_card("lars")["body"][1]["choices"]
    assert {c["value"] for c in choices} == {"d1", "e1", "e2", "e3"}
    await teams.click("lars", {"kind": "on_behalf", "what": "sick"}, employee="e3")
    assert (
        teams.texts_to("lars")[-1]
        == "Mette Berg er registreret syg fra tirsdag 24/11 og har fået besked."
    )
    await teams.stub.wait_for(
        lambda _s: any("har registreret dig syg" in t for t in teams.texts_to("mette"))
    )
    [absence] = await absences(bot)
    assert (absence.employee_id, absence.reported_by, absence.channel) == ("e3", "l1", "on_behalf")
    await teams.say("lars", "registrér rask")
    assert [c["value"] for c in teams.last_card("lars")["body"][1]["choices"]] == ["e3"]
    await teams.click("lars", {"kind": "on_behalf", "what": "fit"}, employee="e3")
    assert (
        teams.texts_to("lars")[-1]
        == "Mette Berg er registreret rask fra onsdag 25/11 og har fået besked."
    )


async def test_only_the_leader_can_register_on_behalf(bot, teams):
    await teams.say("mette", "registrér syg")
    assert teams.texts_to("mette")[-1] == "Det kan kun ledere."
    await teams.click("mette", {"kind": "on_behalf", "what": "sick"}, employee="e1")
    await teams.click("chef", {"kind": "on_behalf", "what": "sick"}, employee="e1")  # not his staff
    assert teams.texts_to("mette")[-1] == "Den medarbejder er ikke en af dine."
    assert teams.texts_to("chef")[-1] == "Den medarbejder er ikke en af dine."
    assert await absences(bot) == []


async def test_status_shows_what_is_registered(bot, teams):
    await teams.say("emma", "status")
    assert teams.texts_to("emma")[-1].startswith("Du er ikke registreret syg")
    await report_sick(teams, "emma")
    await teams.say("emma", "status")
    assert teams.texts_to("emma")[-1] == (
        "Du er registreret: Syg siden tirsdag 24/11 (1 dagsværk indtil nu)."
    )


async def test_colleagues_are_never_told_and_the_note_reaches_only_the_leader(bot, teams):
    await report_sick(teams, "emma", note="Mine aftaler er flyttet")
    await teams.wait_until("lars", 1)
    async with bot.sessions() as session:
        rows = list(await session.scalars(select(OutboxMessage)))
    # The leader's card, and Emma's own receipt; the note only on the leader's.
    assert {row.recipient_id for row in rows} == {"l1", "e1"}
    assert all(("Mine aftaler" in str(row.payload)) == (row.recipient_id == "l1") for row in rows)
    for who in ("dorte", "ali", "mette", "chef", "hanne"):
        assert teams.to(who) == []


async def test_cancel_leaves_nothing(bot, teams):
    await teams.say("emma", "syg")
    await teams.say("emma", "1")
    await teams.say("emma", "fortryd")
    assert teams.texts_to("emma")[-1] == "Ok, intet er sendt."
    assert await absences(bot) == []
    await teams.say("emma", "i dag")
    assert teams.texts_to("emma")[-1].startswith("Det forstod jeg ikke")


async def test_unanswered_akutdag_is_reminded_as_akutdag_and_not_escalated(bot, teams, clock):
    for answer in ("akutdag", "i morgen", "ferie"):
        await teams.say("emma", answer)
    await teams.wait_until("lars", 1)
    clock.advance(days=1)
    await bot.app[NUDGE]()
    await teams.wait_until("lars", 2)
    assert (
        teams.texts_to("lars")[-1]
        == "Påmindelse: Emma Sørensen venter på svar om en akutdag onsdag 25/11."
    )
    assert teams.to("chef") == []


async def test_leaders_see_how_to_register_on_behalf_in_help(bot, teams):
    await teams.say("lars", "hjælp")
    await teams.say("emma", "hjælp")
    assert "registrér syg" in card_text(teams.last_card("lars"))
    assert "registrér syg" not in card_text(teams.last_card("emma"))


async def test_a_deputy_not_standing_in_cannot_act(bot, teams):
    """HR may act on any sick report (tests/e2e/test_scope.py); a deputy only while standing in."""
    await report_sick(teams, "emma")
    await teams.wait_until("lars", 1)
    mark = action(teams.cards_to("lars")[0], "Registrér som delvis syg")
    await teams.click("dorte", mark)  # Lars's deputy, but Lars is at work
    assert teams.texts_to("dorte")[-1].startswith("Du kan ikke handle på denne sag")
    [absence] = await absences(bot)
    assert absence.kind == AbsenceKind.SICK and absence.acknowledged_at is None


async def test_escalation_goes_up_the_employees_line_not_to_the_absent_leader(bot, teams, clock):
    await Org(bot.sessions).person(
        "l1", deputy_from=date(2026, 11, 23), deputy_to=date(2026, 11, 27)
    )
    await report_sick(teams, "emma")
    await teams.wait_until("dorte", 1)
    clock.advance(hours=8)  # 17:00: 7 working hours
    clock.advance(hours=16)  # Wednesday 09:00: 8 working hours
    await bot.app[NUDGE]()
    await teams.wait_until("chef", 1)
    assert "er ikke besvaret af Dorte Nielsen" in teams.texts_to("chef")[-1]
    assert teams.to("lars") == []


async def test_a_card_for_a_leader_who_never_opened_the_bot_waits_for_them(bot, stub):
    chat = Teams(bot, stub)
    await chat.hello("emma")
    await report_sick(chat, "emma")
    assert chat.texts_to("emma")[-2].startswith("Tak. Lars Jensen (din leder) har fået besked.")
    for _ in range(200):  # until the background sender has tried and parked it
        async with bot.sessions() as session:
            # The leader's card (Emma's receipt goes through the outbox too).
            [card] = list(
                await session.scalars(
                    select(OutboxMessage).where(OutboxMessage.recipient_id == "l1")
                )
            )
        if card.last_error and card.status == "pending":
            break
        await asyncio.sleep(0.01)
    assert card.attempts == 0 and "no Teams address" in card.last_error
    await chat.say("lars", "hjælp")  # Lars installs naervaer
    await chat.stub.wait_for(
        lambda _s: any(
            "Emma Sørensen har meldt sig syg" in card_text(c) for c in chat.cards_to("lars")
        )
    )


async def test_akutdag_can_be_asked_again_after_a_decline(bot, teams):
    for answer in ("akutdag", "i dag", "ferie"):
        await teams.say("emma", answer)
    await teams.wait_until("lars", 1)
    await teams.click("lars", action(teams.cards_to("lars")[0], "Afvis"))
    for answer in ("akutdag", "i dag", "afspadsering"):
        await teams.say("emma", answer)
    assert teams.texts_to("emma")[-1].startswith("Din anmodning om akutdag tirsdag 24/11 er sendt")
    assert [a.status for a in await absences(bot)] == [
        AbsenceStatus.DECLINED,
        AbsenceStatus.REQUESTED,
    ]


async def test_partly_back_and_fully_ill_again_is_a_new_report(bot, teams, clock):
    await report_sick(teams, "emma")
    for answer in ("rask", "i morgen", "delvis", "10 timer", "11/12"):
        await teams.say("emma", answer)
    clock.advance(days=7)  # Tuesday 1 December
    await report_sick(teams, "emma")
    assert teams.texts_to("emma")[-2].startswith("Tak. Lars Jensen (din leder) har fået besked.")
    _sick, partial, again = await absences(bot)
    assert partial.status == AbsenceStatus.CLOSED and partial.last_day == date(2026, 11, 30)
    assert again.kind == AbsenceKind.SICK and again.first_day == date(2026, 12, 1)


async def test_hr_registering_on_behalf_still_tells_the_nearest_leader(bot, teams):
    await teams.click("hanne", {"kind": "on_behalf", "what": "sick"}, employee="e1")
    await teams.wait_until("lars", 1)
    text = card_text(teams.cards_to("lars")[0])
    assert "Emma Sørensen har meldt sig syg" in text and "Registreret af Hanne HR." in text


async def test_a_button_on_an_old_card_is_not_taken_for_the_current_step(bot, teams):
    await teams.say("emma", "syg")
    quick_card = teams.last_card("emma")
    await teams.say("emma", "1")
    await teams.click("emma", action(quick_card, "Send"))
    assert teams.texts_to("emma")[-1].startswith("Den knap hører til et tidligere trin")
    await teams.say("emma", "i dag")
    assert "Hvornår regner du med at være tilbage?" in card_text(teams.last_card("emma"))


async def test_help_in_the_middle_keeps_the_dialog(bot, teams):
    for answer in ("syg", "1", "i dag"):
        await teams.say("emma", answer)
    await teams.say("emma", "hjælp")
    assert teams.last_card("emma")["body"][0]["text"] == "naervaer — det kan jeg"
    await teams.say("emma", "ved ikke")
    await teams.say("emma", "nej tak")  # no note
    await teams.say("emma", "send")
    [absence] = await absences(bot)
    assert absence.note is None
