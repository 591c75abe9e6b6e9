"""The follow-up conversation on record, over HTTP (issue 18): the leader marks it held with how,
who and what was agreed; the employee sees it and comments in the tab and gets it in the
export, never the private note; HR lists the § 7 a conversations held, missing and due as CSV
and JSON; Lemvig's area leader gets an advis; Viborg's overdue goes to HR, then the chef."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

from sqlalchemy import select

from bot.app import FOLLOW_UP
from storage.models import Absence, AbsenceKind, AbsenceStatus, FollowUpRecord, FollowUpStatus
from tests.builders import Org
from tests.conftest import COPENHAGEN
from tests.e2e.helpers import report_sick
from tests.e2e.teams import Teams, action, card_text

RECORD = {"how": "phone", "participants": "employee,leader,union_rep"}
AGREED = "partial_return,mulighedserklaering"


async def get(bot, path: str, token: str) -> tuple[int, str]:
    async with bot.http.get(f"{bot.url}{path}", headers={"Authorization": f"Bearer {token}"}) as r:
        return r.status, await r.text()


async def comment(bot, followup_id: int, token: str, body: object, json_body: bool = True):
    url = f"{bot.url}/tab/api/me/followups/{followup_id}/comment"
    headers = {"Authorization": f"Bearer {token}"}
    if json_body:
        async with bot.http.post(url, json=body, headers=headers) as r:
            return r.status, await r.json()
    async with bot.http.post(url, data="comment=x", headers=headers) as r:
        return r.status, None


async def records(bot) -> list[FollowUpRecord]:
    async with bot.sessions() as session:
        return list(await session.scalars(select(FollowUpRecord).order_by(FollowUpRecord.id)))


async def sick_since(bot, employee_id: str, first: date, last: date | None = None) -> None:
    async with bot.sessions.begin() as session:
        session.add(
            Absence(
                employee_id=employee_id,
                kind=AbsenceKind.SICK,
                status=AbsenceStatus.CLOSED if last else AbsenceStatus.OPEN,
                first_day=first,
                last_day=last,
                reported_by=employee_id,
                channel="chat",
                source_key=f"history-{employee_id}-{first}",
                created_at=datetime(2026, 10, 1, 9, 0, tzinfo=COPENHAGEN),
            )
        )


def followup_cards(teams: Teams, who: str) -> list[dict]:
    return [c for c in teams.cards_to(who) if "Opfølgning:" in card_text(c)]


async def test_a_held_conversation_is_on_record_for_the_employee_never_the_private_note(
    tab, stub, entra
):
    await Org(tab.sessions).follows_policy("Solgården", "norddjurs")
    teams = Teams(tab, stub)
    await teams.hello("chef", "lars", "emma")
    await report_sick(teams, "emma")
    await tab.app[FOLLOW_UP]()
    await stub.wait_for(lambda _s: len(followup_cards(teams, "lars")) == 1)
    card = followup_cards(teams, "lars")[0]
    held = action(card, "Holdt")
    # An unknown word changes nothing.
    await teams.click("lars", held, day="2026-11-24", how="fax")
    assert teams.texts_to("lars")[-1].startswith("Et af valgene kendes ikke")
    [record] = await records(tab)
    assert record.status == FollowUpStatus.OPEN
    await teams.click(
        "lars", held, day="2026-11-24", note="Lars' egen note", next_steps=AGREED, **RECORD
    )

    def updated(stub_) -> list[str]:
        return [card_text(u.body["attachments"][0]["content"]) for u in stub_.updates()]

    await stub.wait_for(lambda s: any("Samtalen:" in text for text in updated(s)))
    shown = next(text for text in updated(stub) if "Samtalen:" in text)
    assert (
        "Samtalen: Telefon. Deltagere: Medarbejderen, Lederen, Tillidsrepræsentant (TR). "
        "Aftalt: Delvis genoptagelse af arbejdet, Mulighedserklæring." in shown
    )
    assert "Lars' egen note" not in shown
    [record] = await records(tab)
    assert (record.held_how, record.participants, record.next_steps) == (
        "phone",
        ["employee", "leader", "union_rep"],
        ["partial_return", "mulighedserklaering"],
    )

    emma = entra.token("aad-emma")
    status, html = await get(tab, "/tab/api/mig", emma)
    assert status == 200 and "Mine samtaler" in html and "Telefon" in html
    assert "Tillidsrepræsentant (TR)" in html and "Mulighedserklæring" in html
    assert "Lars' egen note" not in html
    # Her comment is saved; a colleague's on her record, a form post, a bad id change nothing.
    assert await comment(tab, record.id, emma, {"comment": "=HYPERLINK(1) Enig"}) == (
        200,
        {"saved": True, "message": "Din kommentar er gemt."},
    )
    lars = entra.token("aad-lars")
    assert (await comment(tab, record.id, lars, {"comment": "Nej"}))[0] == 400
    assert (await comment(tab, record.id, emma, {}, json_body=False))[0] == 415
    assert (await comment(tab, 2**40, emma, {"comment": "x"}))[0] == 400
    assert (await comment(tab, record.id, emma, {"comment": "x" * 1001}))[0] == 400
    [record] = await records(tab)
    assert record.employee_comment == "=HYPERLINK(1) Enig"

    status, exported = await get(tab, "/tab/api/me/data.json", emma)
    assert '"samtaleform": "phone"' in exported and "mulighedserklaering" in exported
    assert "=HYPERLINK(1) Enig" in exported and "Lars' egen note" not in exported
    status, exported_csv = await get(tab, "/tab/api/me/data.csv", emma)
    assert "'=HYPERLINK(1) Enig" in exported_csv and "Lars' egen note" not in exported_csv


async def test_hr_lists_section_7a_conversations_held_missing_and_due_by_unit(tab, stub, entra):
    teams = Teams(tab, stub)
    await teams.hello("chef", "lars", "dorte", "emma", "mette", "hanne")
    await Org(tab.sessions).person("d1", name="=Dorte Nielsen")
    await sick_since(tab, "e1", date(2026, 10, 19))  # 4 weeks after: 16/11, passed
    await sick_since(tab, "d1", date(2026, 11, 2))  # 4 weeks after: 30/11, still due
    await sick_since(tab, "e3", date(2026, 10, 26), date(2026, 11, 20))  # held, below
    await tab.app[FOLLOW_UP]()
    talks = [r for r in await records(tab) if r.rule_id == "sygefravaerssamtale-uge-4"]
    assert sorted(r.employee_id for r in talks) == ["d1", "e1", "e3"]
    mette = next(r for r in talks if r.employee_id == "e3")

    def mettes_talk() -> list[dict]:
        return [
            c
            for c in followup_cards(teams, "lars")
            if "Mette Berg" in card_text(c) and "§ 7 a" in card_text(c)
        ]

    await stub.wait_for(lambda _s: len(mettes_talk()) == 1)
    [card] = mettes_talk()
    await teams.click(
        "lars", action(card, "Holdt"), day="2026-11-20", how="meeting", next_steps="return_plan"
    )

    hr = entra.token("aad-hr")
    status, text = await get(tab, "/tab/api/export/samtaler.json", hr)
    assert status == 200
    rows = {row["medarbejder_id"]: row for row in json.loads(text)}
    assert {k: rows[k]["status"] for k in rows} == {"e1": "missing", "d1": "due", "e3": "held"}
    assert rows["e1"]["foerste_fravaersdag"] == "2026-10-19" and rows["e1"]["frist"] == "2026-11-16"
    assert rows["d1"]["frist"] == "2026-11-30"
    assert (rows["e3"]["samtale_dato"], rows["e3"]["samtale_form"]) == ("2026-11-20", "meeting")
    assert rows["e3"]["aftalt"] == ["return_plan"] and rows["e3"]["enhed"] == "Solgården"
    assert mette.id

    status, text = await get(tab, "/tab/api/export/samtaler.csv", hr)
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert table[0][:4] == ["medarbejder_id", "navn", "enhed", "foerste_fravaersdag"]
    assert ["d1", "'=Dorte Nielsen"] in [row[:2] for row in table[1:]]
    # By unit; a leader gets nothing.
    assert json.loads((await get(tab, "/tab/api/export/samtaler.json?unit=HR", hr))[1]) == []
    lars = entra.token("aad-lars")
    assert json.loads((await get(tab, "/tab/api/export/samtaler.json", lars))[1]) == []
    status, html = await get(tab, "/tab/api/organisation", hr)
    assert "/tab/api/export/samtaler.csv" in html
    status, html = await get(tab, "/tab/api/organisation", lars)
    assert "/tab/api/export/samtaler.csv" not in html


async def test_lemvig_area_leader_gets_an_advis_beside_the_staff_leaders_card(tab, stub):
    await Org(tab.sessions).follows_policy("Solgården", "lemvig")
    teams = Teams(tab, stub)
    await teams.hello("chef", "lars", "emma")
    await sick_since(tab, "e1", date(2026, 11, 16))  # day 7 on Sunday 22/11
    await tab.app[FOLLOW_UP]()
    await stub.wait_for(lambda _s: any("Til orientering" in t for t in teams.texts_to("chef")))
    advis = next(t for t in teams.texts_to("chef") if "Til orientering" in t)
    assert advis.startswith("Til orientering: Lars Jensen har fået en opfølgning med Emma Sørensen")
    assert "sammenhængende dage" in advis
    assert any("Emma Sørensen" in card_text(c) for c in followup_cards(teams, "lars"))
    await tab.app[FOLLOW_UP]()  # a second tick tells nobody twice
    assert sum("Til orientering" in t for t in teams.texts_to("chef")) == 1


async def test_viborg_overdue_goes_to_hr_po_then_the_chef(tab, stub, clock):
    await Org(tab.sessions).follows_policy("Solgården", "viborg")
    teams = Teams(tab, stub)
    await teams.hello("chef", "lars", "emma", "hanne")
    await sick_since(tab, "e1", date(2026, 11, 2))
    await tab.app[FOLLOW_UP]()
    await stub.wait_for(
        lambda _s: any("§ 7 a" in card_text(c) for c in followup_cards(teams, "lars"))
    )
    # The § 7 a deadline is Monday 30/11; Viborg escalates 5 working days after it.
    clock.set(datetime(2026, 12, 7, 9, 0, tzinfo=COPENHAGEN))
    await tab.app[FOLLOW_UP]()
    await stub.wait_for(lambda _s: any("Følg op med chefen" in t for t in teams.texts_to("hanne")))
    to_hr = next(t for t in teams.texts_to("hanne") if "Følg op med chefen" in t)
    assert to_hr.startswith("Lars Jensens opfølgning med Emma Sørensen er 5 arbejdsdage over")
    assert "Følg op med chefen Chef Hansen, som følger op med lederen." in to_hr
    await stub.wait_for(lambda _s: any("over fristen" in t for t in teams.texts_to("chef")))


async def test_a_card_listed_on_request_shows_the_record_when_held(bot, stub):
    """Found in the Playground: a card from "opfølgning" has no outbox key to replace, and it
    showed a generic done state with the private note instead of the record."""
    await Org(bot.sessions).follows_policy("Solgården", "norddjurs")
    teams = Teams(bot, stub)
    await teams.hello("chef", "lars", "emma")
    await report_sick(teams, "emma")
    await bot.app[FOLLOW_UP]()
    await stub.wait_for(lambda _s: len(followup_cards(teams, "lars")) == 1)
    await teams.say("lars", "opfølgning")
    await stub.wait_for(lambda _s: len(followup_cards(teams, "lars")) == 2)
    held = action(followup_cards(teams, "lars")[-1], "Holdt")
    listed = teams.message_with("lars", held)
    await teams.click(
        "lars", held, day="2026-11-24", note="Lars' egen note", next_steps=AGREED, **RECORD
    )

    def shown() -> str:
        card = teams.card_now(listed) if listed else None
        return card_text(card) if card else ""

    await stub.wait_for(lambda _s: "Samtalen: Telefon." in shown())
    assert "Lars' egen note" not in shown()
