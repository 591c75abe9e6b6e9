"""Two real server processes on one PostgreSQL deliver a shared outbox exactly once."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import func, select

from storage.db import create_engine, session_factory
from storage.models import OutboxMessage
from tests.conftest import empty_postgres, free_port
from tests.connector_stub import ConnectorStub
from tests.test_outbox import enqueue, make_people, statuses

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def postgres_url() -> str:
    return await empty_postgres()


async def wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(300):
            if process.poll() is not None:
                raise AssertionError(f"server exited:\n{log.read_text()}")
            try:
                async with http.get(f"{url}/readyz") as r:
                    if r.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"server not ready:\n{log.read_text()}")


async def test_two_server_processes_send_each_message_once(postgres_url, tmp_path):
    async with ConnectorStub() as stub:
        servers = []
        try:
            # Both start at once, so both try to migrate: the advisory lock must hold.
            for n in range(2):
                port = free_port()
                log = tmp_path / f"server{n}.log"
                env = {
                    **os.environ,
                    "NAERVAER_DATABASE_URL": postgres_url,
                    "NAERVAER_PORT": str(port),
                    "NAERVAER_OUTBOX_RATE": "50",
                }
                process = subprocess.Popen(
                    [sys.executable, "-m", "bot.cli", "serve"],
                    cwd=ROOT,
                    env=env,
                    stdout=log.open("wb"),
                    stderr=subprocess.STDOUT,
                )
                servers.append((f"http://127.0.0.1:{port}", process, log))
            for url, process, log in servers:
                await wait_ready(url, process, log)

            engine = create_engine(postgres_url)
            sessions = session_factory(engine)
            try:
                people = await make_people(sessions, stub, 300)
                stub.fail_next(100, 429, retry_after=1)
                await enqueue(sessions, [(f"m{i}", people[i % 300]) for i in range(2000)])
                await stub.wait_for(lambda s: len(set(s.texts())) >= 2000, timeout=150)
                await asyncio.sleep(0.5)  # would a late duplicate still arrive?
                assert (await statuses(sessions)) == Counter({"sent": 2000})
                async with sessions() as session:
                    workers = await session.scalar(
                        select(func.count(func.distinct(OutboxMessage.claimed_by)))
                    )
            finally:
                await engine.dispose()
        finally:
            for _url, process, _log in servers:
                process.terminate()
                process.wait(timeout=10)
        delivered = Counter(stub.texts())
        assert len(delivered) == 2000 and set(delivered.values()) == {1}
        assert sum(1 for call in stub.calls if call.status == 429) == 100
        assert workers == 2  # both processes took a share
