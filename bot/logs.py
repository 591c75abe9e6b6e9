"""Log lines for whoever reads them: short text in a terminal, one JSON object a line otherwise.

`NAERVAER_LOG_FORMAT=auto` (the default) asks standard error: a person at a terminal gets
"14.38.02 INFO  naervaer.app  message", a log collector (a pipe, a file, systemd) gets JSON.
The libraries' own INFO lines (each HTTP request, each migration step, each scheduler run) are
for debugging: they show only with `NAERVAER_LOG_LEVEL=DEBUG`.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from pythonjsonlogger.json import JsonFormatter

from bot.settings import Settings

CHATTY = (
    "aiohttp.access",
    "aiosqlite",
    "alembic",
    "apscheduler",
    "microsoft_agents",
    "msal",
    "sqlalchemy",
)


def wants_json(log_format: str, stream: TextIO) -> bool:
    if log_format == "auto":
        return not stream.isatty()
    return log_format == "json"


def formatter(as_json: bool) -> logging.Formatter:
    if as_json:
        # Messages carry ids only (employee, outbox, activity), never names, notes or comments.
        return JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    # The date is in the terminal's scrollback already; the time is what one looks for.
    return logging.Formatter("%(asctime)s %(levelname)-5s %(name)s  %(message)s", "%H.%M.%S")


def setup_logging(settings: Settings, stream: TextIO | None = None) -> None:
    stream = stream or sys.stderr
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter(wants_json(settings.log_format, stream)))
    logging.basicConfig(level=settings.log_level, handlers=[handler], force=True)
    level: int = logging.getLevelName(settings.log_level)
    chatter = level if level == logging.DEBUG else max(level, logging.WARNING)
    for name in CHATTY:
        logging.getLogger(name).setLevel(chatter)
