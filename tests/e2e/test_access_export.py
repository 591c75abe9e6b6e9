"""The access export (GDPR art. 15, issue 15) over HTTP on SQLite and PostgreSQL: a person with
a bit of everything, exported from the Mig tab (JSON and CSV) and the command line, compared with
every row the tables hold about them."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import Column, func, select

from bot.app import FOLLOW_UP, GRAPH_JOBS
from bot.graph.entra import EntraDirectory
from bot.texts import t
from services.app_install import AppInstalls
from storage.access_export import AREAS, NOT_ABOUT, Area, exported_columns, plain
from storage.graph import Directory
from storage.models import AbsenceEvent, Base, Employee, FeedNotice, FollowUpRecord, Nudge
from tests.bot.test_cli import naervaer
from tests.builders import Org
from tests.conftest import running_bot
from tests.e2e.helpers import delivered, report_sick
from tests.e2e.tab_keys import LocalEntra
from tests.e2e.teams import PEOPLE, Teams, action, card_text
from tests.graph_stub import GraphStub

PRIVATE = "PRIVAT: Emma virkede presset af vagtplanen"
FORMULA = '=HYPERLINK("http://evil.example","klik")'


@pytest.fixture
async def graph() -> AsyncIterator[GraphStub]:
    async with GraphStub() as stub:
        for _user, aad in PEOPLE.values():
            stub.add_user(aad, aad.removeprefix("aad-"))
        yield stub


@pytest.fixture
async def tab(database_url, clock, stub, entra, graph):
    """The tab, with Graph (issue 19): Outlook while sick for those who ask, leaders' notices
    in the activity feed as well as the chat."""
    settings = {**entra.settings(), **graph.settings()}
    settings.update(outlook_while_sick="opt-in", leader_notices="both")
    async with running_bot(database_url, clock, **settings) as running:
        yield running


async def get(bot, path: str, token: str) -> tuple[int, str]:
    headers = {"Authorization": f"Bearer {token}"}
    async with bot.http.get(f"{bot.url}{path}", headers=headers) as response:
        return response.status, await response.text()


async def wait_card(teams: Teams, who: str, title: str) -> dict[str, Any]:
    def found() -> list[dict[str, Any]]:
        return [c for c in teams.cards_to(who) if title in card_text(c)]

    await teams.stub.wait_for(lambda _s: bool(found()))
    return found()[-1]


async def everything_about_emma(tab, teams: Teams, clock, entra: LocalEntra) -> None:
    """Emma's check-in with a formula for a comment, a withdrawn report, a report with a note
    that her leader marks as a partly sick work injury and answers, a follow-up he holds with a
    private note, skulderklap both ways, her own raskmelding, her leader's look at her absence
    calendar in the tab, a warning to him about her, and a dialog she left unfinished. From
    Graph: the app installed for her, her row in the directory mirror, her word on Outlook while
    sick and what her Outlook shows for her report."""
    await Org(tab.sessions).follows_policy("Solgården", "norddjurs")
    jobs = tab.app[GRAPH_JOBS]
    assert jobs.client is not None
    await AppInstalls(tab.sessions, EntraDirectory(jobs.client), "app", clock).run()
    # The mirror as the org sync stores it (its own tests read it from the stub): a sync here
    # would replace the small organisation this scenario is built on.
    mirror = {"displayName": "Emma Sørensen", "department": "Solgården", "manager": "aad-lars"}
    async with tab.sessions.begin() as session:
        await Directory(session).save(
            {"aad-emma": mirror},
            replace_all=False,
            delta_link="https://graph.example/delta?token=1",
            selected="displayName,department",
            now=clock.now(),
        )
    await teams.hello("emma", "lars", "dorte")
    await teams.say("emma", "outlook til")
    await teams.say("emma", f"gul {FORMULA}")
    await teams.say("emma", "Færre afbrydelser")  # what would make it green
    await teams.say("dorte", "skulderklap emma Tak for i går")
    await report_sick(teams, "emma")
    await teams.click(
        "emma", action(await wait_card(teams, "emma", "Din sygemelding"), "Træk tilbage")
    )
    await report_sick(teams, "emma", note="Jeg bytter vagt med Dorte")
    await jobs.show_in_outlook()
    card = await wait_card(teams, "lars", "Jeg bytter vagt")
    await teams.click("lars", action(card, "Markér som arbejdsskade"))
    await teams.click("lars", action(card, "Registrér som delvis syg"), amount="10 timer")
    await teams.click("lars", action(card, "Send god bedring"), message="God bedring, Emma!")
    await tab.app[FOLLOW_UP]()
    followup = await wait_card(teams, "lars", "Opfølgning: Emma")
    await teams.click("lars", action(followup, "Holdt"), day="2026-11-24", note=PRIVATE)
    clock.advance(days=1)
    for answer in ("rask", "i morgen", "fuld"):
        await teams.say("emma", answer)
    await teams.say("emma", "skulderklap dorte Tak for hjælpen")
    status, _ = await get(tab, "/tab/api/person?id=e1", entra.token("aad-lars"))
    assert status == 200
    # A warning to her leader after three red days (the warning itself has its own test).
    async with tab.sessions.begin() as session:
        session.add(
            Nudge(leader_id="l1", subject_id="e1", kind="red_streak", sent_on=clock.now().date())
        )
    await teams.say("emma", "akutdag")  # and left unfinished: a dialog in the middle


# Columns naming a person without a foreign key to employees: their own row, and ids as text.
NAMING_AS_TEXT = {
    "employees.id",
    "audit_log.subject_id",
    "nudges.subject_id",
    "feed_notices.recipient_id",
    "outlook_choices.employee_id",
    "outlook_absences.employee_id",
}
# Columns naming a person by their Entra object id.
NAMING_BY_ENTRA_ID = {"directory_users.id", "app_installs.aad_object_id"}
# What the scenario cannot leave about Emma, and why (each is checked on someone else below).
NONE_ABOUT_EMMA = {
    "feed_notices.recipient_id": "activity feed notices go to leaders, and Emma leads no one",
}


def names_a_person(column: Column[Any]) -> bool:
    employees = Employee.__table__.c.id
    named = f"{column.table.name}.{column.name}"
    return (
        named in NAMING_AS_TEXT
        or named in NAMING_BY_ENTRA_ID
        or any(fk.column is employees for fk in column.foreign_keys)
    )


async def everything_stored_about(tab, person_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table that names the person, found by walking the schema rather than
    by the export's own queries, keyed "table.column" by the column that names them; and the
    history of their absence periods by the periods' ids."""
    found: dict[str, list[dict[str, Any]]] = {}
    async with tab.sessions() as session:
        aad = await session.scalar(select(Employee.aad_object_id).where(Employee.id == person_id))
        for table in Base.metadata.sorted_tables:
            for column in filter(names_a_person, table.columns):
                named = f"{table.name}.{column.name}"
                value = aad if named in NAMING_BY_ENTRA_ID else person_id
                rows = (await session.execute(select(table).where(column == value))).all()
                found[named] = [row._asdict() for row in rows]
        periods = [row["id"] for row in found["absences.employee_id"]]
        events = AbsenceEvent.__table__
        rows = (await session.execute(select(events).where(events.c.absence_id.in_(periods)))).all()
        found["absence_events.absence_id"] = [row._asdict() for row in rows]
    return found


def exported_fields(area: Area, row: dict[str, Any]) -> dict[str, Any]:
    """A stored row as the Danish export must show it: every column but those left out."""
    return {t("da", f"export_field_{c.key}"): plain(row[c.key]) for c in exported_columns(area)}


def sort_key(row: dict[str, Any]) -> str:
    return json.dumps(row, sort_keys=True, default=str)


async def feed_sent(tab) -> None:
    """Until the activity feed's sender is done (it changes the notices it sends)."""
    unsent = select(func.count()).where(FeedNotice.status.in_(("pending", "sending")))
    for _ in range(500):
        async with tab.sessions() as session:
            if not await session.scalar(unsent):
                return
        await asyncio.sleep(0.01)
    raise AssertionError("feed notices still unsent")


async def test_the_export_holds_every_row_and_field_stored_about_the_person_but_the_private_note(
    tab, stub, clock, entra, database_url, tmp_path
):
    teams = Teams(tab, stub)
    await everything_about_emma(tab, teams, clock, entra)
    await delivered(teams)  # the sender would change the messages between export and reading
    await feed_sent(tab)
    status, body = await get(tab, "/tab/api/me/data.json", entra.token("aad-emma"))
    assert status == 200
    data = json.loads(body)

    stored = await everything_stored_about(tab, "e1")
    by_subject = {f"{a.model.__tablename__}.{a.subject.key}": a for a in AREAS}
    someone_elses = {f"{c.class_.__tablename__}.{c.key}" for c in NOT_ABOUT}
    for naming, rows in stored.items():
        if naming in someone_elses:
            continue
        area = by_subject[naming]  # every column naming the person is an area or someone else's
        exported = data[t("da", f"export_area_{area.name}")]
        exported = [exported] if area.name == "person" else exported
        expected = [exported_fields(area, row) for row in rows]
        assert sorted(exported, key=sort_key) == sorted(expected, key=sort_key), area.name
        # The scenario leaves something of every kind (a test that cannot fail is a defect).
        assert rows or naming in NONE_ABOUT_EMMA, naming
    # Her leader's activity feed notices (about her follow-up) are in his export.
    [lars_notices] = [
        r for n, r in (await everything_stored_about(tab, "l1")).items() if n in NONE_ABOUT_EMMA
    ]
    status, lars_body = await get(tab, "/tab/api/me/data.json", entra.token("aad-lars"))
    assert status == 200 and lars_notices
    feed = by_subject["feed_notices.recipient_id"]
    expected = [exported_fields(feed, row) for row in lars_notices]
    exported = json.loads(lars_body)[t("da", f"export_area_{feed.name}")]
    assert sorted(exported, key=sort_key) == sorted(expected, key=sort_key)
    assert [o["kalenderaftale (id)"] is not None for o in data["Outlook under fravær"]] == [True]
    assert [c["slået til"] for c in data["Outlook under fravær: dit valg"]] == [True]
    # The scenario really stored what the export must show (a test that cannot fail is a defect).
    assert [a["status"] for a in data["fravær"]] == ["withdrawn", "closed"]
    absence = data["fravær"][1]
    assert absence["arbejdsskade"] is True and absence["timer fri om ugen (delvis)"] == 10.0
    assert absence["note"] == "Jeg bytter vagt med Dorte" and absence["meldt af"] == "e1"
    assert (absence["sendt til"], absence["modtager som"]) == ("l1", "leader")
    assert absence["sidste dag"] == "2026-11-25"  # her raskmelding: fit from Thursday
    history = [(e["art"], e["udført af"]) for e in data["fraværshistorik"]]
    for event in ("withdrawn", "e1"), ("work_injury", "l1"), ("mark_partial", "l1"):
        assert event in history, history
    assert ("get_well", "l1") in history and ("fit", "e1") in history, history
    [checkin] = data["tjek-ind"]
    assert (checkin["kommentar"], checkin["hvad skulle der til for grøn"]) == (
        FORMULA,
        "Færre afbrydelser",
    )
    [kudos] = data["skulderklap modtaget"]
    assert (kudos["fra"], kudos["tekst"]) == ("d1", "Tak for i går")
    assert [k["tekst"] for k in data["skulderklap sendt"]] == ["Tak for hjælpen"]
    assert [n["art"] for n in data["advarsler til din leder"]] == ["red_streak"]
    [dialog] = data["igangværende samtale"]
    assert dialog["samtale"] and dialog["hvor langt"]
    assert [v["udført af"] for v in data["hvem har set dine data"]] == ["l1"]
    assert data["personer nævnt"] == {"d1": "Dorte Nielsen", "l1": "Lars Jensen"}
    # The follow-up is there, its private note is not, and the export says why.
    [held] = data["opfølgninger"]
    assert held["status"] == "held" and held["holdt"] == "2026-11-24"
    async with tab.sessions() as session:
        assert await session.scalar(select(FollowUpRecord.private_note)) == PRIVATE
    assert "lederens egne arbejdsnoter" in data["om udtrækket"]["ikke med"]
    assert PRIVATE not in body and "presset" not in body

    # The CSV: the same facts, Excel-friendly, formulas neutralised.
    status, text = await get(tab, "/tab/api/me/data.csv", entra.token("aad-emma"))
    assert status == 200 and text.startswith("\ufeff") and "presset" not in text
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == ["område", "post", "felt", "værdi"]
    assert ["tjek-ind", "1", "kommentar", "'" + FORMULA] in rows
    assert ["fravær", "2", "arbejdsskade", "true"] in rows
    assert not [r for r in rows if r[3].startswith(("=", "+", "-", "@"))]
    facts = sum(len(v) if isinstance(v, dict) else sum(map(len, v)) for v in data.values())
    assert len(rows) == 1 + facts

    # The command line gives the same export, and the same CSV.
    env = {"NAERVAER_DATABASE_URL": database_url}
    out = tmp_path / "emma.json"
    result = naervaer("employee", "export", "e1", "--out", str(out), env=env)
    assert result.returncode == 0, result.stderr
    from_cli = json.loads(out.read_text(encoding="utf-8"))
    made = ("om udtrækket", "dannet")
    assert from_cli[made[0]].pop(made[1]) and data[made[0]].pop(made[1])  # run at other times
    assert from_cli == data
    result = naervaer("employee", "export", "e1", "--format", "csv", env=env)
    assert result.returncode == 0, result.stderr
    cli_rows = list(csv.reader(io.StringIO(result.stdout.removeprefix("\ufeff")), delimiter=";"))
    assert [r for r in cli_rows if r[2] != "dannet"] == [r for r in rows if r[2] != "dannet"]


async def test_an_english_speaker_gets_english_names(tab, stub, entra):
    teams = Teams(tab, stub)
    await teams.hello("ali")
    await teams.say("ali", "yellow -5 points for Monday")
    status, body = await get(tab, "/tab/api/me/data.json", entra.token("aad-ali"))
    data = json.loads(body)
    assert status == 200 and data["you"]["name"] == "Ali Khan"
    assert data["check-ins"][0]["comment"] == "-5 points for Monday"
    assert "leader's own working notes" in data["about this export"]["left out"]
    status, text = await get(tab, "/tab/api/me/data.csv", entra.token("aad-ali"))
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == ["area", "record", "field", "value"]
    assert ["check-ins", "1", "comment", "'-5 points for Monday"] in rows
    assert ["you", "1", "work injury", ""] not in rows  # a field of absences, not of a person
    assert ["you", "1", "language chosen", "en-GB"] in rows
