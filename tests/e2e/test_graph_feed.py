"""Leaders' notices in the Teams activity feed through the Graph stub (issue 19), on both
databases: NAERVAER_LEADER_NOTICES=feed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.app import FOLLOW_UP, NUDGE
from tests.builders import Org
from tests.conftest import RunningBot, running_bot
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
    settings = {**graph.settings(), "leader_notices": "feed"}
    async with running_bot(database_url, clock, **settings) as running:
        yield running


async def feed_of(graph: GraphStub, aad: str, kind: str, count: int = 1) -> list[dict]:
    for _ in range(500):
        found = [b for user, b in graph.notifications if user == aad and b["activityType"] == kind]
        if len(found) >= count:
            return found
        await asyncio.sleep(0.01)
    return found


async def test_a_follow_up_reminder_arrives_in_the_leaders_feed(bot, teams: Teams, graph):
    await Org(bot.sessions).follows_policy("Solgården", "norddjurs")
    await report_sick(teams, "emma")
    await bot.app[FOLLOW_UP]()
    await delivered(teams)
    [notice] = await feed_of(graph, "aad-lars", "followUpDue")
    assert "Emma Sørensen" in notice["previewText"]["content"]
    assert notice["templateParameters"] == [
        {"name": "notice", "value": notice["previewText"]["content"]}
    ]
    assert notice["topic"]["source"] == "text" and notice["topic"]["webUrl"].endswith("/tab")
    # The card to act on stays in the chat as well; a second tick notifies nobody again.
    assert any("Opfølgning: Emma Sørensen" in str(card) for card in teams.cards_to("lars"))
    await bot.app[FOLLOW_UP]()
    await delivered(teams)
    await asyncio.sleep(0.1)
    assert len(await feed_of(graph, "aad-lars", "followUpDue", 2)) == 1


async def test_an_unanswered_sick_report_is_reminded_in_the_feed_not_the_chat(
    bot, teams: Teams, graph, clock
):
    await report_sick(teams, "emma")
    chat_before = teams.texts_to("lars")
    clock.advance(hours=5)
    await bot.app[NUDGE]()
    await delivered(teams)
    [notice] = await feed_of(graph, "aad-lars", "sickReportUnanswered")
    assert "Påmindelse: Emma Sørensens sygemelding" in notice["previewText"]["content"]
    assert teams.texts_to("lars") == chat_before


async def test_a_throttled_feed_is_waited_out(bot, teams: Teams, graph, clock):
    graph.fail_next(429, kind="notify", retry_after=0.05, times=2)
    await report_sick(teams, "emma")
    clock.advance(hours=5)
    await bot.app[NUDGE]()
    await delivered(teams)
    assert len(await feed_of(graph, "aad-lars", "sickReportUnanswered")) == 1
    assert [c.status for c in graph.of("notify")] == [429, 429, 204]
