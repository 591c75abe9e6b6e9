"""`naervaer serve` in several processes on one port (bot/serving.py): tab connections go to the
tab worker, which still checks who is asking; turns go to the bot workers, which handle each
activity once between them; the workers go when the accepting process goes."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from scheduler.clock import SystemClock
from storage.db import create_engine, session_factory
from storage.org_import import import_org_file
from tests.activities import message
from tests.conftest import SMALL_ORG
from tests.connector_stub import ConnectorStub
from tests.e2e.tab_keys import LocalEntra
from tests.e2e.test_two_processes import ended, spawn, wait_ready


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(kid) for kid in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


async def message_turns(http: aiohttp.ClientSession, url: str) -> int:
    """The message turns counted by the worker that serves this connection."""
    async with http.get(f"{url}/metrics") as response:
        text = await response.text()
    found = re.search(r'^naervaer_turns_total\{type="message"\} (\S+)$', text, re.M)
    return int(float(found.group(1))) if found else 0


async def fresh_post(url: str, activity: dict) -> int:
    """On a connection of its own: the accepting process hands each to the next bot worker."""
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as http:
        async with http.post(f"{url}/api/messages", json=activity) as response:
            await response.read()
            return response.status


async def test_workers_answer_each_activity_once_and_the_tab_worker_checks_sign_ins(
    database_url, tmp_path
):
    postgres = database_url.startswith("postgresql")
    async with ConnectorStub() as stub, LocalEntra() as entra:
        env = {
            "NAERVAER_DATABASE_URL": database_url,
            "NAERVAER_WORKERS": "2" if postgres else "1",
            "NAERVAER_TAB_WORKER": "true",
            "NAERVAER_TURNS_PER_MINUTE": "600",
            **{f"NAERVAER_{k.upper()}": v for k, v in entra.settings().items()},
        }
        url, process, log = spawn(env, tmp_path / "server.log")
        try:
            await wait_ready(url, process, log)
            assert len(children(process.pid)) == (3 if postgres else 2)
            engine = create_engine(database_url)
            await import_org_file(session_factory(engine), SMALL_ORG, SystemClock().now().date())
            await engine.dispose()

            # The same activity, as Teams re-sends it, over four connections at once: the bot
            # workers take connections in turn, so both see it; one of them handles it.
            said = message(stub.base_url, "hjælp", user="29:emma", aad="aad-emma")
            statuses = await asyncio.gather(*(fresh_post(url, said) for _ in range(4)))
            assert set(statuses) <= {200, 202}
            await stub.wait_for(lambda s: len(s.sent()) >= 1, timeout=20)
            await asyncio.sleep(1.0)  # would a second answer still come?
            first = len(stub.sent())
            assert first >= 1  # the privacy notice and the help card, once
            await fresh_post(url, message(stub.base_url, "hjælp", user="29:emma", aad="aad-emma"))
            await stub.wait_for(lambda s: len(s.sent()) > first, timeout=20)
            await asyncio.sleep(0.5)
            assert len(stub.sent()) == first + 1  # once more, for the new activity only
            if postgres:
                counts = []
                for _ in range(2):
                    async with aiohttp.ClientSession(
                        connector=aiohttp.TCPConnector(force_close=True)
                    ) as http:
                        counts.append(await message_turns(http, url))
                assert sorted(counts) == [2, 3]  # 4 + 1 posts, split between the two

            async with aiohttp.ClientSession() as http:  # one kept-alive connection
                headers = {"Authorization": f"Bearer {entra.token('aad-lars')}"}
                async with http.get(f"{url}/tab/api/team", headers=headers) as response:
                    assert response.status == 200
                    assert "Emma Sørensen" in await response.text()
                # The connection is the tab worker's: it has taken no turn.
                assert await message_turns(http, url) == 0
                forged = {"Authorization": f"Bearer {entra.token('aad-lars', forged=True)}"}
                async with http.get(f"{url}/tab/api/team", headers=forged) as response:
                    assert response.status == 401
            async with aiohttp.ClientSession() as http:
                async with http.get(f"{url}/tab/api/team") as response:
                    assert response.status == 401
        finally:
            process.terminate()
            await ended(process, 30)
        assert process.returncode == 0, log.read_text()[-2000:]


async def test_the_workers_stop_when_the_server_is_killed(tmp_path):
    env = {
        "NAERVAER_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'n.db'}",
        "NAERVAER_TAB_WORKER": "true",
    }
    url, process, log = spawn(env, tmp_path / "server.log")
    try:
        await wait_ready(url, process, log)
        workers = children(process.pid)
        assert len(workers) == 2
        os.kill(process.pid, signal.SIGKILL)  # no goodbye: the workers see their channel close
        await ended(process, 10)
        for _ in range(100):
            if not any(alive(pid) for pid in workers):
                break
            await asyncio.sleep(0.1)
        assert not any(alive(pid) for pid in workers)
    finally:
        if process.poll() is None:
            process.kill()


async def test_a_worker_that_dies_takes_the_server_down_for_its_supervisor(tmp_path):
    env = {
        "NAERVAER_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'n.db'}",
        "NAERVAER_TAB_WORKER": "true",
    }
    url, process, log = spawn(env, tmp_path / "server.log")
    try:
        await wait_ready(url, process, log)
        first, second = children(process.pid)
        os.kill(first, signal.SIGKILL)
        await ended(process, 40)  # not half a server: all of it stops, to be restarted
        assert process.returncode == 1
        assert not alive(second)
    finally:
        if process.poll() is None:
            process.kill()


def test_several_bot_workers_need_postgresql(tmp_path):
    env = {
        **os.environ,
        "NAERVAER_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'n.db'}",
        "NAERVAER_WORKERS": "2",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "serve"],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert b"needs PostgreSQL" in done.stderr


@pytest.mark.parametrize(
    ("head", "tab"),
    [
        (b"GET /tab HTTP/1.1\r\n", True),
        (b"GET /tab/api/organisation HTTP/1.1\r\nHost: x\r\n", True),
        (b"GET /tab?theme=dark HTTP/1.1\r\n", True),
        (b"POST /api/messages HTTP/1.1\r\n", False),
        (b"GET /tabulator HTTP/1.1\r\n", False),
        (b"GET /healthz HTTP/1.1\r\n", False),
        (b"garbage", False),
    ],
)
def test_tab_connections_are_told_by_their_request_line(head, tab):
    from bot.serving import is_tab

    assert is_tab(head) is tab
