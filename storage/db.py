"""Engine, sessions and schema upgrades (Alembic), the same on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage.locks import Lock

# The types the layers above hold (a session factory, a session) without importing SQLAlchemy.
Session = AsyncSession
Sessions = async_sessionmaker[AsyncSession]
Engine = AsyncEngine

HERE = Path(__file__).parent


def create_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        # hide_parameters: a failed statement's values (a note, a comment) never reach a log.
        engine = create_async_engine(url, connect_args={"timeout": 30}, hide_parameters=True)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            # WAL lets readers go on while the sender writes; foreign keys are off by default.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            # NORMAL is crash-safe in WAL mode (an OS crash may lose the last commit); production
            # durability is PostgreSQL's job.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_async_engine(
        url, pool_size=10, max_overflow=10, pool_pre_ping=True, hide_parameters=True
    )


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE / "migrations"))
    return cfg


def _upgrade(connection: Connection, revision: str) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Two replicas starting together must not both run the same migration.
            await conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": int(Lock.MIGRATION)})
        await conn.run_sync(_upgrade, revision)


def _is_current(connection: Connection) -> bool:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    return MigrationContext.configure(connection).get_current_revision() == head


async def schema_is_current(engine: AsyncEngine) -> bool:
    async with engine.connect() as conn:
        return await conn.run_sync(_is_current)


async def is_ready(engine: AsyncEngine) -> bool:
    """The database answers and its schema is the code's (else a replica should not serve)."""
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
    return await schema_is_current(engine)
