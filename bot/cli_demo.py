"""`naervaer demo`: the demo municipality, then the server, greeted by the start banner."""

from __future__ import annotations

import asyncio
from datetime import datetime
from functools import partial
from pathlib import Path

from aiohttp import web

from bot.app import create_app, features_opener, service_config
from bot.banner import banner, base_url
from bot.serving import serve_workers, uses_workers
from bot.settings import Settings
from bot.tab.links import person_link
from scheduler.clock import SystemClock
from services.demo_town import DemoTown, build_demo_town
from storage import db

# The Playground's people (manifest/playground/): the demo town is built around them.
DEMO_ORG = Path(__file__).with_name("demo_org.csv")


def serve(settings: Settings) -> int:
    if uses_workers(settings):
        return serve_workers(settings)
    if not settings.local_mode:
        print(f"naervaer listening on {base_url(settings)}/api/messages", flush=True)
        web.run_app(create_app(settings), host=settings.host, port=settings.port, print=None)
        return 0
    # Someone is trying it out at the keyboard: greet them once the server answers, so the
    # banner comes after the start-up lines and every address in it already works.
    greeting = banner(settings)
    web.run_app(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        print=lambda _running_on: print(greeting, flush=True),
    )
    return 0


async def create_demo_town(settings: Settings, now: datetime | None = None) -> DemoTown | None:
    """The town in the configured database (schema upgraded first), its history up to `now`
    (the clock's); None if it is there already."""
    engine = db.create_engine(settings.database_url)
    try:
        await db.upgrade(engine)
        return await build_demo_town(
            db.session_factory(engine),
            features_opener(service_config(settings), partial(person_link, settings)),
            now or SystemClock().now(),
            DEMO_ORG.read_text(encoding="utf-8"),
        )
    finally:
        await engine.dispose()


def demo(settings: Settings) -> int:
    town = asyncio.run(create_demo_town(settings))
    if town is None:
        print("demo municipality: already in the database, kept as it is", flush=True)
    else:
        print(town.summary(), flush=True)
    return serve(settings)
