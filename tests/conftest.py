"""Shared fixtures: both databases, a frozen clock, the connector stub, a small organisation."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from scheduler.clock import FrozenClock
from storage.db import create_engine, session_factory, upgrade

PG_URL = os.environ.get("NAERVAER_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
# CI sets this: there PostgreSQL missing is a failure, never a skip.
PG_REQUIRED = os.environ.get("NAERVAER_REQUIRE_PG") == "1"
COPENHAGEN = ZoneInfo("Europe/Copenhagen")
SMALL_ORG = Path(__file__).parent / "data" / "small_org.csv"


async def reset_postgres(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()


async def empty_postgres() -> str:
    """The test database emptied, or a skip where PostgreSQL is not required and not running."""
    try:
        await reset_postgres(PG_URL)
    except OSError as error:
        if PG_REQUIRED:
            raise
        pytest.skip(f"PostgreSQL not reachable: {error}")
    return PG_URL


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of each kind; tests using it run once per kind."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'naervaer.db'}"
    return await empty_postgres()


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    await upgrade(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return session_factory(engine)


@pytest.fixture
def clock() -> FrozenClock:
    # A Tuesday morning in Copenhagen.
    return FrozenClock(datetime(2026, 11, 24, 9, 0, tzinfo=COPENHAGEN))


# --- the running server and its Teams side -------------------------------------------------

import socket  # noqa: E402
from dataclasses import dataclass  # noqa: E402

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402

from bot.app import SENDER, SESSIONS, create_app  # noqa: E402
from bot.settings import Settings  # noqa: E402
from scheduler.outbox import OutboxSender  # noqa: E402
from tests.connector_stub import ConnectorStub  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RunningBot:
    url: str
    app: web.Application
    http: aiohttp.ClientSession

    @property
    def sender(self) -> OutboxSender:
        return self.app[SENDER]

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        return self.app[SESSIONS]

    async def post(self, activity: dict, headers: dict | None = None) -> aiohttp.ClientResponse:
        async with self.http.post(f"{self.url}/api/messages", json=activity, headers=headers) as r:
            await r.read()
            return r


@pytest.fixture
async def stub() -> AsyncIterator[ConnectorStub]:
    async with ConnectorStub() as running:
        yield running


async def start_bot(settings: Settings, clock) -> tuple[web.AppRunner, RunningBot]:
    app = create_app(settings, clock=clock)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", settings.port)
    await site.start()
    http = aiohttp.ClientSession()
    return runner, RunningBot(f"http://127.0.0.1:{settings.port}", app, http)


@contextlib.asynccontextmanager
async def running_bot(
    database_url: str, clock: FrozenClock, org: Path = SMALL_ORG, **settings: Any
) -> AsyncIterator[RunningBot]:
    """The real server on a free port, with an organisation file (the small one) imported."""
    from storage.org_import import import_org_file

    # Tests type faster than people: the per-user turn limit has its own test.
    settings.setdefault("turns_per_minute", 600)
    # They also live days in seconds against a stub without Teams' per-conversation windows;
    # the send budget's own tests turn them on (tests/e2e/test_send_budget.py).
    settings.setdefault("teams_conversation_limits", False)
    config = Settings(_env_file=None, database_url=database_url, port=free_port(), **settings)  # type: ignore[call-arg]
    runner, running = await start_bot(config, clock)
    engine = create_engine(database_url)
    try:
        await import_org_file(session_factory(engine), org, clock.now().date())
    finally:
        await engine.dispose()
    try:
        yield running
    finally:
        await running.http.close()
        await runner.cleanup()


@pytest.fixture
async def bot(
    database_url: str, clock: FrozenClock, stub: ConnectorStub
) -> AsyncIterator[RunningBot]:
    async with running_bot(database_url, clock) as running:
        yield running
