"""Outlook while sick through the Graph stub (issue 19), on both databases: a sick report
creates an out-of-office event and automatic replies; raskmelding shortens or removes them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime

import pytest

from bot.app import GRAPH_JOBS
from tests.conftest import COPENHAGEN, RunningBot, running_bot
from tests.e2e.helpers import delivered, report_sick
from tests.e2e.teams import PEOPLE, Teams
from tests.graph_stub import GraphStub


@pytest.fixture
async def graph() -> AsyncIterator[GraphStub]:
    async with GraphStub() as stub:
        for _user, aad in PEOPLE.values():
            stub.add_user(aad, aad.removeprefix("aad-"))
        yield stub


@pytest.fixture
async def bot(database_url, clock, stub, graph) -> AsyncIterator[RunningBot]:
    settings = {**graph.settings(), "outlook_while_sick": "opt-out"}
    async with running_bot(database_url, clock, **settings) as running:
        yield running


async def outlook(bot: RunningBot) -> None:
    await bot.app[GRAPH_JOBS].show_in_outlook()


async def test_a_sick_report_shows_away_and_raskmelding_shortens_it(
    bot, teams: Teams, graph, clock
):
    await report_sick(teams, "emma", note="ring efter frokost")
    await outlook(bot)
    emma = graph.users["aad-emma"]
    [event] = emma.events.values()
    assert (event["subject"], event["showAs"], event["isAllDay"]) == ("Fraværende", "oof", True)
    assert event["start"]["dateTime"] == "2026-11-24T00:00:00"
    assert event["end"] == {"dateTime": "2026-11-25T00:00:00", "timeZone": "Europe/Copenhagen"}
    replies = emma.mailbox["automaticRepliesSetting"]
    assert replies["status"] == "scheduled"
    assert replies["externalReplyMessage"] == "Jeg er fraværende og vender tilbage onsdag 25/11."
    sent = str([c.body for c in graph.calls])
    assert "frokost" not in sent and "syg" not in sent.lower()  # never the type or the note

    clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=COPENHAGEN))
    await outlook(bot)  # still away, no end known: one more day
    assert event["end"]["dateTime"] == "2026-11-26T00:00:00"
    assert emma.mailbox["automaticRepliesSetting"]["scheduledEndDateTime"]["dateTime"] == (
        "2026-11-26T00:00:00"
    )

    await teams.say("emma", "rask")
    await teams.say("emma", "i morgen")
    await teams.say("emma", "fuld")
    await delivered(teams)
    await outlook(bot)
    assert list(emma.events.values()) == [event]  # shortened to the last day away (today)
    assert event["end"]["dateTime"] == "2026-11-26T00:00:00"
    assert emma.mailbox["automaticRepliesSetting"] == {"status": "disabled"}

    calls = len(graph.calls)
    await outlook(bot)  # settled: nothing more to say to Graph
    assert len(graph.calls) == calls


async def test_raskmelding_after_the_last_day_removes_the_event(bot, teams: Teams, graph, clock):
    await report_sick(teams, "emma")
    await outlook(bot)
    assert len(graph.users["aad-emma"].events) == 1
    clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=COPENHAGEN))
    for text in ("rask", "i dag", "fuld"):
        await teams.say("emma", text)
    await delivered(teams)
    await outlook(bot)
    assert graph.users["aad-emma"].events == {}
    assert graph.users["aad-emma"].mailbox["automaticRepliesSetting"]["status"] == "disabled"


async def test_a_person_who_says_no_gets_nothing_and_failures_are_retried(bot, teams: Teams, graph):
    jobs = bot.app[GRAPH_JOBS]
    await jobs.outlook.choose("l1", False)  # Lars has said "outlook fra"
    graph.fail_next(503, kind="event", retry_after=0.01)
    await report_sick(teams, "emma")
    await report_sick(teams, "lars")
    await outlook(bot)  # Graph's 503 is retried by the client, within the call
    assert len(graph.users["aad-emma"].events) == 1
    assert graph.users["aad-lars"].events == {} and graph.users["aad-lars"].mailbox == {}


async def test_the_server_shows_it_on_its_own_tick(database_url, clock, stub, graph):
    """No one calls the job here: the running server's own schedule puts the absence up."""
    settings = {**graph.settings(), "outlook_while_sick": "opt-out", "tick_seconds": 0.3}
    async with running_bot(database_url, clock, **settings) as running:
        teams = Teams(running, stub)
        await teams.hello("lars", "emma")
        await report_sick(teams, "emma")
        for _ in range(100):
            if graph.users["aad-emma"].events:
                break
            await asyncio.sleep(0.1)
        [event] = graph.users["aad-emma"].events.values()
        assert event["showAs"] == "oof"
