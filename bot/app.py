"""The one composition root: create_app(settings, clock) builds and wires everything."""

from __future__ import annotations

import gc
import logging
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from aiohttp import ClientResponseError, web
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter, jwt_authorization_decorator
from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration, AuthTypes
from pydantic import ValidationError

from bot import intake
from bot.adapter import PooledClients
from bot.agent import NaervaerAgent
from bot.graph.jobs import GraphJobs
from bot.limits import TurnLimiter
from bot.messenger import BOT_FRAMEWORK, Messenger
from bot.metrics import Metrics, behind_token
from bot.render import PersonUrl, TeamsRenderer
from bot.settings import Settings
from bot.tab.links import person_link
from bot.tab.pages import Tab
from bot.tenants import TenantGate
from bot.texts import t
from rules.language import language_of
from rules.policy import POLICY_DIR, load_policies
from rules.retention import Retention
from scheduler.clock import Clock, SystemClock
from scheduler.jobs import Jobs, forget_old_incoming_ids, runner
from scheduler.outbox import OutboxSender, SenderSettings
from scheduler.send_budget import SendBudget
from services.config import Config
from services.features import Features, features
from services.jobs import job_table
from services.payroll import PayrollConfig
from services.work import Work
from storage import db
from storage.store import Store

log = logging.getLogger("naervaer.app")
_CHECKING_READINESS: ContextVar[bool] = ContextVar("checking_readiness", default=False)


class _QuietReadiness(logging.Filter):
    """Alembic logs two lines each time it reads the schema version: news when the server
    starts, noise on every /readyz poll of a load balancer."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not _CHECKING_READINESS.get()


QUIET_READINESS = _QuietReadiness()
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

ENGINE = web.AppKey("engine", object)
SESSIONS = web.AppKey("sessions", db.Sessions)
NUDGE = web.AppKey("nudge", object)
FOLLOW_UP = web.AppKey("follow_up", object)
CHECKINS = web.AppKey("checkins", object)
FIGURES = web.AppKey("figures", object)
RETENTION = web.AppKey("retention", object)
CONFIG = web.AppKey("config", Config)
FEATURES = web.AppKey("features", object)
JOBS = web.AppKey("jobs", Jobs)
JOB_KEYS = {
    NUDGE: "nudge-unacknowledged",
    FOLLOW_UP: "follow-ups",
    CHECKINS: "check-ins",
    FIGURES: "unit-figures",
    RETENTION: "retention",
}
SENDER = web.AppKey("sender", OutboxSender)
GRAPH_JOBS = web.AppKey("graph_jobs", GraphJobs)
AGENT_CONFIGURATION = "agent_configuration"  # the key the SDK's JWT check reads


def auth_configuration(settings: Settings) -> AgentAuthConfiguration:
    if settings.local_mode:
        return AgentAuthConfiguration(anonymous_allowed=True)
    auth_type = {
        "SingleTenant": AuthTypes.client_secret,
        "MultiTenant": AuthTypes.client_secret,
        "UserAssignedMSI": AuthTypes.user_managed_identity,
    }[settings.app_type]
    return AgentAuthConfiguration(
        auth_type=auth_type,
        client_id=settings.app_id,
        tenant_id=settings.app_tenant_id,
        client_secret=settings.app_secret.get_secret_value() if settings.app_secret else None,
        anonymous_allowed=False,
    )


def service_config(settings: Settings) -> Config:
    """The one configuration object the services get, built once from the settings."""
    policies = load_policies(settings.policy_dir or POLICY_DIR)
    if settings.default_policy not in policies:
        raise ValueError(
            f"NAERVAER_DEFAULT_POLICY {settings.default_policy!r} is not a policy file"
        )
    return Config(
        timezone=ZoneInfo(settings.timezone),
        default_locale=settings.default_locale,
        acknowledge_within_hours=settings.acknowledge_within_hours,
        morning=settings.followup_morning,
        checkin_time=settings.checkin_time,
        checkin_digest_time=settings.checkin_digest_time,
        team_day_time=settings.team_day_time,
        retention=Retention(
            absence_years_after_leaving=settings.retention_absence_years,
            checkin_comment_days=settings.retention_checkin_comment_days,
            checkin_answer_days=settings.retention_checkin_days,
            audit_years=settings.retention_audit_years,
            message_days=settings.retention_message_days,
        ),
        policies=policies,
        default_policy=settings.default_policy,
        # The same condition as GraphJobs' own: no Graph credentials, no Outlook.
        outlook_while_sick=settings.outlook_while_sick if settings.graph_credentials else "off",
    )


def payroll_config(settings: Settings) -> PayrollConfig:
    return PayrollConfig(
        settings.payroll_dir,
        settings.payroll_codes,
        settings.payroll_codes_dir,
        settings.payroll_retention_days,
    )


def features_opener(
    config: Config, person_url: PersonUrl | None = None
) -> Callable[[db.Session, datetime], Features]:
    """Every feature on one session at one moment: what a turn, a job or a tab page works in.
    `person_url` links cards about a person to the person's page in the tab."""
    renderer = TeamsRenderer(person_url)

    def open_features(session: db.Session, now: datetime) -> Features:
        return features(Work(Store(session), now, config, renderer))

    return open_features


def create_app(
    settings: Settings,
    clock: Clock | None = None,
    *,
    migrate: bool = True,
    background: bool = True,
) -> web.Application:
    """`migrate`: upgrade the schema at start; `background`: run the outbox sender and the
    jobs (a tab-only worker does neither; see bot/serving.py)."""
    naervaer = Naervaer(settings, clock or SystemClock())
    naervaer.migrate, naervaer.background = migrate, background
    logging.getLogger("alembic.runtime.migration").addFilter(QUIET_READINESS)
    app = web.Application(
        middlewares=[_errors_as_json], client_max_size=settings.max_request_kib * 1024
    )
    with warnings.catch_warnings():
        # The SDK's JWT check reads this plain string key; aiohttp would rather have an AppKey.
        warnings.simplefilter("ignore", web.NotAppKeyWarning)
        app[AGENT_CONFIGURATION] = naervaer.auth
    app[ENGINE] = naervaer.engine
    app[SENDER] = naervaer.sender
    app[SESSIONS] = naervaer.sessions
    # The jobs, callable directly so that tests run them in virtual time instead of waiting.
    for key, name in JOB_KEYS.items():
        app[key] = naervaer.runs[name]
    app[CONFIG] = naervaer.config
    app[FEATURES] = naervaer.open_features
    app[JOBS] = naervaer.jobs
    app[GRAPH_JOBS] = naervaer.graph
    app.cleanup_ctx.append(naervaer.lifecycle)
    for method, path, handler in naervaer.routes():
        app.router.add_route(method, path, handler)
    naervaer.tab.routes(app)
    return app


class Naervaer:
    """The parts of one server, built once and wired together; aiohttp starts and stops them."""

    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock
        self.migrate = self.background = True
        self.auth = auth_configuration(settings)
        self.connections = MsalConnectionManager(
            connections_configurations={"SERVICE_CONNECTION": self.auth}
        )
        self.clients = PooledClients(self.connections)
        self.adapter = CloudAdapter(channel_service_client_factory=self.clients)
        self.adapter.on_turn_error = _on_turn_error
        self.adapter.use(TenantGate.of(settings))  # other tenants never reach the agent
        self.engine = db.create_engine(settings.database_url)
        self.sessions = db.session_factory(self.engine)
        self.graph = GraphJobs(settings, self.sessions, clock)
        self.config = service_config(settings)
        self.open_features = features_opener(self.config, partial(person_link, settings))
        sending = sender_settings(settings)
        # One send budget for the replies and the outbox (scheduler/send_budget.py).
        budget = SendBudget.for_rates(
            sending.per_second, sending.per_conversation_per_second, sending.conversation_windows
        )
        self.messenger = Messenger(self.sessions, self.token, settings.app_id, budget=budget)
        self.sender: OutboxSender = OutboxSender(
            self.sessions,
            self.graph.feed_delivery(self.messenger.deliver),
            clock,
            sending,
            budget=budget,
        )
        self.agent = NaervaerAgent(
            self.sessions,
            clock,
            self.open_features,
            settings.default_locale,
            self.sender.wake,
            TurnLimiter(
                per_minute=settings.turns_per_minute, burst=max(10, settings.turns_per_minute / 3)
            ),
            TeamsRenderer(partial(person_link, settings)).activity,
            self.messenger,
        )
        self.jobs = Jobs(settings.timezone)
        self.runs = {
            job.name: runner(job, self.unit_of_work, self.sender.wake)
            for job in job_table(payroll_config(settings))
        }
        # The SDK checks the Bot Framework token before the activity is read.
        self.authorized = jwt_authorization_decorator(self.process)
        self.tab = Tab(settings, self.sessions, clock, self.config, self.open_features)

    async def token(self) -> str:
        if self.settings.local_mode:
            return ""
        provider = self.connections.get_default_connection()
        return await provider.get_access_token(BOT_FRAMEWORK, [f"{BOT_FRAMEWORK}/.default"])

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[Features]:
        async with self.sessions.begin() as session:
            yield self.open_features(session, self.clock.now())

    def routes(self) -> list[tuple[str, str, Handler]]:
        metrics = Metrics(
            self.sessions,
            self.clock.now,
            lambda: dict(self.agent.turns),
            lambda: dict(self.sender.stats),
            lambda: self.sender.senders,
        )
        return [
            ("POST", "/api/messages", self.messages),
            ("GET", "/healthz", self.healthz),
            ("GET", "/readyz", self.readyz),
            ("GET", "/metrics", behind_token(metrics.handler, self.settings)),
        ]

    async def messages(self, request: web.Request) -> web.StreamResponse:
        # Refused before the token check reads anything (aiohttp also caps what it reads).
        if (request.content_length or 0) > self.settings.max_request_kib * 1024:
            return web.json_response({"error": "request too large"}, status=413)
        return await self.authorized(request)

    async def process(self, request: web.Request) -> web.StreamResponse:
        try:
            # The body is read the safe way (bot/intake.py) before the SDK validates it.
            response = await intake.process(self.adapter, request, self.agent)
        except (ValidationError, TypeError, ValueError) as error:
            # Not an activity the SDK can read (a fuzzer, a broken client): nothing happened.
            # (Our own turn's errors never get here: the SDK hands them to _on_turn_error.)
            log.warning("invalid activity refused: %s", type(error).__name__)
            return web.json_response({"error": "invalid activity"}, status=400)
        if response is not None and response.status == 501:
            # Only an invoke the agent could not even answer (no conversation) ends here.
            return web.json_response({"error": "invalid activity"}, status=400)
        return response if response is not None else web.Response(status=202)

    async def healthz(self, _request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(self, _request: web.Request) -> web.Response:
        checking = _CHECKING_READINESS.set(True)
        try:
            current = await db.is_ready(self.engine)
        except Exception as error:
            log.warning("readiness check failed: %s", type(error).__name__)
            return web.json_response({"status": "database unreachable"}, status=503)
        finally:
            _CHECKING_READINESS.reset(checking)
        if not current:
            return web.json_response({"status": "migrations pending"}, status=503)
        return web.json_response({"status": "ready"})

    async def lifecycle(self, _app: web.Application) -> AsyncIterator[None]:
        if self.settings.local_mode:
            _warn_local_mode()
        if self.migrate:
            await db.upgrade(self.engine)
        if self.background:
            self.sender.start()
            self.jobs.every(
                timedelta(hours=1),
                lambda: forget_old_incoming_ids(self.sessions, self.clock),
                "forget-ids",
            )
            self.jobs.table(timedelta(seconds=self.settings.tick_seconds), list(self.runs.items()))
            for name, interval, run in self.graph.jobs():
                self.jobs.every(interval, run, name)
            self.jobs.start()
        # What start-up made (modules, the SDK's models, templates) stays for the life of the
        # process: out of the collector's sight, a full collection no longer walks it and
        # pauses every turn on the loop for ~150 ms.
        gc.collect()
        gc.freeze()
        yield
        if self.background:
            await self.jobs.stop()
            await self.sender.stop()
        await self.messenger.close()
        await self.graph.close()
        await self.clients.close()
        await self.engine.dispose()


def sender_settings(settings: Settings) -> SenderSettings:
    return SenderSettings(
        per_second=settings.outbox_rate,
        per_conversation_per_second=settings.outbox_conversation_rate,
        conversation_windows=settings.teams_conversation_limits,
        max_attempts=settings.outbox_max_attempts,
        lease=timedelta(seconds=settings.outbox_lease_seconds),
    )


def _warn_local_mode() -> None:
    # Without an app id the SDK warns on every turn; once at start says it all.
    logging.getLogger("microsoft_agents.hosting.core.connector.client.user_token_client").setLevel(
        logging.ERROR
    )
    log.warning(
        "LOCAL MODE: no NAERVAER_APP_ID set, so /api/messages accepts unsigned requests. "
        "Never run like this where the internet can reach the server."
    )


async def _on_turn_error(context: TurnContext, error: Exception) -> None:
    # The SDK's default shows the exception text to the user; we log it and apologise.
    if isinstance(error, ClientResponseError):
        # The channel refused our reply (a conversation it does not know): not our failure,
        # and nothing was stored, since replies go out after the commit.
        log.warning("reply refused by the channel: %s", error.status)
        return
    # Input the turn should have refused: one line, not a traceback (bot/intake.py).
    trace = None if intake.input_error(error) else error
    log.error("turn failed: %s", type(error).__name__, exc_info=trace)
    lang = language_of(context.activity.locale)
    try:
        await context.send_activity(t(lang, "internal_error"))
    except Exception:
        log.warning("could not tell the user about the failed turn")


@web.middleware
async def _errors_as_json(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception:
        log.exception("request failed path=%s", request.path)
        return web.json_response({"error": "internal error"}, status=500)
