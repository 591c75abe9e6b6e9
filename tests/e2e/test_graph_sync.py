"""The running server with its organisation from Entra ID (the Graph stub), on both databases:
a 2,000-person tenant synced in one run and then by delta; a manager change re-routes the next
sick report; a disabled account becomes a leaver (issue 19)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.app import GRAPH_JOBS, JOBS
from storage.models import Employee, EmploymentStatus, TeamsUser
from tests.activities import message
from tests.conftest import RunningBot, running_bot
from tests.connector_stub import ConnectorStub
from tests.e2e.helpers import delivered
from tests.graph_stub import GraphStub, build_tenant


@pytest.fixture
async def graph() -> AsyncIterator[GraphStub]:
    async with GraphStub() as stub:
        yield stub


@pytest.fixture
async def server(database_url, clock, stub, graph) -> AsyncIterator[RunningBot]:
    settings = {**graph.settings(), "org_sync_minutes": 60}
    async with running_bot(database_url, clock, **settings) as running:
        yield running


class Person:
    def __init__(self, bot: RunningBot, stub: ConnectorStub, object_id: str) -> None:
        self.bot, self.stub, self.id = bot, stub, object_id
        self.user = f"29:{object_id}"

    async def say(self, *texts: str) -> None:
        for text in texts:
            activity = message(self.stub.base_url, text, user=self.user, aad=self.id)
            response = await self.bot.post(activity)
            assert response.status in (200, 202), response.status
        await delivered(_Chat(self.bot))

    def received(self) -> list[dict]:
        conversation = f"a:personal-{self.user}"
        return [c.body for c in self.stub.sent() if c.conversation_id == conversation]


class _Chat:
    def __init__(self, bot: RunningBot) -> None:
        self.bot = bot


async def report_sick(person: Person) -> None:
    await person.say("syg", "1", "i dag", "ved ikke", "spring over", "send")


async def test_a_synced_tenant_routes_sick_reports_by_entra_managers(server, stub, graph, clock):
    assert "org-sync" in server.app[JOBS].names()  # every hour; here run at once
    ids = build_tenant(graph, 2000)
    await server.app[GRAPH_JOBS].sync()
    staff, old, new = (Person(server, stub, ids[n]) for n in (100, 91, 111))
    for person in (staff, old, new):
        await person.say("hjælp")
    stub.clear()

    await report_sick(staff)
    assert len(old.received()) >= 1 and new.received() == []
    await staff.say("rask", "i morgen", "fuld")
    clock.advance(days=2)

    graph.set_manager(staff.id, new.id)
    graph.update_user(ids[150], accountEnabled=False)
    graph.calls.clear()
    await server.app[GRAPH_JOBS].sync()
    assert [c.query.get("$deltatoken") is not None for c in graph.of("delta")] == [True]

    stub.clear()
    await report_sick(staff)
    assert len(new.received()) >= 1 and old.received() == []
    async with server.sessions() as session:
        leaver = await session.scalar(select(Employee).where(Employee.aad_object_id == ids[150]))
        assert leaver is not None and leaver.status == EmploymentStatus.LEFT
        assert (
            await session.scalar(select(TeamsUser).where(TeamsUser.employee_id == leaver.id))
            is None
        )
