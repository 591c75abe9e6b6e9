"""`naervaer org sync` and `naervaer teams install` as an operator runs them, against the
Graph stub, on both databases (issue 19)."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.graph_stub import GraphStub, build_tenant

ROOT = Path(__file__).resolve().parents[2]
APP = "a1b2c3d4-0000-4000-8000-00000000cafe"


@pytest.fixture
async def graph() -> AsyncIterator[GraphStub]:
    async with GraphStub() as stub:
        yield stub


async def naervaer(database_url: str, graph: GraphStub, *args: str) -> tuple[int, str, str]:
    env = {
        **os.environ,
        "NAERVAER_DATABASE_URL": database_url,
        "NAERVAER_TEAMS_APP_CATALOG_ID": APP,
        **{f"NAERVAER_{k.upper()}": str(v) for k, v in graph.settings().items()},
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        *args,
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_dry_run_prints_the_changes_then_sync_and_install(database_url, graph):
    ids = build_tenant(graph, 60)
    code, out, err = await naervaer(database_url, graph, "org", "sync", "--dry-run")
    assert code == 0, err
    assert "Dry run, nothing changed" in out and "60 created" in out
    assert "joins: 60 people" in out

    code, out, err = await naervaer(database_url, graph, "org", "sync", "--install")
    assert code == 0, err
    assert "60 created" in out and "Teams app: 60 installed" in out
    assert graph.installed(APP) == set(ids)

    graph.set_manager(ids[20], ids[31])
    graph.update_user(ids[40], accountEnabled=False)
    code, out, err = await naervaer(database_url, graph, "org", "sync", "--dry-run")
    assert code == 0, err
    assert "new leader: Medarbejder 000020: Leder 0 -> Leder 1" in out
    assert "leaves: Medarbejder 000040" in out

    code, out, err = await naervaer(database_url, graph, "teams", "install")
    assert code == 0, err
    assert "0 installed" in out


async def test_a_manager_cycle_is_reported_with_exit_code_2(database_url, graph):
    ids = build_tenant(graph, 40)
    graph.set_manager(ids[0], ids[11])
    code, _out, err = await naervaer(database_url, graph, "org", "sync")
    assert code == 2
    assert "org sync failed, nothing was changed" in err and "leader cycle" in err
    assert f"{ids[0]}@kommune.example.dk" in err
