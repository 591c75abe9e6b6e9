"""The payroll office's worklist in the tab (HR): hand-off rows "to be keyed in" and "done".

SD municipalities have no absence-write service, so someone keys each row into SD; marking a
row done is a form POST to /tab/api/payroll/done that returns to the page. The rows are the
same as the hand-off file's (services/payroll_handoff.py); looking at them is audited.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.settings import Settings
from rules.payroll import CodeTable
from services.insight import Insight
from services.payroll import Payroll, PayrollConfig
from storage.models import Employee

ROW_ID_MAX = 40
Render = Callable[[Insight, Employee, str], Awaitable[web.StreamResponse]]
AsViewer = Callable[[web.Request, Render], Awaitable[web.StreamResponse]]


def table_of(settings: Settings) -> CodeTable:
    return PayrollConfig(
        settings.payroll_dir,
        settings.payroll_codes,
        settings.payroll_codes_dir,
        settings.payroll_retention_days,
    ).table()


def page(
    settings: Settings, render: Callable[..., str], html: Callable[[str], web.Response]
) -> Callable[[web.Request, Insight, Employee, str], Awaitable[web.StreamResponse]]:
    """The fragment handler of /tab/api/payroll (HR only: anyone else is refused)."""

    async def worklist(
        _r: web.Request, insight: Insight, viewer: Employee, lang: str
    ) -> web.StreamResponse:
        data = await Payroll(insight.work, table_of(settings)).worklist(viewer)
        return html(render("payroll.html", lang, data=data))

    return worklist


def done_route(settings: Settings, as_viewer: AsViewer) -> Callable[[web.Request], Any]:
    """A row keyed in: marked done, then back to the worklist (a POST: no GET changes data)."""

    async def done(request: web.Request) -> web.StreamResponse:
        form = await request.post()
        row_id = str(form.get("row", ""))[:ROW_ID_MAX]

        async def mark(insight: Insight, viewer: Employee, _lang: str) -> web.StreamResponse:
            await Payroll(insight.work, table_of(settings)).mark_done(viewer, row_id)
            # Returned, not raised: raising would roll the marking back with the transaction.
            return web.Response(status=303, headers={"Location": "/tab/payroll"})

        return await as_viewer(request, mark)

    return done
