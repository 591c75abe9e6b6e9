"""The follow-up conversations on the Mig page: the employee's own record of each conversation
held with them (how, who took part, what was agreed) and their comment on it. Never the
leader's private note (services/followup_records.py does not read it)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.texts import t
from services.followup_records import (
    COMMENT_MAX,
    FollowUpRecords,
    RecordView,
    conversations_csv,
    conversations_json,
)
from services.insight import Insight
from storage.models import Employee

Render = Callable[[Insight, Employee, str], Awaitable[web.StreamResponse]]
AsViewer = Callable[[web.Request, Render], Awaitable[web.StreamResponse]]


async def mine(insight: Insight, viewer: Employee, lang: str) -> list[RecordView]:
    return await FollowUpRecords(insight.work).mine(viewer, lang)


def comment_route(as_viewer: AsViewer) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """POST /tab/api/me/followups/{id}/comment with {"comment": "..."}: JSON only, so that a
    form on another site cannot post it with the demo cookie; the answer says whether it was
    saved, in the viewer's language. Bad input changes nothing."""

    async def handler(request: web.Request) -> web.StreamResponse:
        if request.content_type != "application/json":
            raise web.HTTPUnsupportedMediaType()
        try:
            followup_id = int(request.match_info["id"])
            body: Any = await request.json()
        except (ValueError, json.JSONDecodeError):
            raise web.HTTPBadRequest() from None
        text = body.get("comment") if isinstance(body, dict) else None

        async def render(insight: Insight, viewer: Employee, lang: str) -> web.StreamResponse:
            saved = (
                isinstance(text, str)
                and len(text) <= COMMENT_MAX
                and 1 <= followup_id < 2**31
                and await FollowUpRecords(insight.work).comment(viewer, followup_id, text)
            )
            message = t(lang, "record_tab_saved" if saved else "record_tab_not_saved")
            return web.json_response(
                {"saved": saved, "message": message}, status=200 if saved else 400
            )

        return await as_viewer(request, render)

    return handler


def conversations_route(
    as_viewer: AsViewer, kind: str
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """GET /tab/api/export/samtaler.csv|json?unit=...: HR's list of § 7 a conversations held,
    missing and still due, as a download; anyone else gets an empty list."""

    async def handler(request: web.Request) -> web.StreamResponse:
        async def render(insight: Insight, viewer: Employee, _lang: str) -> web.StreamResponse:
            unit = request.query.get("unit") or None
            found = await FollowUpRecords(insight.work).statutory(viewer, unit)
            text = conversations_csv(found) if kind == "csv" else conversations_json(found)
            content_type = "text/csv" if kind == "csv" else "application/json"
            return web.Response(
                text=text,
                content_type=content_type,
                charset="utf-8",
                headers={
                    "Content-Disposition": f'attachment; filename="samtaler.{kind}"',
                    "Cache-Control": "no-store",
                },
            )

        return await as_viewer(request, render)

    return handler


def conversation_routes(as_viewer: AsViewer) -> list[tuple[str, str, Any]]:
    return [
        ("GET", f"/tab/api/export/samtaler.{kind}", conversations_route(as_viewer, kind))
        for kind in ("csv", "json")
    ]
