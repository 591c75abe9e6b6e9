"""Input no client should send, over HTTP on SQLite and PostgreSQL (issue 16): ids beyond the
database are refused politely in the person's language and change nothing; 5,000 levels of
nesting and lone surrogates do not fail the turn; names and free text are stored without bidi
or zero-width controls."""

from __future__ import annotations

import json
import logging

from sqlalchemy import select

from storage.models import AbsenceEvent, CheckIn, Kudos, TeamsUser
from tests.activities import card_action, execute_value, message
from tests.e2e.helpers import report_sick
from tests.e2e.teams import PEOPLE, action, card_text

REFUSED_DA = "Den knap kender jeg ikke. Skriv hjælp for at se, hvad jeg kan."
REFUSED_EN = "I do not know that button. Type help to see what I can do."


async def test_an_id_beyond_the_database_is_refused_politely_and_changes_nothing(teams, stub):
    await report_sick(teams, "emma")
    events, to_emma = await absence_events(teams.bot), teams.to("emma")
    card = next(c for c in teams.cards_to("lars") if "Send god bedring" in card_text(c))
    get_well = action(card, "Send god bedring")
    for forged in (2**31, 2**63, 10**30, -1, 0, 1.5, "9" * 40):
        body = await teams.execute("lars", {**get_well, "absence_id": forged})
        assert body["value"] == REFUSED_DA, forged
    await teams.click("lars", {**get_well, "absence_id": 2**63})
    assert teams.texts_to("lars")[-1] == REFUSED_DA.replace("hjælp", "**hjælp**")
    # Ali reads English: the refusal is in English.
    user, aad = PEOPLE["ali"]
    value = execute_value("followup_action", {"followup_id": 2**63, "action": "held"})
    body = await teams.invoke(card_action(stub.base_url, value, user=user, aad=aad))
    assert body["value"] == REFUSED_EN
    assert await absence_events(teams.bot) == events
    assert teams.to("emma") == to_emma  # no get-well wish went out


async def absence_events(bot) -> list[str]:
    async with bot.sessions() as session:
        return list((await session.scalars(select(AbsenceEvent.kind))).all())


async def test_deep_nesting_and_lone_surrogates_get_an_ordinary_answer(teams, stub, bot):
    await teams.say("emma", "status")
    ordinary = teams.texts_to("emma")[-1]
    for depth in (900, 5000):
        activity = message(stub.base_url, "status", user="29:emma", aad="aad-emma")
        activity["value"] = activity["channelData"]["deep"] = "NEST"
        body = json.dumps(activity).replace('"NEST"', '{"x":' * depth + "1" + "}" * depth)
        async with bot.http.post(
            f"{bot.url}/api/messages", data=body, headers={"Content-Type": "application/json"}
        ) as response:
            assert response.status == 202
        assert teams.texts_to("emma")[-1] == ordinary
    await teams.say("emma", "gul travlt \ud800 i dag\u202e")
    await teams.say("dorte", value={"kind": "kudos", "recipient": "e1", "message": "Tak\u200b 💛"})
    async with bot.sessions() as session:
        comment = (await session.scalars(select(CheckIn.comment))).one()
        kudos = (await session.scalars(select(Kudos.text))).one()
    assert comment == "travlt \ufffd i dag"
    assert kudos == "Tak 💛"
    assert not any("Beklager" in t for t in teams.texts_to("emma") + teams.texts_to("dorte"))


async def test_a_name_from_teams_is_stored_without_controls(bot, stub):
    activity = message(stub.base_url, "hjælp", user="29:emma", aad="aad-emma")
    activity["from"]["name"] = "\u202eEmma\u2069 Sørensen\u200b"
    assert (await bot.post(activity)).status == 202
    async with bot.sessions() as session:
        names = (await session.scalars(select(TeamsUser.name))).all()
    assert names == ["Emma Sørensen"]


async def test_an_activity_the_sdk_cannot_read_is_logged_on_one_line(bot, stub, caplog):
    activity = message(stub.base_url, "hjælp", user="29:emma", aad="aad-emma")
    activity["type"] = ""  # the SDK's models refuse it
    caplog.set_level(logging.INFO)
    assert (await bot.post(activity)).status == 400
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == [
        "invalid activity refused: ValidationError"
    ]
    assert not any(r.exc_info for r in caplog.records)
