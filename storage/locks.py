"""PostgreSQL advisory locks: one process at a time runs a job's tick (SQLite has one writer)."""

from __future__ import annotations

import enum

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


class Lock(enum.IntEnum):
    # Any numbers, fixed forever: replicas of different versions must agree on them.
    MIGRATION = 744_221_001
    FOLLOW_UPS = 744_221_002
    CHECK_INS = 744_221_003
    FIGURES = 744_221_004
    RETENTION = 744_221_005


async def try_lock(session: AsyncSession, lock: Lock) -> bool:
    """Held until the transaction ends; False when another process holds it."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(
        await session.scalar(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": int(lock)})
    )
