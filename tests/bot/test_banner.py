"""The start banner: read from the database and the Playground's persona folders, in the
installation's language."""

from __future__ import annotations

import os
import signal
import subprocess
import urllib.request
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.banner import (
    MAX_UNITS,
    Organisation,
    UnitLine,
    banner,
    mock_users,
    read_organisation,
    render,
)
from bot.cli_database import org_import
from bot.cli_demo import DEMO_ORG
from bot.settings import Settings
from rules.policy import POLICY_DIR, load_policies
from storage.org_import import import_org_file
from storage.store import Store
from tests.conftest import free_port
from tests.e2e.playground import ROOT, missing_tools


async def _demo_organisation(sessions: async_sessionmaker[AsyncSession]) -> Organisation:
    await import_org_file(sessions, DEMO_ORG, date(2026, 11, 24), load_policies(POLICY_DIR))
    async with sessions() as session:
        return await read_organisation(Store(session), mock_users())


async def test_the_banner_names_units_leaders_and_the_personas_to_play(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    org = await _demo_organisation(sessions)
    text = render("da", "http://127.0.0.1:3978", org)

    assert "http://127.0.0.1:3978/api/messages" in text
    assert "http://127.0.0.1:3978/tab/demo" in text
    assert "Ctrl+C" in text
    solgarden = next(line for line in text.splitlines() if "Plejecenter Solgården" in line)
    assert "leder: Megan Bowen" in solgarden
    employee = next(line for line in text.splitlines() if "PERSONA=employee" in line)
    assert "make playground PERSONA=employee" in employee and "Alex Wilber" in employee
    leader = next(line for line in text.splitlines() if "PERSONA=leader" in line)
    assert "Megan Bowen, leder af Plejecenter Solgården" in leader
    english = next(line for line in text.splitlines() if "PERSONA=english" in line)
    assert "Adele Vance" in english and "på engelsk" in english
    # Every person counted once, in the unit at the top of the tree.
    assert org.people == sum(u.people for u in org.shown if u.depth == 0)


async def test_in_english_and_without_the_people_the_playground_does_not_know(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    org = await _demo_organisation(sessions)
    text = render("en", "http://127.0.0.1:3978", org)
    assert "Megan Bowen, leader of Plejecenter Solgården" in text
    assert "Adele Vance, employee of Megan Bowen" in text and "in English" not in text
    assert "Alex Wilber, employee of Megan Bowen, in Danish" in text
    async with sessions() as session:
        strangers = await read_organisation(Store(session), {"ghost": {"aadObjectId": "x"}})
    assert strangers.personas == () and strangers.people == org.people


def test_many_units_are_cut_short_and_an_empty_database_says_what_to_do() -> None:
    units = tuple(UnitLine(f"Enhed {i}", 1, 3, ()) for i in range(MAX_UNITS))
    many = render(
        "da", "http://h:1", Organisation(people=40, units=MAX_UNITS + 3, shown=units, personas=())
    )
    assert "… og 3 enheder mere" in many and "PERSONA" not in many

    empty = render("en", "http://h:1", Organisation(people=0, units=0, shown=(), personas=()))
    assert "naervaer org import FILE" in empty and "/tab/demo" not in empty


def test_banner_reads_the_configured_database(tmp_path: Path) -> None:
    port = free_port()
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}",
        port=port,
        default_locale="en-GB",
        _env_file=None,  # type: ignore[call-arg]
    )
    assert "No employees yet" in banner(settings)
    assert org_import(settings, DEMO_ORG) == 0

    text = banner(settings)

    assert f"http://127.0.0.1:{port}/tab/demo" in text
    assert "make playground PERSONA=leader" in text
    assert "The organisation: 7 people in 3 units" in text


def test_make_playground_serves_the_emulator_as_the_persona(tmp_path: Path) -> None:
    """The command the banner shows: the pinned Playground, from the persona's folder."""
    missing = missing_tools()
    if missing:
        pytest.skip(missing)
    port = free_port()
    process = subprocess.Popen(
        ["make", "--no-print-directory", "playground", "PERSONA=leader", f"PLAYGROUND_PORT={port}"],
        cwd=ROOT,
        env={**os.environ, "TEAMSAPPTESTER_BROWSER": "none"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # make, its shell and node: stopped together below
    )
    try:
        assert process.stdout is not None
        said = []
        while not said or "Listening on" not in said[-1]:
            said.append(process.stdout.readline().decode())
            assert said[-1], f"the Playground did not start: {said}"
        assert any(f"open http://localhost:{port}" in line for line in said), said
        with urllib.request.urlopen(f"http://127.0.0.1:{port}", timeout=10) as page:
            assert "Agents Playground" in page.read().decode()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(10)
