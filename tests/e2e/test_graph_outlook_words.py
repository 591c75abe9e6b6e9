"""A person's own word on Outlook while sick, typed in the chat (issue 19), on both databases:
"outlook fra" / "ingen outlook" / "outlook off" and "outlook til" / "outlook on", answered with
what will really happen, and obeyed by the next sick report in the Graph stub."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app import GRAPH_JOBS
from storage.models import Absence, OutlookChoice
from tests.conftest import RunningBot, running_bot
from tests.e2e.helpers import report_sick
from tests.e2e.teams import PEOPLE, Teams, card_text
from tests.e2e.test_help_commands import NOT_UNDERSTOOD, assert_each_is_understood, shown_commands
from tests.graph_stub import GraphStub

OFF_FOR_YOU = "Outlook-visning er slået fra for dig"
ON_FOR_YOU = "Outlook-visning er slået til for dig"
OFF_HERE = "Outlook-visning er slået fra i kommunen"


@pytest.fixture
async def graph() -> AsyncIterator[GraphStub]:
    async with GraphStub() as stub:
        for _user, aad in PEOPLE.values():
            stub.add_user(aad, aad.removeprefix("aad-"))
        yield stub


@asynccontextmanager
async def chat(
    database_url: str, clock: Any, stub: Any, **settings: Any
) -> AsyncIterator[tuple[RunningBot, Teams]]:
    async with running_bot(database_url, clock, **settings) as bot:
        teams = Teams(bot, stub)
        await teams.hello("emma", "lars", "ali")
        yield bot, teams


async def answer(teams: Teams, who: str, text: str) -> str:
    before = len(teams.to(who))
    await teams.say(who, text)
    said = [c.body.get("text", "") for c in teams.to(who)[before:]]
    assert said, text
    return said[-1]


async def outlook(bot: RunningBot) -> None:
    await bot.app[GRAPH_JOBS].show_in_outlook()


async def choices(bot: RunningBot) -> dict[str, bool]:
    async with bot.sessions() as session:
        rows = await session.execute(select(OutlookChoice.employee_id, OutlookChoice.enabled))
        return {employee_id: enabled for employee_id, enabled in rows}


async def test_outlook_fra_keeps_a_sick_report_out_of_outlook_and_til_brings_it_back(
    database_url, clock, stub, graph
):
    settings = {**graph.settings(), "outlook_while_sick": "opt-out"}
    async with chat(database_url, clock, stub, **settings) as (bot, teams):
        said = await answer(teams, "emma", "outlook fra")
        assert said.startswith(OFF_FOR_YOU) and "outlook til" in said
        await report_sick(teams, "emma")
        await report_sick(teams, "lars")  # no word from him: on, as the municipality has it
        await outlook(bot)
        emma = graph.users["aad-emma"]
        assert emma.events == {} and emma.mailbox == {}
        assert not [c for c in graph.calls if "aad-emma" in c.path]
        assert len(graph.users["aad-lars"].events) == 1  # the job did run

        said = await answer(teams, "emma", "outlook til")  # while still sick
        assert said.startswith(ON_FOR_YOU) and "aldrig hvorfor" in said
        await outlook(bot)
        [event] = emma.events.values()
        assert (event["subject"], event["showAs"]) == ("Fraværende", "oof")
        assert emma.mailbox["automaticRepliesSetting"]["status"] == "scheduled"

        await answer(teams, "emma", "ingen outlook")  # and off again: what shows goes
        await outlook(bot)
        assert emma.events == {}
        assert emma.mailbox["automaticRepliesSetting"] == {"status": "disabled"}
        assert await choices(bot) == {"e1": False}


async def test_opt_in_shows_nothing_until_the_person_says_on_in_english_too(
    database_url, clock, stub, graph
):
    settings = {**graph.settings(), "outlook_while_sick": "opt-in"}
    async with chat(database_url, clock, stub, **settings) as (bot, teams):
        await report_sick(teams, "ali")
        await outlook(bot)
        assert graph.users["aad-ali"].events == {}  # opt-in: no word, nothing shown
        said = await answer(teams, "ali", "Outlook on!")
        assert said.startswith("Outlook is on for you") and "never why" in said
        await outlook(bot)
        [event] = graph.users["aad-ali"].events.values()
        assert event["showAs"] == "oof"
        said = await answer(teams, "ali", "outlook off")
        assert said.startswith("Outlook is off for you")
        await outlook(bot)
        assert graph.users["aad-ali"].events == {}


async def test_with_the_feature_off_the_answer_says_so_and_the_choice_is_kept(
    database_url, clock, stub, graph
):
    # Graph is there, but the municipality has Outlook while sick off.
    async with chat(database_url, clock, stub, **graph.settings()) as (bot, teams):
        said = await answer(teams, "emma", "outlook fra")
        assert said.startswith(OFF_HERE) and "forbliver den slået fra" in said
        said = await answer(teams, "lars", "outlook til")
        assert said.startswith(OFF_HERE) and "viser din Outlook" in said
        said = await answer(teams, "ali", "outlook on")
        assert said.startswith("Showing absence in Outlook is switched off")
        assert await choices(bot) == {"e1": False, "l1": True, "e2": True}
        await report_sick(teams, "lars")
        await outlook(bot)
        assert graph.of("event") == [] and graph.of("mailbox") == []
        assert "outlook" not in card_text(await help_card(teams, "emma"))


async def test_without_graph_outlook_is_off_here(database_url, clock, stub):
    async with chat(database_url, clock, stub, outlook_while_sick="opt-out") as (_bot, teams):
        assert (await answer(teams, "emma", "outlook til")).startswith(OFF_HERE)


async def help_card(teams: Teams, who: str) -> dict[str, Any]:
    await teams.say(who, "hjælp")
    return teams.last_card(who)


async def test_help_lists_the_words_where_outlook_is_on_and_each_works(
    database_url, clock, stub, graph
):
    settings = {**graph.settings(), "outlook_while_sick": "opt-in"}
    async with chat(database_url, clock, stub, **settings) as (_bot, teams):
        commands = await shown_commands(teams, "emma", "hjælp")
        assert {"outlook fra", "outlook til"} <= set(commands)
        await assert_each_is_understood(teams, "emma", ["outlook fra", "outlook til"])
        english = await shown_commands(teams, "ali", "help")
        assert {"outlook off", "outlook on"} <= set(english)


async def test_bad_variants_are_not_understood_and_change_nothing(database_url, clock, stub, graph):
    settings = {**graph.settings(), "outlook_while_sick": "opt-out"}
    async with chat(database_url, clock, stub, **settings) as (bot, teams):
        for text in ("outlook", "outlok fra", "outlookfra", "fra outlook", "outlook måske"):
            said = await answer(teams, "emma", text)
            assert said.startswith(NOT_UNDERSTOOD), (text, said)
        async with bot.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(OutlookChoice)) == 0


async def test_a_word_mid_report_keeps_the_report_going(database_url, clock, stub, graph):
    settings = {**graph.settings(), "outlook_while_sick": "opt-out"}
    async with chat(database_url, clock, stub, **settings) as (bot, teams):
        await teams.say("emma", "syg")
        await teams.say("emma", "1")
        assert (await answer(teams, "emma", "outlook fra")).startswith(OFF_FOR_YOU)
        for text in ("i dag", "ved ikke", "spring over", "send"):
            await teams.say("emma", text)
        await outlook(bot)
        assert graph.users["aad-emma"].events == {}
        async with bot.sessions() as session:
            reported = select(func.count()).where(Absence.employee_id == "e1")
            assert await session.scalar(reported) == 1  # the report went on to the end
