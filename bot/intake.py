"""The way in for /api/messages: the body read once, made safe, then handed to the SDK.

Nothing Teams sends is nested more than a dozen levels, has a lone surrogate or a bidi override;
a fuzzer or a broken client may send all three. Python's JSON reader and the SDK's models recurse
over nesting (about 1,000 levels end in RecursionError), and a lone surrogate cannot be written to
the database or to Teams. So before the SDK sees the body: lists and objects deeper than
MAX_DEPTH become null (found by a scan that does not recurse), and every string is cleaned
(rules/text_clean). The turn then handles what is left like any other activity — a card press
with a mangled payload is refused politely, a message's text still gets its answer.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import fields, replace
from typing import Any

from aiohttp import web
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import Agent, HttpRequestProtocol

from rules.text_clean import clean_tree
from storage.models import TeamsUser
from storage.teams import SeenUser

# The activity itself is level 1, its value or channelData level 2; Teams' deepest (an
# Action.Execute's data inside value.action) is well within this.
MAX_DEPTH = 32
# Python refuses to read an integer of more than 4,300 digits (and the database holds 19): a
# longer one is kept as its digits, which no id or number field accepts.
MAX_INT_DIGITS = 100
SDK_ACTIVITY_LOG = "microsoft_agents.activity.activity"
# The activity's own members that the SDK reads into accounts (from, recipient, conversation).
ACCOUNTS = ("from", "recipient", "conversation")
# A string token (escapes included) or a bracket: brackets inside strings are not nesting.
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)

log = logging.getLogger("naervaer.intake")


def shallow_json(text: str, limit: int = MAX_DEPTH) -> str:
    """The JSON text with every list or object nested deeper than `limit` replaced by null.
    One pass over strings and brackets, no recursion; text within the limit comes back as is."""
    if text.count("{") + text.count("[") <= limit:
        return text  # cannot be deeper: the usual case costs two counts
    parts: list[str] = []
    depth, start = 0, 0
    for token in _TOKENS.finditer(text):
        mark = token[0]
        if mark in "{[":
            depth += 1
            if depth == limit + 1:
                parts.append(text[start : token.start()])
                parts.append("null")
        elif mark in "}]":
            if depth == limit + 1:
                start = token.end()
            depth -= 1
    parts.append(text[start:] if depth <= limit else "")
    return "".join(parts)


def _number(digits: str) -> int | str:
    return int(digits) if len(digits) <= MAX_INT_DIGITS else digits


def read_activity(text: str) -> Any:
    """The body as data the SDK can validate: shallow, every string cleaned."""
    data = clean_tree(json.loads(shallow_json(text), parse_int=_number), MAX_DEPTH)
    if isinstance(data, dict):
        _drop_empty(data)
        for account in ACCOUNTS:
            if isinstance(data.get(account), dict):
                _drop_empty(data[account])
    return data


def _drop_empty(fields: dict[str, Any]) -> None:
    """The SDK refuses an empty locale or name (and logs a traceback for it); a field that
    was empty, or only controls, says nothing, so it is left out. Text may be empty."""
    for key in [k for k, v in fields.items() if v == "" and k != "text"]:
        del fields[key]


def bounded(seen: SeenUser) -> SeenUser | None:
    """Who wrote, within the columns that keep it (PostgreSQL refuses longer text): a long name
    is cut, a locale that long is no locale, and an id that long is not one Teams sends — nobody
    to answer."""
    room = {c.key: getattr(c.type, "length", None) for c in TeamsUser.__table__.columns}
    name, locale = seen.name, seen.locale
    seen = replace(
        seen,
        name=name[: room["name"]] if name else name,
        locale=locale if locale and len(locale) <= (room["locale"] or 0) else None,
    )
    for field in fields(seen):
        value, limit = getattr(seen, field.name), room.get(field.name)
        if isinstance(value, str) and limit is not None and len(value) > limit:
            log.info("activity with an overlong %s ignored", field.name)
            return None
    return seen


def input_error(error: BaseException) -> bool:
    """An error bad input caused (it should have been refused earlier): logged on one line, as
    a traceback would only repeat the input's shape."""
    if isinstance(error, RecursionError | UnicodeError | OverflowError):
        return True
    state = getattr(getattr(error, "orig", None), "sqlstate", None)
    return isinstance(state, str) and state.startswith("22")  # PostgreSQL's data exceptions


class _QuietValidation(logging.Filter):
    """The SDK logs every activity it cannot read at ERROR with a traceback; app.py's one
    warning line ("invalid activity refused") says the same."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Validation error for Activity")


QUIET_VALIDATION = _QuietValidation()


class _Request:
    """An HttpRequestProtocol over aiohttp's request whose JSON is read the safe way."""

    def __init__(self, request: web.Request) -> None:
        self.request = request

    @property
    def method(self) -> str:
        return self.request.method

    @property
    def headers(self) -> Mapping[str, str]:
        return self.request.headers

    async def json(self) -> Any:
        # Any error here is the SDK's 400 "Invalid JSON": not a turn, nothing happened.
        return read_activity(await self.request.text())

    def get_claims_identity(self) -> Any:
        return self.request.get("claims_identity")

    def get_path_param(self, name: str) -> str:
        return self.request.match_info[name]


async def process(adapter: CloudAdapter, request: web.Request, agent: Agent) -> web.Response:
    """What CloudAdapter.process does, with the body read by read_activity."""
    logging.getLogger(SDK_ACTIVITY_LOG).addFilter(QUIET_VALIDATION)  # once: a filter is a set
    safe: HttpRequestProtocol = _Request(request)
    answer = await adapter.process_request(safe, agent)
    if answer.body is not None:
        return web.json_response(answer.body, status=answer.status_code, headers=answer.headers)
    return web.Response(
        status=answer.status_code, headers=answer.headers, content_type=answer.content_type
    )
