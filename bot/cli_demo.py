"""`naervaer demo`: the demo municipality, then the server, greeted by the start banner."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from bot.app import create_app
from bot.banner import banner
from bot.cli_database import org_import
from bot.settings import Settings

DEMO_ORG = Path(__file__).with_name("demo_org.csv")


def serve(settings: Settings) -> int:
    print(f"naervaer listening on http://{settings.host}:{settings.port}/api/messages", flush=True)
    web.run_app(create_app(settings), host=settings.host, port=settings.port, print=None)
    return 0


def demo(settings: Settings) -> int:
    status = org_import(settings, DEMO_ORG)
    if status != 0:
        return status
    print(banner(settings), flush=True)
    return serve(settings)
