"""/metrics in the Prometheus text format: what this process did (turns, sends, 429s) and what
the database holds (outbox depth by status, follow-ups due). Counters are per process; a
scraper sums the replicas.

The figures name no one, but they tell an outsider how busy the organisation is and when the
bot sends: with an app id, /metrics answers only a scraper holding NAERVAER_METRICS_TOKEN as a
bearer token, and without a token configured it does not exist (404). In local mode it is open
unless a token is set, like the rest of a local server."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from aiohttp import web
from prometheus_client import CollectorRegistry, Gauge, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from bot.settings import Settings
from storage.db import Sessions
from storage.followups import FollowUpRepository
from storage.outbox import OutboxRepository

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
log = logging.getLogger("naervaer.metrics")


class _Counts(Collector):
    """Exposes plain Counter objects the agent and the sender keep, without coupling them to
    the Prometheus client."""

    def __init__(
        self,
        turns: Callable[[], dict[str, int]],
        sends: Callable[[], dict[str, int]],
        senders: Callable[[], int],
    ):
        self.turns = turns
        self.sends = sends
        self.senders = senders

    def collect(self):
        turns = CounterMetricFamily("naervaer_turns", "Incoming activities", labels=["type"])
        for kind, n in sorted(self.turns().items()):
            turns.add_metric([kind], n)
        yield turns
        sends = CounterMetricFamily(
            "naervaer_outbox_outcomes", "Outbox delivery outcomes", labels=["outcome"]
        )
        for outcome, n in sorted(self.sends().items()):
            sends.add_metric([outcome], n)
        yield sends
        throttled = CounterMetricFamily("naervaer_outbox_throttled", "429 answers from Teams")
        throttled.add_metric([], self.sends().get("throttled", 0))
        yield throttled
        yield GaugeMetricFamily(
            "naervaer_outbox_senders",
            "Replicas sharing Teams' per-app send rate, as this process last counted",
            value=self.senders(),
        )


class Metrics:
    def __init__(
        self,
        sessions: Sessions,
        now: Callable[[], datetime],
        turns: Callable[[], dict[str, int]],
        sends: Callable[[], dict[str, int]],
        senders: Callable[[], int] = lambda: 1,
    ) -> None:
        self.sessions = sessions
        self.now = now
        self.registry = CollectorRegistry(auto_describe=True)
        self.registry.register(_Counts(turns, sends, senders))
        self.depth = Gauge(
            "naervaer_outbox_depth", "Outbox messages by status", ["status"], registry=self.registry
        )
        self.due = Gauge(
            "naervaer_followups_due", "Open follow-ups due today or before", registry=self.registry
        )

    async def handler(self, _request: web.Request) -> web.Response:
        async with self.sessions() as session:
            counts = await OutboxRepository(session).counts()
            due = await FollowUpRepository(session).count_due(self.now().date())
        for status in ("pending", "sending", "sent", "failed", "unreachable"):
            self.depth.labels(status).set(counts.get(status, 0))
        self.due.set(due or 0)
        return web.Response(
            body=generate_latest(self.registry), headers={"Content-Type": CONTENT_TYPE}
        )


def behind_token(handler: Handler, settings: Settings) -> Handler:
    """The handler for a scraper with the token; 404 when no token is set outside local mode."""
    token = settings.metrics_token
    secret = token.get_secret_value().strip().encode() if token is not None else b""
    if not secret:
        if settings.local_mode:
            return handler
        log.info("/metrics is off: set NAERVAER_METRICS_TOKEN to scrape it")
        return _not_found

    async def checked(request: web.Request) -> web.StreamResponse:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        # Compared in constant time: the answer's timing tells nothing about the token.
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), secret):
            return web.Response(status=401, headers={"WWW-Authenticate": "Bearer"})
        return await handler(request)

    return checked


async def _not_found(_request: web.Request) -> web.StreamResponse:
    return web.Response(status=404)
