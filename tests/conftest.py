"""Shared fixtures: both databases, a frozen clock, the connector stub, a small organisation."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from scheduler.clock import FrozenClock
from storage.db import create_engine, session_factory, upgrade

PG_URL = os.environ.get(
    "NAERVAER_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
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


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of each kind; tests using it run once per kind."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'naervaer.db'}"
    try:
        await reset_postgres(PG_URL)
    except OSError as error:
        if PG_REQUIRED:
            raise
        pytest.skip(f"PostgreSQL not reachable: {error}")
    return PG_URL


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
