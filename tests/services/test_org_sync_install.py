"""Install the Teams app for everyone who lacks it, through the Graph stub (issue 19)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.graph.client import GraphClient
from bot.graph.entra import EntraDirectory
from services.app_install import AppInstalls
from tests.graph_stub import GraphStub, build_tenant, client_for
from tests.services.test_org_sync import org_sync

APP = "a1b2c3d4-0000-4000-8000-00000000cafe"


@pytest.fixture
async def graph() -> AsyncIterator[GraphStub]:
    async with GraphStub() as stub:
        yield stub


@pytest.fixture
async def client(graph: GraphStub) -> AsyncIterator[GraphClient]:
    running = client_for(graph)
    yield running
    await running.close()


async def test_install_for_everyone_reaches_all_and_is_idempotent(sessions, graph, client, clock):
    ids = build_tenant(graph, 2000)
    await org_sync(sessions, client, clock).run()
    graph.users[ids[5]].apps.add(APP)  # installed by hand: Graph answers 409
    graph.fail_next(429, kind="install", retry_after=1, times=3)
    installs = AppInstalls(sessions, EntraDirectory(client), APP, clock)

    assert (await installs.run(dry_run=True)).lacking == 2000
    assert graph.installed(APP) == {ids[5]}
    first = await installs.run()
    assert (first.installed, first.already, first.failed) == (1999, 1, {})
    assert graph.installed(APP) == set(ids)
    assert client.waited == 3

    graph.calls.clear()
    again = await installs.run()
    assert (again.lacking, again.installed) == (0, 0)
    assert graph.of("install") == []


async def test_install_failures_are_reported_and_retried_next_time(sessions, graph, client, clock):
    ids = build_tenant(graph, 30)
    await org_sync(sessions, client, clock).run()
    graph.fail_next(403, kind="install", retry_after=None)
    installs = AppInstalls(sessions, EntraDirectory(client), APP, clock)
    first = await installs.run()
    assert first.installed == 29 and len(first.failed) == 1
    assert "403" in next(iter(first.failed.values()))
    second = await installs.run()
    assert (second.lacking, second.installed) == (1, 1)
    assert graph.installed(APP) == set(ids)
