"""What every benchmark needs: an empty database of the kind asked for."""

from __future__ import annotations

import tempfile

from sqlalchemy import text

from storage.db import create_engine


async def empty_database(url: str | None, name: str) -> str:
    """A fresh SQLite file, or the given PostgreSQL database emptied (it drops every table)."""
    if url is None:
        return f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/{name}.db"
    if url.startswith("postgresql"):
        engine = create_engine(url)
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await engine.dispose()
    return url
