"""`naervaer org sync` and `naervaer teams install`: Entra ID through Microsoft Graph."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.graph.client import GraphClient
from bot.graph.entra import EntraDirectory
from bot.graph.wiring import graph_client, sync_options
from bot.settings import Settings
from scheduler.clock import SystemClock
from services.app_install import AppInstalls
from services.directory import GraphRefused
from services.org_sync import OrgSync
from storage import db
from storage.org_import import OrgImportError

T = TypeVar("T")

NO_GRAPH = (
    "Graph is not configured: set NAERVAER_GRAPH_TENANT_ID, NAERVAER_GRAPH_CLIENT_ID and "
    "NAERVAER_GRAPH_CLIENT_SECRET (or the bot's NAERVAER_APP_*)."
)


def _with_graph(
    settings: Settings, work: Callable[[db.Sessions, GraphClient], Awaitable[T]]
) -> T | None:
    client = graph_client(settings)
    if client is None:
        print(NO_GRAPH, file=sys.stderr)
        return None

    async def run() -> T:
        engine = db.create_engine(settings.database_url)
        try:
            await db.upgrade(engine)
            return await work(db.session_factory(engine), client)
        finally:
            await client.close()
            await engine.dispose()

    return asyncio.run(run())


def org_sync(settings: Settings, args: argparse.Namespace) -> int:
    async def work(sessions: db.Sessions, client: GraphClient) -> str:
        directory = EntraDirectory(client)
        sync = OrgSync(sessions, directory, sync_options(settings), SystemClock())
        lines = [(await sync.run(dry_run=args.dry_run)).summary()]
        if args.install and not args.dry_run:
            lines.append(await _install(settings, sessions, directory, dry_run=False))
        return "\n".join(lines)

    try:
        summary = _with_graph(settings, work)
    except OrgImportError as error:
        print(f"org sync failed, nothing was changed:\n{error}", file=sys.stderr)
        return 2
    except GraphRefused as error:
        print(f"org sync failed, nothing was changed: {error}", file=sys.stderr)
        return 1
    if summary is None:
        return 2
    print(summary)
    return 0


async def _install(
    settings: Settings, sessions: db.Sessions, installer: EntraDirectory, *, dry_run: bool
) -> str:
    if not settings.teams_app_catalog_id:
        return "Teams app not installed: set NAERVAER_TEAMS_APP_CATALOG_ID."
    installs = AppInstalls(sessions, installer, settings.teams_app_catalog_id, SystemClock())
    result = await installs.run(dry_run=dry_run)
    failed = "".join(f"\n  {user}: {why}" for user, why in sorted(result.failed.items()))
    return result.summary() + failed


def teams_install(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.teams_app_catalog_id:
        print(
            "set NAERVAER_TEAMS_APP_CATALOG_ID (the app's id in the org catalog)", file=sys.stderr
        )
        return 2

    async def work(sessions: db.Sessions, client: GraphClient) -> str:
        return await _install(settings, sessions, EntraDirectory(client), dry_run=args.dry_run)

    summary = _with_graph(settings, work)
    if summary is None:
        return 2
    print(summary)
    return 0
