"""Tell the unit, not the phone (issue 14, part 8): the unit's planner is told who is absent and
until when — never the kind or the note — and the receipt says so; over HTTP on SQLite and
PostgreSQL, in Danish and English, with the bad cases."""

from __future__ import annotations

from storage.models import EmploymentStatus
from tests.builders import Org
from tests.e2e.helpers import report_sick
from tests.e2e.teams import Teams, action, card_text

NOTE = "Jeg har flyttet mine aftaler til torsdag"
CALL = "Husk også at give din afdeling besked"


def said_to(teams: Teams, who: str) -> str:
    return "\n".join(teams.texts_to(who) + [card_text(c) for c in teams.cards_to(who)])


async def test_the_planner_hears_who_and_until_when_never_why(bot, teams):
    await Org(bot.sessions).unit("Solgården", planner_id="e3")
    await report_sick(teams, "emma", note=NOTE)
    await teams.stub.wait_for(lambda _s: len(teams.texts_to("mette")) >= 1)
    [notice] = teams.texts_to("mette")
    assert notice.startswith(
        "Emma Sørensen er fraværende i dag. Hvornår Emma Sørensen er tilbage, vides ikke endnu."
    )
    assert "planlægger for Solgården" in notice
    assert NOTE not in notice and "syg" not in notice.lower()
    receipt = said_to(teams, "emma")
    assert "Din enhed har også fået besked: Mette Berg (planlægger for Solgården)" in receipt
    assert CALL not in receipt
    await teams.wait_until("lars", 1)
    assert NOTE in card_text(teams.cards_to("lars")[0])  # the note stays with the leader


async def test_an_english_planner_hears_of_a_future_first_day_in_english(bot, teams):
    await Org(bot.sessions).unit("Solgården", planner_id="e2")
    await report_sick(teams, "emma", first="i morgen")
    await teams.stub.wait_for(lambda _s: len(teams.texts_to("ali")) >= 1)
    [notice] = teams.texts_to("ali")
    assert notice.startswith(
        "Emma Sørensen is absent from Wednesday 25 Nov. "
        "When Emma Sørensen will be back is not known yet."
    )
    assert "planner for Solgården" in notice


async def test_an_english_employee_reads_that_the_unit_knows(bot, teams):
    await Org(bot.sessions).unit("Solgården", planner_id="e3")
    await report_sick(teams, "ali")
    receipt = said_to(teams, "ali")
    assert "Your unit has been told too: Mette Berg (planner for Solgården)" in receipt
    assert "Remember to tell your department" not in receipt
    await teams.stub.wait_for(lambda _s: len(teams.texts_to("mette")) >= 1)
    assert teams.texts_to("mette")[0].startswith("Ali Khan er fraværende i dag.")


async def test_the_planner_reporting_sick_is_not_told_about_themself(bot, teams):
    await Org(bot.sessions).unit("Solgården", planner_id="e3")
    await report_sick(teams, "mette")
    assert CALL in said_to(teams, "mette")
    assert not any("fraværende" in t for t in teams.texts_to("mette"))


async def test_a_planner_who_has_left_is_not_told_and_the_receipt_stays(bot, teams):
    await Org(bot.sessions).unit("Solgården", planner_id="e3")
    await Org(bot.sessions).person("e3", status=EmploymentStatus.LEFT)
    await report_sick(teams, "emma")
    assert CALL in said_to(teams, "emma")
    assert "Din enhed har også fået besked" not in said_to(teams, "emma")
    assert teams.to("mette") == []


async def test_without_a_planner_the_receipt_is_as_before(bot, teams):
    await report_sick(teams, "emma")
    assert CALL in said_to(teams, "emma")


async def receipt(teams: Teams, who: str) -> dict:
    # Through the outbox: it may come just after the reply.
    def receipts() -> list[dict]:
        titles = ("Din sygemelding", "Your sick report")
        return [c for c in teams.cards_to(who) if card_text(c).startswith(titles)]

    await teams.stub.wait_for(lambda _s: bool(receipts()))
    return receipts()[-1]


async def test_a_corrected_return_and_a_withdrawal_reach_the_planner_who_was_told(bot, teams):
    await Org(bot.sessions).unit("Solgården", planner_id="e2")  # Ali reads English
    await report_sick(teams, "emma")
    await teams.stub.wait_for(lambda _s: len(teams.texts_to("ali")) == 1)
    card = await receipt(teams, "emma")
    await teams.click("emma", action(card, "Ret forventet tilbage"), day="2026-11-30")
    await teams.stub.wait_for(lambda _s: len(teams.texts_to("ali")) == 2)
    assert teams.texts_to("ali")[1].startswith(
        "Emma Sørensen is absent today, expected back Monday 30 Nov."
    )
    await teams.click("emma", action(card, "Træk tilbage"))
    await teams.stub.wait_for(lambda _s: len(teams.texts_to("ali")) == 3)
    assert teams.texts_to("ali")[2].startswith(
        "The absence of Emma Sørensen from Tuesday 24 Nov that you were told about has been "
        "withdrawn."
    )


async def test_a_withdrawal_without_a_planner_tells_nobody_else(bot, teams):
    await report_sick(teams, "emma")
    await teams.click("emma", action(await receipt(teams, "emma"), "Træk tilbage"))
    for who in ("ali", "mette", "dorte"):
        assert teams.to(who) == []


async def test_an_approved_akutdag_reaches_the_planner_a_requested_one_does_not(bot, teams):
    await Org(bot.sessions).unit("Solgården", planner_id="e3")
    for answer in ("akutdag", "i morgen", "omsorgsdag"):
        await teams.say("emma", answer)
    await teams.wait_until("lars", 1)
    assert teams.texts_to("mette") == []  # only asked for: nothing to plan around yet
    await teams.click("lars", action(teams.cards_to("lars")[0], "Godkend"))
    await teams.stub.wait_for(lambda _s: len(teams.texts_to("mette")) >= 1)
    [notice] = teams.texts_to("mette")
    assert notice.startswith(
        "Emma Sørensen er fraværende fra onsdag 25/11, forventet tilbage torsdag 26/11."
    ), notice
    assert "akutdag" not in notice.lower() and "omsorgsdag" not in notice.lower()
