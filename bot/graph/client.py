"""A small Microsoft Graph client on aiohttp: app-only tokens by client credentials, and
requests that wait out throttling (429/503 with Retry-After) before giving up.

Not MSAL: MSAL's confidential client insists on an https authority and blocks the loop with
`requests`, while a test must point the authority at a local stub; the client-credentials grant
is one form POST (Microsoft identity platform, OAuth 2.0 client credentials flow)."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp

from services.directory import GraphRefused

log = logging.getLogger("naervaer.graph")

# Throttled or briefly unavailable: Graph says when to come back (Retry-After, in seconds).
_WAIT_STATUSES = frozenset({429, 503, 504})


@dataclass(frozen=True)
class GraphConfig:
    base_url: str
    authority: str
    tenant_id: str
    client_id: str
    client_secret: str
    scope: str = "https://graph.microsoft.com/.default"
    max_attempts: int = 8
    longest_wait: float = 300.0


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    headers: dict[str, str]

    @property
    def code(self) -> str:
        error = self.body.get("error") if isinstance(self.body, dict) else None
        return str(error.get("code", "")) if isinstance(error, dict) else ""


class GraphClient:
    def __init__(
        self,
        config: GraphConfig,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.config = config
        self.base_url = config.base_url.rstrip("/")
        self.waited = 0.0  # seconds spent waiting out throttling, for the logs and tests
        self._sleep = sleep
        self._http: aiohttp.ClientSession | None = None
        self._token: tuple[str, float] | None = None  # token, loop time it expires
        self._token_lock = asyncio.Lock()

    def _session(self) -> aiohttp.ClientSession:
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
        return self._http

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()

    async def token(self) -> str:
        async with self._token_lock:
            loop = asyncio.get_running_loop()
            if self._token is not None and self._token[1] > loop.time():
                return self._token[0]
            cfg = self.config
            url = f"{cfg.authority.rstrip('/')}/{cfg.tenant_id}/oauth2/v2.0/token"
            form = {
                "grant_type": "client_credentials",
                "client_id": cfg.client_id,
                "client_secret": cfg.client_secret,
                "scope": cfg.scope,
            }
            async with self._session().post(url, data=form) as response:
                body = await response.json(content_type=None)
            if response.status != 200 or "access_token" not in body:
                raise GraphRefused(response.status, str(body.get("error", "token")))
            # A minute's margin, so a token never expires on its way to Graph.
            expires = loop.time() + float(body.get("expires_in", 3599)) - 60
            self._token = (str(body["access_token"]), expires)
            return self._token[0]

    async def request(self, method: str, url: str, body: Any = None) -> Answer:
        """One Graph call, retried while throttled; the last answer when retries run out."""
        answer = Answer(0, None, {})
        for attempt in range(self.config.max_attempts):
            answer = await self._once(method, url, body)
            if answer.status == 401 and attempt == 0:
                self._token = None  # revoked or expired early: one fresh token
                continue
            if answer.status not in _WAIT_STATUSES:
                return answer
            await self._wait(answer, attempt)
        return answer

    async def _once(self, method: str, url: str, body: Any) -> Answer:
        headers = {"Authorization": f"Bearer {await self.token()}"}
        full = url if url.startswith("http") else f"{self.base_url}{url}"
        async with self._session().request(method, full, json=body, headers=headers) as response:
            text = await response.text()
            payload = json.loads(text) if text.strip() else None
            return Answer(response.status, payload, dict(response.headers))

    async def _wait(self, answer: Answer, attempt: int) -> None:
        try:
            seconds = float(answer.headers.get("Retry-After", ""))
        except ValueError:
            seconds = float(2**attempt)  # no advice: back off exponentially
        seconds = min(max(seconds, 0.0), self.config.longest_wait)
        log.warning("graph throttled status=%s wait=%.1fs", answer.status, seconds)
        self.waited += seconds
        await self._sleep(seconds)
