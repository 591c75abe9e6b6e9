"""In-process fake of the Bot Framework Connector REST API (v3) for end-to-end tests.

The bot under test gets this stub's base URL as the activity ``serviceUrl``, so every outbound
call lands here, is recorded in ``stub.calls``, and can be scripted to fail the way Teams does.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Self

from aiohttp import web

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"

# Only calls that deliver or change content are subject to scripted failures and rate limits;
# reads and deletes are not what the bot's retry/backoff logic is about.
_WRITES = frozenset({"create", "send", "reply", "update"})
_DELIVERIES = frozenset({"create", "send", "reply"})
# Codes Teams uses where they differ from the HTTP reason phrase.
_DEFAULT_CODES = {400: "BadArgument", 413: "MessageSizeTooBig", 429: "Throttled"}
_INVALID_JSON = object()

Answer = tuple[int, Any, dict[str, str]]  # status, JSON payload (None = empty body), headers


def stub_conversation_id(member_id: str) -> str:
    """The 1:1 conversation id the stub hands out when a conversation with a member is created."""
    return f"a:stub-conv-{member_id}"


@dataclass
class Call:
    method: str
    path: str
    conversation_id: str | None
    activity_id: str | None  # from the URL; ids the stub minted are in ``response``
    body: Any
    headers: dict[str, str]
    status: int
    at: float
    kind: str = ""  # create | send | reply | update | delete | member | unknown
    response: Any = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def activity(self) -> dict[str, Any] | None:
        """The activity carried by this request (create conversation may embed one)."""
        body = self.body if isinstance(self.body, dict) else {}
        if self.kind == "create":
            return body.get("activity") or None
        return body if self.kind in _WRITES else None

    @property
    def delivered(self) -> bool:
        return self.ok and self.kind in _DELIVERIES and self.activity is not None


@dataclass(frozen=True)
class TeamsLimits:
    """Requests per sliding one-second window; None disables that limit. `documented()` adds
    the rest of what Microsoft documents ("Optimize your bot with rate limiting in Teams")."""

    app_per_second: int | None = 50
    conversation_per_second: int | None = 7
    # Further windows per conversation, (requests, seconds): Teams' 8 in 2 s, 60 in 30 s, ...
    conversation_windows: tuple[tuple[int, float], ...] = ()
    # Teams counts every request of the app, reads (member lookups) too.
    count_reads: bool = False

    @classmethod
    def documented(cls) -> TeamsLimits:
        """Per app per tenant 50/s; per conversation 7/1 s, 8/2 s, 60/30 s and 1,800/h."""
        return cls(50, 7, ((8, 2.0), (60, 30.0), (1800, 3600.0)), count_reads=True)

    def windows(self, app: bool) -> list[tuple[int, float]]:
        if app:
            return [] if self.app_per_second is None else [(self.app_per_second, 1.0)]
        first = (
            [] if self.conversation_per_second is None else [(self.conversation_per_second, 1.0)]
        )
        return first + list(self.conversation_windows)


@dataclass(frozen=True)
class _Failure:
    status: int
    retry_after: float | None
    code: str | None


def _default_code(status: int) -> str:
    return _DEFAULT_CODES.get(status) or HTTPStatus(status).phrase.replace(" ", "")


def _error(status: int, code: str, message: str, retry_after: float | None = None) -> Answer:
    headers = {} if retry_after is None else {"Retry-After": f"{retry_after:g}"}
    return status, {"error": {"code": code, "message": message}}, headers


class ConnectorStub:
    def __init__(
        self,
        *,
        limits: TeamsLimits | None = None,
        latency: float = 0.0,
        tenant_id: str = "stub-tenant",
        round_trip: float = 0.0,
    ) -> None:
        """`latency` waits before a request is read; `round_trip` after it is decided (counted
        by the limits on arrival, answered that much later, as Teams across a network)."""
        self.limits = limits
        self.latency = latency
        self.round_trip = round_trip
        self.tenant_id = tenant_id
        self.calls: list[Call] = []
        self.throttled = 0
        self.base_url = ""
        self._members: dict[str, dict[str, str]] = {}
        self._scripted: deque[_Failure] = deque()
        self._blocked: dict[str, str] = {}
        self._gone: set[str] = set()
        self._ids = itertools.count(1)
        self._app_window: deque[float] = deque()
        self._conversation_windows: dict[str, deque[float]] = {}
        self._runner: web.AppRunner | None = None

        app = web.Application()
        activity = "/v3/conversations/{conversationId}/activities/{activityId}"
        app.router.add_post("/v3/conversations", self._route("create"))
        app.router.add_post("/v3/conversations/{conversationId}/activities", self._route("send"))
        app.router.add_post(activity, self._route("reply"))
        app.router.add_put(activity, self._route("update"))
        app.router.add_delete(activity, self._route("delete"))
        app.router.add_get(
            "/v3/conversations/{conversationId}/members/{memberId}", self._route("member")
        )
        # Record calls to endpoints we do not fake, so a test failure shows what the bot tried.
        app.router.add_route("*", "/{tail:.*}", self._route("unknown"))
        self._app = app

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> str:
        if self._runner is not None:
            raise RuntimeError("ConnectorStub already started")
        # A short shutdown_timeout keeps teardown fast if the bot still has requests in flight.
        self._runner = web.AppRunner(self._app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}/"
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # -- scripting -------------------------------------------------------------------------

    def add_member(
        self,
        member_id: str,
        *,
        name: str | None = None,
        aad_object_id: str | None = None,
        email: str | None = None,
        user_principal_name: str | None = None,
        tenant_id: str | None = None,
    ) -> None:
        member = {
            "id": member_id,
            "name": name or member_id,
            "aadObjectId": aad_object_id,
            "email": email,
            "userPrincipalName": user_principal_name or email,
            "tenantId": tenant_id or self.tenant_id,
        }
        # The SDK's ChannelAccount rejects empty strings, so leave unknown fields out entirely.
        self._members[member_id] = {k: v for k, v in member.items() if v}

    def fail_next(
        self, n: int, status: int, *, retry_after: float | None = None, code: str | None = None
    ) -> None:
        self._scripted.extend(_Failure(status, retry_after, code) for _ in range(n))

    def block(
        self,
        conversation_id: str | None = None,
        member_id: str | None = None,
        code: str = "ConversationBlockedByUser",
    ) -> None:
        """Permanently answer 403 ``code`` (e.g. BotNotInConversationRoster, BotDisabledByAdmin)."""
        if conversation_id is None and member_id is None:
            raise ValueError("block() needs a conversation_id or a member_id")
        if conversation_id is not None:
            self._blocked[conversation_id] = code
        if member_id is not None:
            # Creating a conversation with the member yields this id, so one entry covers both.
            self._blocked[stub_conversation_id(member_id)] = code

    def gone(self, conversation_id: str) -> None:
        self._gone.add(conversation_id)

    # -- inspection ------------------------------------------------------------------------

    def sent(self) -> list[Call]:
        return [c for c in self.calls if c.delivered]

    def texts(self) -> list[str]:
        """Text of every delivered activity that has one (card-only messages are skipped)."""
        return [text for c in self.sent() if (text := (c.activity or {}).get("text"))]

    def cards(self) -> list[dict[str, Any]]:
        return [
            attachment.get("content")
            for c in self.sent()
            for attachment in (c.activity or {}).get("attachments") or []
            if attachment.get("contentType") == ADAPTIVE_CARD
        ]

    def updates(self) -> list[Call]:
        return [c for c in self.calls if c.kind == "update" and c.ok]

    def clear(self) -> None:
        """Forget recorded calls; scripted failures, blocks and members stay in place."""
        self.calls.clear()
        self.throttled = 0

    def summary(self) -> str:
        lines = [f"{len(self.calls)} recorded call(s):"]
        start = self.calls[0].at if self.calls else 0.0
        for c in self.calls:
            text = (c.activity or {}).get("text")
            detail = f" text={text[:60]!r}" if text else ""
            lines.append(f"  +{c.at - start:.3f}s {c.method} {c.path} -> {c.status}{detail}")
        return "\n".join(lines)

    # The brief's API takes a timeout argument; asyncio.timeout would lose the calls summary.
    async def wait_for(
        self,
        predicate: Callable[[ConnectorStub], bool],
        timeout: float = 5.0,
        interval: float = 0.01,
    ) -> None:
        """`interval`: a long wait over thousands of calls polls less often, so that the stub's
        own loop stays free to stamp arrivals on time (its rate limits count those stamps)."""
        deadline = time.monotonic() + timeout
        while not predicate(self):
            if time.monotonic() >= deadline:
                raise TimeoutError(f"condition not met within {timeout}s; {self.summary()}")
            await asyncio.sleep(interval)

    async def wait_for_sent(self, n: int, timeout: float = 5.0) -> list[Call]:
        await self.wait_for(lambda stub: len(stub.sent()) >= n, timeout)
        return self.sent()

    # -- HTTP ------------------------------------------------------------------------------

    def _route(self, kind: str) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def handler(request: web.Request) -> web.StreamResponse:
            return await self._handle(kind, request)

        return handler

    async def _handle(self, kind: str, request: web.Request) -> web.StreamResponse:
        if self.latency:
            await asyncio.sleep(self.latency)
        body: Any = None
        if request.body_exists:
            try:
                body = json.loads(await request.text())
            except ValueError:
                body = _INVALID_JSON
        # match_info is already percent-decoded, so ids like "a:1;messageid=2" arrive intact.
        conversation_id = request.match_info.get("conversationId")
        if kind == "create" and isinstance(body, dict):
            members = body.get("members") or [{}]
            if member_id := members[0].get("id"):
                conversation_id = stub_conversation_id(member_id)
        # No await between deciding and recording: concurrent requests see a consistent state.
        status, payload, headers = self._answer(kind, request, conversation_id, body)
        self.calls.append(
            Call(
                method=request.method,
                path=request.path,
                conversation_id=conversation_id,
                activity_id=request.match_info.get("activityId"),
                body=None if body is _INVALID_JSON else body,
                headers=dict(request.headers),
                status=status,
                at=time.monotonic(),
                kind=kind,
                response=payload,
            )
        )
        if self.round_trip:
            await asyncio.sleep(self.round_trip)
        if payload is None:
            return web.Response(status=status, headers=headers)
        return web.json_response(payload, status=status, headers=headers)

    def _answer(
        self, kind: str, request: web.Request, conversation_id: str | None, body: Any
    ) -> Answer:
        if kind == "unknown":
            return _error(404, "NotFound", f"stub has no route for {request.method} {request.path}")
        if kind in _WRITES and not isinstance(body, dict):
            return _error(400, "BadSyntax", "request body must be a JSON object")
        if kind == "create" and conversation_id is None:
            return _error(400, "BadArgument", "members[0].id is required")
        assert conversation_id is not None  # every remaining route has it in the URL or body
        if conversation_id in self._gone and kind != "create":
            return _error(404, "ConversationNotFound", f"{conversation_id} does not exist")
        if code := self._blocked.get(conversation_id):
            return _error(403, code, f"{conversation_id} is blocked: {code}")
        if kind in _WRITES and self._scripted:
            failure = self._scripted.popleft()
            code = failure.code or _default_code(failure.status)
            return _error(failure.status, code, "scripted failure", failure.retry_after)
        if (retry_after := self._admit(kind, conversation_id)) is not None:
            self.throttled += 1
            return _error(429, "Throttled", "Teams rate limit exceeded", retry_after)
        return self._succeed(kind, request, conversation_id, body)

    def _succeed(self, kind: str, request: web.Request, conversation_id: str, body: Any) -> Answer:
        if kind == "create":
            payload = {"id": conversation_id, "serviceUrl": self.base_url}
            # The SDK rejects an empty activityId, so only mint one when an activity was sent.
            if body.get("activity"):
                payload["activityId"] = self._new_activity_id()
            return 200, payload, {}
        if kind in ("send", "reply"):
            return 200, {"id": self._new_activity_id()}, {}
        if kind == "update":
            return 200, {"id": request.match_info["activityId"]}, {}
        if kind == "delete":
            return 200, None, {}
        member_id = request.match_info["memberId"]
        if member := self._members.get(member_id):
            return 200, member, {}
        return _error(404, "MemberNotFoundInConversation", f"{member_id} not in conversation")

    def _new_activity_id(self) -> str:
        return f"stub-act-{next(self._ids)}"

    def _admit(self, kind: str, conversation_id: str) -> float | None:
        """Sliding windows; only admitted requests use up the budget. None when admitted, else
        the Retry-After: whole seconds until every window has room (at least 1, as Teams)."""
        limits = self.limits
        if limits is None or (kind not in _WRITES and not limits.count_reads):
            return None
        now = time.monotonic()
        logs = [(self._app_window, limits.windows(app=True))]
        if kind in _WRITES:
            conversation = self._conversation_windows.setdefault(conversation_id, deque())
            logs.append((conversation, limits.windows(app=False)))
        free_at = now
        for log, windows in logs:
            longest = max((seconds for _, seconds in windows), default=0.0)
            while log and now - log[0] >= longest:
                log.popleft()
            for cap, seconds in windows:
                if len(log) >= cap and now - log[-cap] < seconds:
                    free_at = max(free_at, log[-cap] + seconds)
        if free_at > now:
            return float(max(1, math.ceil(free_at - now)))
        for log, _ in logs:
            log.append(now)
        return None
