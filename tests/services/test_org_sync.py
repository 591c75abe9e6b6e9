"""The organisation from Entra ID through the Graph stub, on both databases (issue 19)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.graph.client import GraphClient
from bot.graph.entra import EntraDirectory
from services.org_sync import OrgSync, SyncOptions
from storage.models import DirectorySync, Employee, EmploymentStatus, Unit
from storage.org_import import OrgImportError
from tests.graph_stub import GraphStub, build_tenant, client_for

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


@pytest.fixture
async def graph() -> AsyncIterator[GraphStub]:
    async with GraphStub() as stub:
        yield stub


@pytest.fixture
async def client(graph: GraphStub) -> AsyncIterator[GraphClient]:
    running = client_for(graph)
    yield running
    await running.close()


def org_sync(sessions, client, clock, overrides: Path | None = None) -> OrgSync:
    options = SyncOptions(timezone=COPENHAGEN, overrides=overrides, policies=None)
    return OrgSync(sessions, EntraDirectory(client), options, clock)


async def employee(sessions, object_id: str) -> Employee:
    async with sessions() as session:
        row = await session.scalar(select(Employee).where(Employee.aad_object_id == object_id))
    assert row is not None
    return row


async def count(sessions, *where) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Employee).where(*where)))


async def test_a_2000_person_tenant_syncs_in_one_run_then_by_delta(sessions, graph, client, clock):
    ids = build_tenant(graph, 2000)
    sync = org_sync(sessions, client, clock)
    first = await sync.run()
    assert first.full and first.report.created == 2000
    assert await count(sessions, Employee.status == EmploymentStatus.ACTIVE) == 2000
    staff, old_leader, new_leader = ids[100], ids[91], ids[111]
    assert (await employee(sessions, staff)).leader_id == old_leader
    async with sessions() as session:
        unit = await session.get(Unit, "Enhed 4")
        assert unit is not None and unit.parent_id == "Område 4"

    graph.set_manager(staff, new_leader)
    graph.update_user(ids[150], accountEnabled=False)
    graph.calls.clear()
    second = await sync.run()
    assert not second.full and second.users_changed == 2
    assert [c.query.get("$deltatoken") is not None for c in graph.of("delta")] == [True]
    assert (await employee(sessions, staff)).leader_id == new_leader
    gone = await employee(sessions, ids[150])
    assert gone.status == EmploymentStatus.LEFT and gone.left_on == clock.now().date()
    assert second.report.left == 1 and second.report.updated == 1
    quiet = await sync.run()  # nothing changed in Entra: one request, nothing applied
    assert quiet.summary() == "Entra ID: no changes since the last sync."


async def test_a_manager_cycle_leaves_the_database_unchanged(sessions, graph, client, clock):
    ids = build_tenant(graph, 60)
    sync = org_sync(sessions, client, clock)
    await sync.run()
    async with sessions() as session:
        link = (await session.get(DirectorySync, "users")).delta_link
    graph.set_manager(ids[0], ids[11])  # the director now reports to a unit leader below them
    graph.set_manager(ids[20], ids[0])
    with pytest.raises(OrgImportError) as failed:
        await sync.run()
    assert "leader cycle" in str(failed.value)
    assert f"{ids[0]}@kommune.example.dk" in str(failed.value)  # named as in Entra
    assert (await employee(sessions, ids[0])).leader_id is None
    assert (await employee(sessions, ids[20])).leader_id == ids[11]
    async with sessions() as session:
        assert (await session.get(DirectorySync, "users")).delta_link == link

    graph.set_manager(ids[0], None)  # fixed in Entra: the next run applies all of it
    result = await sync.run()
    assert not result.full
    assert (await employee(sessions, ids[20])).leader_id == ids[0]


async def test_throttling_is_waited_out_and_pages_are_followed(sessions, graph, client, clock):
    build_tenant(graph, 450)
    graph.fail_next(429, kind="delta", retry_after=2, times=2)
    graph.fail_next(503, kind="delta", retry_after=1)
    result = await org_sync(sessions, client, clock).run()
    assert result.report.created == 450
    assert client.waited == 5
    assert len([c for c in graph.of("delta") if c.status == 200]) == 3  # 200 per page


async def test_a_deleted_user_leaves_and_a_disabled_manager_is_skipped(
    sessions, graph, client, clock
):
    ids = build_tenant(graph, 60)
    sync = org_sync(sessions, client, clock)
    await sync.run()
    graph.delete_user(ids[30])
    graph.update_user(ids[11], accountEnabled=False)  # a unit leader: staff go to the chief
    await sync.run()
    assert (await employee(sessions, ids[30])).status == EmploymentStatus.LEFT
    assert (await employee(sessions, ids[11])).status == EmploymentStatus.LEFT
    assert (await employee(sessions, ids[12])).leader_id == ids[1]


async def test_dry_run_changes_nothing(sessions, graph, client, clock):
    build_tenant(graph, 40)
    result = await org_sync(sessions, client, clock).run(dry_run=True)
    assert result.dry_run and result.report.created == 40
    assert "Dry run" in result.summary()
    assert await count(sessions) == 0
    async with sessions() as session:
        assert await session.get(DirectorySync, "users") is None


async def test_overrides_name_leaders_deputies_planners_and_unit_settings(
    sessions, graph, client, clock, tmp_path
):
    ids = build_tenant(graph, 60)
    overrides = tmp_path / "overrides.csv"
    overrides.write_text(
        "unit,person,leader,deputy,deputy_from,deputy_to,planner,policy,checkin_time,parent,role\n"
        f"Enhed 0,,,{ids[12]}@kommune.example.dk,,,{ids[13]},1-3-10,13:45,,\n"
        f",{ids[14]}@kommune.example.dk,,,,,,,,,hr\n",
        encoding="utf-8",
    )
    await org_sync(sessions, client, clock, overrides).run()
    async with sessions() as session:
        unit = await session.get(Unit, "Enhed 0")
        assert unit is not None
        assert (unit.planner_id, unit.policy_id, str(unit.checkin_time)) == (
            ids[13],
            "1-3-10",
            "13:45:00",
        )
    assert (await employee(sessions, ids[11])).deputy_id == ids[12]
    assert (await employee(sessions, ids[14])).role == "hr"


async def test_bad_overrides_are_reported_and_change_nothing(
    sessions, graph, client, clock, tmp_path
):
    build_tenant(graph, 30)
    overrides = tmp_path / "overrides.csv"
    overrides.write_text("unit,leader\nEnhed 0,nobody@example.dk\n", encoding="utf-8")
    with pytest.raises(OrgImportError, match=r"nobody active in Entra ID is 'nobody@example\.dk'"):
        await org_sync(sessions, client, clock, overrides).run()
    assert await count(sessions) == 0
