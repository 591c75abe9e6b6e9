"""In-process fake of Microsoft Graph (v1.0) and the Entra token endpoint for tests.

The shapes follow Microsoft's documentation: the client-credentials token response,
`GET /users/delta` pages with `@odata.nextLink` / `@odata.deltaLink`, the manager as
`manager@delta`, deleted users as `{"id": ..., "@removed": {"reason": "changed"}}`, `POST
/users/{id}/teamwork/installedApps` (201, or 409 when the app is already there),
`sendActivityNotification` (204), calendar events and `mailboxSettings`. Every request is
recorded in `stub.calls`; failures (429 with Retry-After, 503, ...) can be scripted.
"""

from __future__ import annotations

import itertools
import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Self
from urllib.parse import quote

from aiohttp import web

GRAPH = "https://graph.microsoft.com/v1.0"
USER_TYPE = "#microsoft.graph.user"
_NOT_FOUND = {"error": {"code": "Request_ResourceNotFound", "message": "Resource not found."}}


@dataclass
class GraphCall:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    status: int
    kind: str  # token | delta | install | installed | notify | event | mailbox | unknown


@dataclass(frozen=True)
class _Failure:
    kind: str | None  # None: any Graph call
    status: int
    retry_after: float | None


@dataclass
class _DeltaRound:
    """One enumeration in progress: the items still to hand out and the watermark after it."""

    items: list[dict[str, Any]]
    watermark: int
    select: tuple[str, ...]


@dataclass
class StubUser:
    id: str
    fields: dict[str, Any]
    manager: str | None = None
    deleted: bool = False
    apps: set[str] = field(default_factory=set)
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    mailbox: dict[str, Any] = field(default_factory=dict)


class GraphStub:
    def __init__(
        self,
        *,
        tenant_id: str = "stub-tenant",
        client_id: str = "stub-client",
        client_secret: str = "stub-secret",
        page_size: int = 200,
    ) -> None:
        self.tenant_id = tenant_id
        self.client_id = client_id
        self.client_secret = client_secret
        self.page_size = page_size
        self.users: dict[str, StubUser] = {}
        self.calls: list[GraphCall] = []
        self.notifications: list[tuple[str, dict[str, Any]]] = []
        self.tokens_issued = 0
        self.base_url = ""
        self.record_reads = True
        self._changes: list[tuple[int, str]] = []  # (sequence number, user id)
        self._seq = itertools.count(1)
        self._rounds: dict[str, _DeltaRound] = {}
        self._round_ids = itertools.count(1)
        self._tokens: set[str] = set()
        self._scripted: deque[_Failure] = deque()
        self._runner: web.AppRunner | None = None
        app = web.Application()
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        app.router.add_get("/v1.0/users/delta", self._delta)
        app.router.add_post("/v1.0/users/{id}/teamwork/installedApps", self._install)
        app.router.add_get("/v1.0/users/{id}/teamwork/installedApps", self._installed)
        app.router.add_post("/v1.0/users/{id}/teamwork/sendActivityNotification", self._notify)
        app.router.add_post("/v1.0/users/{id}/events", self._create_event)
        app.router.add_route("*", "/v1.0/users/{id}/events/{event}", self._event)
        app.router.add_route("*", "/v1.0/users/{id}/mailboxSettings", self._mailbox)
        self._app = app

    # --- the tenant, as a test changes it ----------------------------------------------------

    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        manager: str | None = None,
        department: str | None = None,
        enabled: bool = True,
        language: str | None = None,
        employee_id: str | None = None,
        upn: str | None = None,
    ) -> StubUser:
        upn = upn or f"{user_id}@kommune.example.dk"
        user = StubUser(
            user_id,
            {
                "displayName": name,
                "userPrincipalName": upn,
                "mail": upn,
                "department": department,
                "accountEnabled": enabled,
                "preferredLanguage": language,
                "employeeId": employee_id,
            },
            manager,
        )
        self.users[user_id] = user
        self._changed(user_id)
        return user

    def update_user(self, user_id: str, **fields: Any) -> None:
        """Change Graph properties by their Graph names (`department`, `accountEnabled`, ...)."""
        self.users[user_id].fields.update(fields)
        self._changed(user_id)

    def set_manager(self, user_id: str, manager: str | None) -> None:
        self.users[user_id].manager = manager
        self._changed(user_id)

    def delete_user(self, user_id: str) -> None:
        self.users[user_id].deleted = True
        self._changed(user_id)

    def fail_next(
        self,
        status: int = 429,
        *,
        kind: str | None = None,
        retry_after: float | None = 0.01,
        times: int = 1,
    ) -> None:
        """The next `times` Graph calls (of `kind`, or any) answer `status`."""
        self._scripted.extend(_Failure(kind, status, retry_after) for _ in range(times))

    def installed(self, app_id: str) -> set[str]:
        return {u.id for u in self.users.values() if app_id in u.apps}

    def of(self, kind: str) -> list[GraphCall]:
        return [call for call in self.calls if call.kind == kind]

    def _changed(self, user_id: str) -> None:
        self._changes.append((next(self._seq), user_id))

    # --- serving ------------------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        self._runner = web.AppRunner(self._app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def settings(self) -> dict[str, Any]:
        """The naervaer settings that point the bot at this stub."""
        return {
            "graph_base_url": f"{self.base_url}/v1.0",
            "graph_authority": self.base_url,
            "graph_tenant_id": self.tenant_id,
            "graph_client_id": self.client_id,
            "graph_client_secret": self.client_secret,
        }

    def _record(self, request: web.Request, body: Any, status: int, kind: str) -> None:
        if kind == "delta" and not self.record_reads:
            return
        self.calls.append(
            GraphCall(request.method, request.path, dict(request.query), body, status, kind)
        )

    def _answer(
        self,
        request: web.Request,
        kind: str,
        status: int,
        payload: Any = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> web.Response:
        self._record(request, body, status, kind)
        if payload is None:
            return web.Response(status=status, headers=headers)
        return web.json_response(payload, status=status, headers=headers)

    def _refusal(self, request: web.Request, kind: str, body: Any) -> web.Response | None:
        """A missing or unknown token, or a scripted failure, else None."""
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth.removeprefix("Bearer ") not in self._tokens:
            error = {"error": {"code": "InvalidAuthenticationToken", "message": "Bad token."}}
            return self._answer(request, kind, 401, error, body)
        failure = next((f for f in self._scripted if f.kind in (None, kind)), None)
        if failure is None:
            return None
        self._scripted.remove(failure)
        headers = {} if failure.retry_after is None else {"Retry-After": f"{failure.retry_after:g}"}
        code = "TooManyRequests" if failure.status == 429 else "ServiceUnavailable"
        error = {"error": {"code": code, "message": "Scripted failure."}}
        return self._answer(request, kind, failure.status, error, body, headers)

    async def _token(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        good = (
            request.match_info["tenant"] == self.tenant_id
            and form.get("grant_type") == "client_credentials"
            and form.get("client_id") == self.client_id
            and form.get("client_secret") == self.client_secret
            and str(form.get("scope", "")).endswith("/.default")
        )
        form.pop("client_secret", None)
        if not good:
            error = {"error": "invalid_client", "error_description": "AADSTS7000215: Invalid."}
            return self._answer(request, "token", 401, error, form)
        self.tokens_issued += 1
        token = f"stub-graph-token-{self.tokens_issued}"
        self._tokens.add(token)
        payload = {
            "token_type": "Bearer",
            "expires_in": 3599,
            "ext_expires_in": 3599,
            "access_token": token,
        }
        return self._answer(request, "token", 200, payload, form)

    # --- users/delta ------------------------------------------------------------------------

    def _shape(self, user: StubUser, select: tuple[str, ...]) -> dict[str, Any]:
        if user.deleted:
            return {"id": user.id, "@removed": {"reason": "changed"}}
        item: dict[str, Any] = {"id": user.id}
        for name in select:
            if name == "manager":
                item["manager@delta"] = (
                    [{"@odata.type": USER_TYPE, "id": user.manager}] if user.manager else []
                )
            elif name != "id":
                item[name] = user.fields.get(name)
        return item

    def _start_round(self, select: tuple[str, ...], since: int | None) -> str:
        watermark = self._changes[-1][0] if self._changes else 0
        if since is None:
            users = [u for u in self.users.values() if not u.deleted]
        else:
            ids = dict.fromkeys(uid for seq, uid in self._changes if seq > since)
            users = [self.users[uid] for uid in ids]
        round_id = str(next(self._round_ids))
        items = [self._shape(user, select) for user in users]
        self._rounds[round_id] = _DeltaRound(items, watermark, select)
        return round_id

    async def _delta(self, request: web.Request) -> web.Response:
        refused = self._refusal(request, "delta", None)
        if refused is not None:
            return refused
        query = request.query
        if "$skiptoken" in query:
            round_id = query["$skiptoken"]
        else:
            select = tuple(s for s in query.get("$select", "").split(",") if s)
            token = query.get("$deltatoken")
            since = None
            if token is not None:
                since_text, _, select_text = token.partition(".")
                since, select = int(since_text), tuple(select_text.split("+"))
            round_id = self._start_round(select, since)
        return self._page(request, round_id)

    def _page(self, request: web.Request, round_id: str) -> web.Response:
        current = self._rounds.get(round_id)
        if current is None:
            error = {"error": {"code": "syncStateNotFound", "message": "Unknown skiptoken."}}
            return self._answer(request, "delta", 410, error)
        page, current.items = current.items[: self.page_size], current.items[self.page_size :]
        payload: dict[str, Any] = {"@odata.context": f"{GRAPH}/$metadata#users", "value": page}
        link = f"{self.base_url}/v1.0/users/delta?"
        if current.items:
            payload["@odata.nextLink"] = f"{link}$skiptoken={round_id}"
        else:
            del self._rounds[round_id]
            token = quote(f"{current.watermark}.{'+'.join(current.select)}")
            payload["@odata.deltaLink"] = f"{link}$deltatoken={token}"
        return self._answer(request, "delta", 200, payload)

    # --- teamwork ---------------------------------------------------------------------------

    def _user(self, request: web.Request) -> StubUser | None:
        user = self.users.get(request.match_info["id"])
        return None if user is None or user.deleted else user

    async def _install(self, request: web.Request) -> web.Response:
        body = await _json(request)
        refused = self._refusal(request, "install", body)
        if refused is not None:
            return refused
        user = self._user(request)
        if user is None:
            return self._answer(request, "install", 404, _NOT_FOUND, body)
        bind = str((body or {}).get("teamsApp@odata.bind", ""))
        _, found, app_id = bind.partition("/appCatalogs/teamsApps/")
        if not found or not app_id:
            error = {"error": {"code": "BadRequest", "message": "Invalid teamsApp@odata.bind."}}
            return self._answer(request, "install", 400, error, body)
        if app_id in user.apps:
            error = {"error": {"code": "Conflict", "message": "App is already installed."}}
            return self._answer(request, "install", 409, error, body)
        user.apps.add(app_id)
        return self._answer(request, "install", 201, None, body)

    async def _installed(self, request: web.Request) -> web.Response:
        refused = self._refusal(request, "installed", None)
        if refused is not None:
            return refused
        user = self._user(request)
        if user is None:
            return self._answer(request, "installed", 404, _NOT_FOUND)
        value = [
            {"id": f"{user.id}-{app}", "teamsApp": {"id": app, "externalId": app}}
            for app in sorted(user.apps)
        ]
        return self._answer(request, "installed", 200, {"value": value})

    async def _notify(self, request: web.Request) -> web.Response:
        body = await _json(request)
        refused = self._refusal(request, "notify", body)
        if refused is not None:
            return refused
        user = self._user(request)
        if user is None:
            return self._answer(request, "notify", 404, _NOT_FOUND, body)
        required = ("topic", "activityType", "previewText")
        if not isinstance(body, dict) or any(name not in body for name in required):
            error = {"error": {"code": "BadRequest", "message": "Missing property."}}
            return self._answer(request, "notify", 400, error, body)
        self.notifications.append((user.id, body))
        return self._answer(request, "notify", 204, None, body)

    # --- calendar and automatic replies -----------------------------------------------------

    async def _create_event(self, request: web.Request) -> web.Response:
        body = await _json(request)
        refused = self._refusal(request, "event", body)
        if refused is not None:
            return refused
        user = self._user(request)
        if user is None:
            return self._answer(request, "event", 404, _NOT_FOUND, body)
        event_id = f"evt-{len(self.calls)}"
        user.events[event_id] = {**(body or {}), "id": event_id}
        return self._answer(request, "event", 201, user.events[event_id], body)

    async def _event(self, request: web.Request) -> web.Response:
        body = await _json(request)
        refused = self._refusal(request, "event", body)
        if refused is not None:
            return refused
        user = self._user(request)
        event = None if user is None else user.events.get(request.match_info["event"])
        if user is None or event is None:
            return self._answer(request, "event", 404, _NOT_FOUND, body)
        if request.method == "DELETE":
            del user.events[event["id"]]
            return self._answer(request, "event", 204, None, body)
        if request.method == "PATCH":
            event.update(body or {})
        return self._answer(request, "event", 200, event, body)

    async def _mailbox(self, request: web.Request) -> web.Response:
        body = await _json(request)
        refused = self._refusal(request, "mailbox", body)
        if refused is not None:
            return refused
        user = self._user(request)
        if user is None:
            return self._answer(request, "mailbox", 404, _NOT_FOUND, body)
        if request.method == "PATCH":
            user.mailbox.update(body or {})
        return self._answer(request, "mailbox", 200, user.mailbox, body)


async def _json(request: web.Request) -> Any:
    if not request.can_read_body:
        return None
    try:
        return json.loads(await request.text())
    except ValueError:
        return None


def person_id(number: int) -> str:
    """A GUID-shaped object id, as Entra's are."""
    return f"00000000-0000-4000-8000-{number:012d}"


def build_tenant(stub: GraphStub, people: int, per_unit: int = 20, areas: int = 10) -> list[str]:
    """A municipality of `people`: a director, area chiefs under them, unit leaders under the
    chiefs and staff under the unit leaders, one department per unit. Returns the ids in order."""
    ids = [person_id(n) for n in range(people)]
    stub.add_user(ids[0], "Direktør 0", department="Direktionen")
    chiefs = ids[1 : 1 + areas]
    for n, chief in enumerate(chiefs):
        stub.add_user(chief, f"Chef {n}", manager=ids[0], department=f"Område {n}")
    rest = ids[1 + areas :]
    for start in range(0, len(rest), per_unit):
        unit = start // per_unit
        leader, *staff = rest[start : start + per_unit]
        department = f"Enhed {unit}"
        chief = chiefs[unit % len(chiefs)]
        stub.add_user(leader, f"Leder {unit}", manager=chief, department=department)
        for member in staff:
            stub.add_user(
                member,
                f"Medarbejder {member[-6:]}",
                manager=leader,
                department=department,
                language="da-DK",
            )
    return ids


async def no_wait(_seconds: float) -> None:
    """Throttling waited out in no time (the client still counts the seconds)."""


def client_for(stub: GraphStub) -> Any:
    """naervaer's Graph client pointed at the stub, waiting out throttling in no time."""
    from bot.graph.client import GraphClient, GraphConfig

    s = stub.settings()
    config = GraphConfig(
        s["graph_base_url"],
        s["graph_authority"],
        s["graph_tenant_id"],
        s["graph_client_id"],
        s["graph_client_secret"],
    )
    return GraphClient(config, sleep=no_wait)
