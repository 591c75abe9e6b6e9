"""Follow-up reminders over HTTP: cards with why, fraværskort and guide; actions; escalation."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from bot.app import FOLLOW_UP
from storage.models import (
    Absence,
    AbsenceKind,
    AbsenceStatus,
    Employee,
    FollowUpRecord,
    FollowUpStatus,
)
from tests.builders import Org
from tests.conftest import COPENHAGEN
from tests.e2e.helpers import report_sick
from tests.e2e.teams import Teams, action, card_text


@pytest.fixture
async def teams(bot, stub) -> Teams:
    await Org(bot.sessions).follows_policy("Solgården", "norddjurs")
    chat = Teams(bot, stub)
    await chat.hello("chef", "lars", "dorte", "emma", "ali", "mette", "hanne")
    return chat


async def records(bot) -> list[FollowUpRecord]:
    async with bot.sessions() as session:
        return list(await session.scalars(select(FollowUpRecord).order_by(FollowUpRecord.id)))


def followup_cards(teams: Teams, who: str) -> list[dict]:
    return [
        c
        for c in teams.cards_to(who)
        if "Opfølgning:" in card_text(c) or "Follow-up:" in card_text(c)
    ]


async def tick(bot, teams: Teams, clock, when: datetime) -> None:
    clock.set(when)
    await bot.app[FOLLOW_UP]()


async def test_norddjurs_day_1_and_day_3_reach_the_leader_with_why_calendar_and_guide(
    bot, teams, clock
):
    await report_sick(teams, "emma")  # Tuesday 24/11 09:00
    stored = await records(bot)
    assert [r.rule_id for r in stored] == ["kontakt-1-3-10"]  # evaluated at once, day 1
    await bot.app[FOLLOW_UP]()
    await teams.stub.wait_for(lambda _s: len(followup_cards(teams, "lars")) == 1)
    text = card_text(followup_cards(teams, "lars")[0])
    assert "Opfølgning: Emma Sørensen" in text
    assert "Arbejdsdag 1 af fraværet" in text and "1-3-10, Norddjurs" in text
    assert "🟥 tirsdag 24/11– Syg (åben) · 1 dagsværk" in text
    assert "Du må ikke spørge til årsag eller diagnose" in text
    assert "Vis omsorg og interesse" in text
    await bot.app[FOLLOW_UP]()  # a second tick sends nothing new
    await tick(bot, teams, clock, datetime(2026, 11, 25, 9, 0, tzinfo=COPENHAGEN))
    assert len(followup_cards(teams, "lars")) == 1
    await tick(bot, teams, clock, datetime(2026, 11, 26, 7, 59, tzinfo=COPENHAGEN))
    assert len(followup_cards(teams, "lars")) == 1  # due Thursday, but not before 08:00
    await tick(bot, teams, clock, datetime(2026, 11, 26, 8, 0, tzinfo=COPENHAGEN))
    await teams.stub.wait_for(lambda _s: len(followup_cards(teams, "lars")) == 2)
    assert "Arbejdsdag 3 af fraværet" in card_text(followup_cards(teams, "lars")[1])


async def test_held_snoozed_and_not_relevant(bot, teams, clock):
    await report_sick(teams, "emma")
    await bot.app[FOLLOW_UP]()
    await teams.stub.wait_for(lambda _s: len(followup_cards(teams, "lars")) == 1)
    card = followup_cards(teams, "lars")[0]
    held = action(card, "Holdt")
    await teams.click("lars", held, day="2026-11-24", note="Aftalt at ringe fredag")
    assert "Registreret." not in teams.texts_to("lars")  # the card says it (issue 14)
    [update_call] = await teams.wait_for_update(1)
    assert "✓ Holdt tirsdag 24/11" in card_text(update_call.body["attachments"][0]["content"])
    [record] = await records(bot)
    assert (record.status, record.private_note) == (FollowUpStatus.HELD, "Aftalt at ringe fredag")
    await teams.click("lars", held, day="2026-11-24")
    assert teams.texts_to("lars")[-1] == "Det er allerede gjort."

    await tick(bot, teams, clock, datetime(2026, 11, 26, 8, 0, tzinfo=COPENHAGEN))
    await teams.stub.wait_for(lambda _s: len(followup_cards(teams, "lars")) == 2)
    day3 = followup_cards(teams, "lars")[1]
    await teams.click("lars", action(day3, "Udsæt"), day="2026-11-20")
    assert teams.texts_to("lars")[-1].startswith("Vælg en dato")
    await teams.click("lars", action(day3, "Udsæt"), day="2026-11-27")
    await tick(bot, teams, clock, datetime(2026, 11, 27, 8, 0, tzinfo=COPENHAGEN))
    await teams.stub.wait_for(lambda _s: len(followup_cards(teams, "lars")) == 3)
    again = followup_cards(teams, "lars")[2]
    await teams.click("lars", action(again, "Ikke relevant"), reason="")
    assert teams.texts_to("lars")[-1].startswith("Skriv kort, hvorfor")
    await teams.click("lars", action(again, "Ikke relevant"), reason="Emma er tilbage")
    statuses = [r.status for r in await records(bot)]
    assert statuses == [FollowUpStatus.HELD, FollowUpStatus.DISMISSED]


async def test_a_colleague_cannot_act_on_a_follow_up(bot, teams):
    await report_sick(teams, "emma")
    await bot.app[FOLLOW_UP]()
    await teams.stub.wait_for(lambda _s: len(followup_cards(teams, "lars")) == 1)
    held = action(followup_cards(teams, "lars")[0], "Holdt")
    await teams.click("mette", held, day="2026-11-24")
    await teams.click("emma", held, day="2026-11-24")
    await teams.click("lars", {**held, "followup_id": 999}, day="2026-11-24")
    for who in ("mette", "emma", "lars"):
        assert teams.texts_to(who)[-1].startswith("Du kan ikke handle på denne sag")
    [record] = await records(bot)
    assert record.status == FollowUpStatus.OPEN


async def test_overdue_is_reminded_once_then_the_leader_above_gets_a_summary(bot, teams, clock):
    await report_sick(teams, "emma")
    await bot.app[FOLLOW_UP]()
    await teams.stub.wait_for(lambda _s: len(followup_cards(teams, "lars")) == 1)
    # Deadline Tuesday 24/11; Norddjurs has the default 2 and 5 working days.
    await tick(bot, teams, clock, datetime(2026, 11, 26, 9, 0, tzinfo=COPENHAGEN))
    await teams.stub.wait_for(
        lambda _s: any("skulle have været holdt" in t for t in teams.texts_to("lars"))
    )
    await tick(bot, teams, clock, datetime(2026, 11, 27, 9, 0, tzinfo=COPENHAGEN))
    assert sum("skulle have været holdt" in t for t in teams.texts_to("lars")) == 1
    assert teams.to("chef") == []
    await tick(bot, teams, clock, datetime(2026, 12, 1, 9, 0, tzinfo=COPENHAGEN))
    await teams.stub.wait_for(lambda _s: len(teams.texts_to("chef")) >= 1)
    summary = teams.texts_to("chef")[0]
    assert summary.startswith(
        "Lars Jensen har en opfølgning med Emma Sørensen, der er 5 arbejdsdage over fristen"
    )


async def test_english_leader_gets_english_follow_up(bot, teams):
    await Org(bot.sessions).reads_english("l1")
    await report_sick(teams, "emma")
    await bot.app[FOLLOW_UP]()
    await teams.stub.wait_for(lambda _s: len(followup_cards(teams, "lars")) == 1)
    text = card_text(followup_cards(teams, "lars")[0])
    assert "Follow-up: Emma Sørensen" in text and "Working day 1 of the absence" in text
    assert "You may not ask about cause or diagnosis" in text


async def test_digest_instead_of_one_card_each(bot, teams):
    await teams.say("lars", "opfølgning samlet")
    assert teams.texts_to("lars")[-1].startswith("Fra nu af får du én samlet oversigt")
    await report_sick(teams, "emma")
    await report_sick(teams, "mette")
    await bot.app[FOLLOW_UP]()
    await teams.stub.wait_for(
        lambda _s: any("Dagens opfølgninger (2)" in card_text(c) for c in teams.cards_to("lars"))
    )
    assert followup_cards(teams, "lars") == []
    await teams.say("lars", "opfølgning")
    assert teams.texts_to("lars")[-1] == "Du har 2 åbne opfølgninger:"
    assert len(followup_cards(teams, "lars")) == 2


async def test_viborg_gives_the_employee_an_advis_too(bot, teams):
    await Org(bot.sessions).follows_policy("Solgården", "viborg")
    # Two earlier short periods; today's report is the third within six months.
    async with bot.sessions.begin() as session:
        for n, first in enumerate((date(2026, 7, 1), date(2026, 9, 1))):
            session.add(
                Absence(
                    employee_id="e1",
                    kind=AbsenceKind.SICK,
                    status=AbsenceStatus.CLOSED,
                    first_day=first,
                    last_day=first,
                    reported_by="e1",
                    channel="chat",
                    source_key=f"history-{n}",
                    created_at=clock_now(),
                )
            )
    await report_sick(teams, "emma")
    await bot.app[FOLLOW_UP]()
    await teams.stub.wait_for(
        lambda _s: any("Din leder vil kontakte dig" in t for t in teams.texts_to("emma"))
    )
    assert any(r.rule_id == "tre-perioder-6-maaneder" for r in await records(bot))


def clock_now() -> datetime:
    return datetime(2026, 11, 1, 9, 0, tzinfo=COPENHAGEN)


async def test_opfolgning_with_nothing_open(bot, teams):
    await teams.say("lars", "opfølgning")
    assert teams.texts_to("lars")[-1] == "Du har ingen åbne opfølgninger."
    await teams.say("emma", "opfølgning samlet")
    assert teams.texts_to("emma")[-1] == "Det kan kun ledere."


async def test_each_leader_chooses_the_morning_time(bot, teams, clock):
    await teams.say("lars", "opfølgning kl 25:00")
    assert teams.texts_to("lars")[-1].startswith("Det kan jeg ikke læse som et klokkeslæt")
    await teams.say("emma", "opfølgning kl 9")
    assert teams.texts_to("emma")[-1].startswith("Det kan kun ledere")
    await teams.say("lars", "opfølgning kl 9:30")
    assert (
        teams.texts_to("lars")[-1] == "Fra nu af kommer dine opfølgninger kl. 09.30 på arbejdsdage."
    )
    await report_sick(teams, "emma")  # Tuesday 09:00: before Lars's own morning
    await bot.app[FOLLOW_UP]()
    assert followup_cards(teams, "lars") == []
    await tick(bot, teams, clock, datetime(2026, 11, 24, 9, 30, tzinfo=COPENHAGEN))
    await teams.stub.wait_for(lambda _s: len(followup_cards(teams, "lars")) == 1)


async def test_english_leader_sets_the_morning_time(bot, teams):
    await teams.say("ali", "followups at 7.15")
    assert teams.texts_to("ali")[-1].startswith("Only leaders")
    await Org(bot.sessions).reads_english("l1")
    await teams.say("lars", "followups at noon")
    assert teams.texts_to("lars")[-1].startswith("I cannot read that as a time of day")
    await teams.say("lars", "followups at 7.15")
    assert (
        teams.texts_to("lars")[-1] == "From now on your follow-ups arrive at 07:15 on working days."
    )
    async with bot.sessions() as session:
        lars = await session.get(Employee, "l1")
        assert lars is not None and str(lars.followup_morning) == "07:15:00"
