"""The insight tab over HTTP: one Teams personal tab served by the bot's aiohttp app.

It opens on /tab, which lands each person on the first page their role may see
(rules/access.py pages_for); the navigation offers only those pages. In Teams the page asks for
an SSO token (@microsoft/teams-js) and sends it with every request; the server validates it
(bot/tab/auth.py) and maps its `oid` to the employee. In local mode (no app id) a clearly marked
demo login picks a demo user instead; with an app id that route does not exist and its cookie
is ignored. Pages are rendered on the server (Jinja2); charts are drawn in the browser by
Chart.js, served from our own node_modules (bot/tab/vendor.py), so no CDN is involved.
"""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.settings import Settings
from bot.tab import charts, payroll, records, vendor
from bot.tab.auth import Identity, TokenCheck
from bot.texts import format_value, t
from rules.absence_kinds import COLOURS as ABSENCE_COLOURS
from rules.access import pages_for, sees_everyone
from rules.checkin import HEX as CHECKIN_HEX
from rules.checkin import SYMBOLS as CHECKIN_SYMBOLS
from scheduler.clock import Clock
from services.config import Config
from services.features import Features
from services.insight import Insight, Refused
from services.my_data import as_csv
from storage.models import Employee

log = logging.getLogger("naervaer.tab")
HERE = Path(__file__).parent
PAGES = ("team", "trivsel", "organisation", "mig", "audit", "payroll")
# The entry page (/tab): lands each person on the first page their role may see.
START = "start"
THEMES = ("default", "dark", "contrast")
DEMO_COOKIE = "naervaer_demo"
ORGANISATION_PAGES_KEPT = 256

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Sessions(Protocol):
    """The composition root's session factory: one transaction per page."""

    def begin(self) -> AbstractAsyncContextManager[Any]: ...


class Tab:
    def __init__(
        self,
        settings: Settings,
        sessions: Sessions,
        clock: Clock,
        config: Config,
        open_features: Callable[[Any, datetime], Features],
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.clock = clock
        self.config = config
        self.open_features = open_features
        self.tokens = TokenCheck(settings)
        # Organisation pages as rendered, by (figures computed at, language, role, unit): the
        # figures change once a night, and rendering 200 units would hold up the bot's turns
        # on the same event loop each time HR looks.
        self.organisation_pages: OrderedDict[tuple[object, ...], str] = OrderedDict()
        self.templates = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def route_table(self) -> list[tuple[str, str, Handler]]:
        """Every route of the tab, in matching order: /tab/{page} last, as it matches any name.
        The demo login exists in local mode only."""
        demo: list[tuple[str, str, Handler]] = [
            ("GET", "/tab/demo", self.demo),
            ("POST", "/tab/demo", self.demo_login),
        ]
        return [
            ("GET", "/tab", self.home),
            ("GET", "/tab/static/{name}", self.static),
            ("GET", "/tab/api/export/units.csv", self.units_csv),
            ("GET", "/tab/api/me/data.json", self.my_json),
            ("GET", "/tab/api/me/data.csv", self.my_csv),
            ("POST", "/tab/api/me/followups/{id}/comment", records.comment_route(self._as_viewer)),
            *records.conversation_routes(self._as_viewer),
            ("GET", "/tab/api/nav", self.nav),
            ("POST", "/tab/api/payroll/done", payroll.done_route(self.settings, self._as_viewer)),
            ("GET", "/tab/api/{page}", self.fragment),
            *(demo if self.settings.local_mode else []),
            ("GET", "/tab/{page}", self.shell),
        ]

    def routes(self, app: web.Application) -> None:
        for method, path, handler in self.route_table():
            if method == "GET":
                app.router.add_get(path, handler)  # and HEAD, as aiohttp does for GET
            else:
                app.router.add_route(method, path, handler)

    # --- who is asking -------------------------------------------------------------------

    async def identity(self, request: web.Request) -> Identity | None:
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            oid = await self.tokens.oid(header.removeprefix("Bearer ").strip())
            return Identity(oid=oid) if oid else None
        if self.settings.local_mode and request.cookies.get(DEMO_COOKIE):
            return Identity(employee_id=request.cookies[DEMO_COOKIE])
        return None

    async def _viewer(self, insight: Insight, request: web.Request) -> Employee | None:
        identity = await self.identity(request)
        if identity is None:
            return None
        if identity.oid is not None:
            return await insight.viewer_by_oid(identity.oid)
        return await insight.viewer_by_id(identity.employee_id)

    async def _as_viewer(
        self,
        request: web.Request,
        render: Callable[[Insight, Employee, str], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
        async with self.sessions.begin() as session:
            insight = self.open_features(session, self.clock.now()).insight
            viewer = await self._viewer(insight, request)
            lang = await insight.notifier.language_for(viewer.id) if viewer else self._lang(request)
            if viewer is None:
                key = "tab_unknown_user" if await self.identity(request) else "tab_login_needed"
                return self._message(lang, key, 401)
            try:
                return await render(insight, viewer, lang)
            except Refused:
                return self._message(lang, "tab_refused", 403)

    def _lang(self, request: web.Request) -> str:
        accepted = request.headers.get("Accept-Language", "")
        return "en" if accepted.lower().startswith("en") else "da"

    def _message(self, lang: str, key: str, status: int) -> web.Response:
        html = self._render("message.html", lang, message=t(lang, key))
        return web.Response(text=html, status=status, content_type="text/html")

    # --- rendering -----------------------------------------------------------------------

    def _render(self, template: str, lang: str, **values: Any) -> str:
        return self.templates.get_template(template).render(
            lang=lang,
            t=lambda key, **p: t(lang, key, **p),
            day=lambda d: format_value(lang, d),
            kind_name=lambda kind: t(lang, f"kind_{kind}") if kind else "",
            kind_colours=ABSENCE_COLOURS,
            checkin_colours=CHECKIN_HEX,
            **charts.helpers(lang),
            pct=lambda v: (
                "" if v is None else f"{v:.1f}".replace(".", "," if lang == "da" else ".")
            ),
            symbol=lambda c: CHECKIN_SYMBOLS.get(str(c) if c else None, "⚪"),
            **values,
        )

    def _html(self, text: str, status: int = 200) -> web.Response:
        return web.Response(
            text=text,
            status=status,
            content_type="text/html",
            headers={"Cache-Control": "no-store"},
        )

    # --- pages ---------------------------------------------------------------------------

    async def home(self, request: web.Request) -> web.StreamResponse:
        return self._shell(request, START)

    async def shell(self, request: web.Request) -> web.StreamResponse:
        page = request.match_info["page"]
        if page not in (*PAGES, "person", START):
            raise web.HTTPNotFound()
        return self._shell(request, page)

    def _shell(self, request: web.Request, page: str) -> web.StreamResponse:
        """The same static, token-less page for everyone: who is asking is known only to the
        API calls tab.js makes with the Teams token, so the navigation comes from /tab/api/nav."""
        return self._html(
            self._render(
                "shell.html",
                self._lang(request),
                page=page,
                theme=_theme(request.query.get("theme")),
                demo=self.settings.local_mode,
                here=request.path_qs,
                scripts=vendor.SCRIPTS,
                styles=vendor.STYLES,
            )
        )

    async def nav(self, request: web.Request) -> web.StreamResponse:
        """The pages this person may open, the current one marked; the first is the landing."""

        async def render(_i: Insight, viewer: Employee, lang: str) -> web.StreamResponse:
            pages = pages_for(viewer.role)
            current = request.query.get("page", "")
            return self._html(self._render("nav.html", lang, pages=pages, current=current))

        return await self._as_viewer(request, render)

    async def fragment(self, request: web.Request) -> web.StreamResponse:
        page = request.match_info["page"]
        handlers = {
            "team": self._team,
            "trivsel": self._trivsel,
            "organisation": self._organisation,
            "mig": self._mig,
            "audit": self._audit,
            "payroll": payroll.page(self.settings, self._render, self._html),
            "person": self._person,
        }
        if page not in handlers:
            raise web.HTTPNotFound()
        handler = handlers[page]
        return await self._as_viewer(request, lambda d, v, lang: handler(request, d, v, lang))

    async def _team(
        self, request: web.Request, insight: Insight, viewer: Employee, lang: str
    ) -> web.StreamResponse:
        data = await insight.team(viewer, request.query.get("page"))
        return self._html(self._render("team.html", lang, data=data))

    async def _person(
        self, request: web.Request, insight: Insight, viewer: Employee, lang: str
    ) -> web.StreamResponse:
        card = await insight.person(viewer, request.query.get("id", ""))
        return self._html(self._render("person.html", lang, card=card))

    async def _trivsel(
        self, _r: web.Request, insight: Insight, viewer: Employee, lang: str
    ) -> web.StreamResponse:
        data = await insight.trivsel(viewer)
        chart = charts.trivsel(data, lang)
        return self._html(self._render("trivsel.html", lang, data=data, chart=chart))

    async def _organisation(
        self, _r: web.Request, insight: Insight, viewer: Employee, lang: str
    ) -> web.StreamResponse:
        computed = await insight.figures_computed_at()
        # Whether one may see it depends on the role alone, so a page rendered for the same
        # role is one this viewer may see.
        key = (computed, lang, viewer.role, viewer.unit_id)
        html = self.organisation_pages.get(key)
        if html is None:
            rows = await insight.organisation(viewer)
            at = format_value(lang, computed.astimezone(self.config.timezone)) if computed else None
            html = self._render(
                "organisation.html", lang, rows=rows, computed=at, hr=sees_everyone(viewer.role)
            )
            self.organisation_pages[key] = html
            if len(self.organisation_pages) > ORGANISATION_PAGES_KEPT:
                self.organisation_pages.popitem(last=False)
        return self._html(html)

    async def _mig(
        self, _r: web.Request, insight: Insight, viewer: Employee, lang: str
    ) -> web.StreamResponse:
        card, checkins = await insight.me(viewer)
        held = await records.mine(insight, viewer, lang)
        return self._html(
            self._render("mig.html", lang, card=card, checkins=checkins, records=held)
        )

    async def _audit(
        self, _r: web.Request, insight: Insight, viewer: Employee, lang: str
    ) -> web.StreamResponse:
        entries, names = await insight.audit_log(viewer)
        zone = self.config.timezone
        return self._html(
            self._render(
                "audit.html",
                lang,
                entries=entries,
                names=names,
                local=lambda at: format_value(lang, at.astimezone(zone)),
            )
        )

    # --- downloads -----------------------------------------------------------------------

    async def units_csv(self, request: web.Request) -> web.StreamResponse:
        async def render(insight: Insight, viewer: Employee, lang: str) -> web.StreamResponse:
            labels = [t(lang, k) for k in ("tab_unit", "tab_staff", "tab_percent", "tab_per_fte")]
            labels += ["0-9", "10-29", "30+", t(lang, "tab_target")]
            text = await insight.units_csv(viewer, labels)
            return _download(text, "enheder.csv", "text/csv")

        return await self._as_viewer(request, render)

    async def my_json(self, request: web.Request) -> web.StreamResponse:
        async def render(insight: Insight, viewer: Employee, _lang: str) -> web.StreamResponse:
            data = await insight.my_data.about(viewer)
            return _download(
                json.dumps(data, ensure_ascii=False, indent=2), "mine-data.json", "application/json"
            )

        return await self._as_viewer(request, render)

    async def my_csv(self, request: web.Request) -> web.StreamResponse:
        async def render(insight: Insight, viewer: Employee, _lang: str) -> web.StreamResponse:
            data = await insight.my_data.about(viewer)
            return _download(as_csv(data), "mine-data.csv", "text/csv")

        return await self._as_viewer(request, render)

    # --- static files and the demo login --------------------------------------------------

    async def static(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name in vendor.VENDOR:
            path = vendor.VENDOR[name]
            if not path.exists():
                log.error("%s missing: run `make install` (npm ci in bot/tab)", name)
                raise web.HTTPNotFound()
        else:
            path = HERE / "static" / name
            # Only our own files by plain name: no path outside static/ can be asked for.
            if "/" in name or name.startswith(".") or not path.is_file():
                raise web.HTTPNotFound()
        kinds = {".js": "text/javascript", ".css": "text/css", ".map": "application/json"}
        kind = kinds.get(path.suffix, "application/octet-stream")
        return web.FileResponse(path, headers={"Content-Type": kind})

    async def demo(self, request: web.Request) -> web.StreamResponse:
        async with self.sessions.begin() as session:
            people = await self.open_features(session, self.clock.now()).insight.demo_people()
        theme = _theme(request.query.get("theme"))
        html = self._render(
            "demo.html",
            self._lang(request),
            people=people,
            theme=theme,
            back=request.query.get("next", ""),
        )
        return self._html(html)

    async def demo_login(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        theme = _theme(str(form.get("theme", "")))
        back = str(form.get("next", ""))
        # Back to the page that sent the person here (a card's link), never off this server.
        if not back.startswith("/tab/") or "//" in back or "\\" in back:
            back = "/tab" if theme == "default" else f"/tab?theme={theme}"
        response = web.HTTPFound(back)
        who = str(form.get("who", ""))
        response.set_cookie(DEMO_COOKIE, who, httponly=True, samesite="Lax")
        raise response


def _theme(asked: str | None) -> str:
    """Teams' theme names; outside Teams ?theme= picks one (for the demo and the tests)."""
    return asked if asked in THEMES else "default"


def _download(text: str, filename: str, kind: str) -> web.Response:
    return web.Response(
        text=text,
        content_type=kind,
        charset="utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
