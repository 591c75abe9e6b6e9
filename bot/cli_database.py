"""The commands' way into the database: upgrade the schema first, let go of the engine after."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

from bot.app import features_opener, service_config
from bot.settings import Settings
from bot.tab.links import person_link
from scheduler.clock import SystemClock
from services.features import Features
from storage import db

T = TypeVar("T")


def with_features(
    settings: Settings,
    now: datetime,
    work: Callable[[Features], Awaitable[T]],
    *,
    commit: bool,
) -> T:
    """Run `work` on every feature in one session of the upgraded database, then let go."""
    open_features = features_opener(service_config(settings), partial(person_link, settings))

    async def run() -> T:
        engine = db.create_engine(settings.database_url)
        try:
            await db.upgrade(engine)
            sessions = db.session_factory(engine)
            if commit:
                async with sessions.begin() as session:
                    return await work(open_features(session, now))
            async with sessions() as session:
                return await work(open_features(session, now))
        finally:
            await engine.dispose()

    return asyncio.run(run())


def in_transaction(settings: Settings, work: Callable[[Features], Awaitable[T]]) -> T:
    """`work` now, committed at the end: what the privacy and figures commands change."""
    return with_features(settings, SystemClock().now(), work, commit=True)


def db_upgrade(settings: Settings) -> int:
    async def run() -> None:
        engine = db.create_engine(settings.database_url)
        try:
            await db.upgrade(engine)
        finally:
            await engine.dispose()

    asyncio.run(run())
    print("database schema is current")
    return 0


def org_import(settings: Settings, path: Path) -> int:
    from rules.policy import POLICY_DIR, load_policies
    from storage.org_import import OrgImportError, import_org_file

    async def run() -> str:
        engine = db.create_engine(settings.database_url)
        try:
            await db.upgrade(engine)
            known = load_policies(settings.policy_dir or POLICY_DIR)
            report = await import_org_file(
                db.session_factory(engine), path, _today(settings), known
            )
            return report.summary()
        finally:
            await engine.dispose()

    try:
        print(asyncio.run(run()))
    except OrgImportError as error:
        print(f"import of {path} failed, nothing was changed:\n{error}", file=sys.stderr)
        return 2
    return 0


def _today(settings: Settings) -> date:
    return SystemClock().now().astimezone(ZoneInfo(settings.timezone)).date()
