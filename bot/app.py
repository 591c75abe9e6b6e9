"""The one composition root: create_app(settings, clock) builds and wires everything."""

from __future__ import annotations

import logging
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from aiohttp import ClientResponseError, web
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter, jwt_authorization_decorator
from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration, AuthTypes
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.agent import NaervaerAgent
from bot.checkin_desk import CheckInDesk
from bot.desk import DeskSettings, LeaderDesk
from bot.followup_desk import FollowUpDesk
from bot.limits import TurnLimiter
from bot.messenger import BOT_FRAMEWORK, Messenger
from bot.metrics import Metrics
from bot.privacy_desk import PrivacyDesk
from bot.settings import Settings
from bot.tab.insight import InsightDesk
from bot.tab.pages import Tab
from bot.texts import language_of, t
from rules.policy import POLICY_DIR, load_policies
from rules.retention import Retention
from scheduler.clock import Clock, SystemClock
from scheduler.jobs import Jobs, forget_old_incoming_ids
from scheduler.outbox import OutboxSender, SenderSettings
from storage import db

log = logging.getLogger("naervaer.app")

ENGINE = web.AppKey("engine", object)
SESSIONS = web.AppKey("sessions", async_sessionmaker)
# The reminder job, callable directly so tests run it in virtual time instead of waiting.
NUDGE = web.AppKey("nudge", object)
FOLLOW_UP = web.AppKey("follow_up", object)
CHECKINS = web.AppKey("checkins", object)
FIGURES = web.AppKey("figures", object)
RETENTION = web.AppKey("retention", object)
DESK = web.AppKey("desk", DeskSettings)
JOBS = web.AppKey("jobs", Jobs)
SENDER = web.AppKey("sender", OutboxSender)
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


def desk_settings(settings: Settings) -> DeskSettings:
    return DeskSettings(
        ZoneInfo(settings.timezone),
        settings.default_locale,
        settings.acknowledge_within_hours,
        settings.followup_morning,
        settings.checkin_time,
        settings.checkin_digest_time,
        settings.team_day_time,
        Retention(
            absence_years_after_leaving=settings.retention_absence_years,
            checkin_comment_days=settings.retention_checkin_comment_days,
            checkin_answer_days=settings.retention_checkin_days,
            audit_years=settings.retention_audit_years,
            message_days=settings.retention_message_days,
        ),
    )


def create_app(settings: Settings, clock: Clock | None = None) -> web.Application:
    clock = clock or SystemClock()
    auth = auth_configuration(settings)
    connections = MsalConnectionManager(connections_configurations={"SERVICE_CONNECTION": auth})
    adapter = CloudAdapter(connection_manager=connections)
    adapter.on_turn_error = _on_turn_error
    engine = db.create_engine(settings.database_url)
    sessions = db.session_factory(engine)
    desk = desk_settings(settings)

    async def token() -> str:
        if settings.local_mode:
            return ""
        provider = connections.get_default_connection()
        return await provider.get_access_token(BOT_FRAMEWORK, [f"{BOT_FRAMEWORK}/.default"])

    messenger = Messenger(sessions, token, settings.app_id)
    sender: OutboxSender = OutboxSender(
        sessions,
        messenger.deliver,
        clock,
        SenderSettings(
            per_second=settings.outbox_rate,
            per_conversation_per_second=settings.outbox_conversation_rate,
            max_attempts=settings.outbox_max_attempts,
            lease=timedelta(seconds=settings.outbox_lease_seconds),
        ),
    )

    policies = load_policies(settings.policy_dir or POLICY_DIR)
    if settings.default_policy not in policies:
        raise ValueError(
            f"NAERVAER_DEFAULT_POLICY {settings.default_policy!r} is not a policy file"
        )
    agent = NaervaerAgent(
        sessions,
        clock,
        desk,
        sender.wake,
        policies,
        settings.default_policy,
        TurnLimiter(
            per_minute=settings.turns_per_minute, burst=max(10, settings.turns_per_minute / 3)
        ),
    )
    jobs = Jobs(settings.timezone)
    evaluated_on: list[date] = []

    async def follow_up() -> None:
        """Once a day a full evaluation; every tick, reminders that have come due."""
        async with sessions.begin() as session:
            followups = FollowUpDesk(session, clock.now(), desk, policies, settings.default_policy)
            if not await followups.try_lock():
                return
            if followups.today not in evaluated_on:
                due, created = await followups.evaluate_all()
                evaluated_on[:] = [followups.today]
                log.info("follow-ups evaluated: %s due, %s new", due, created)
            await followups.dispatch()
            sent = followups.enqueued
        if sent:
            sender.wake()

    async def checkins() -> None:
        """Every tick: prompts whose time has come, leaders' digests, the team day colour."""
        async with sessions.begin() as session:
            desk_ = CheckInDesk(session, clock.now(), desk)
            if not await desk_.try_lock():
                return
            await desk_.team_day_due()
            await desk_.prompt_due()
            await desk_.digests_due()
            sent = desk_.enqueued
        if sent:
            sender.wake()

    async def figures() -> None:
        """Once a day: the units' monthly figures, and Viborg's nudge on a clear swing."""
        async with sessions.begin() as session:
            insight = InsightDesk(session, clock.now(), desk)
            if await insight.nightly():
                log.info("unit figures refreshed")
            sent = insight.enqueued
        if sent:
            sender.wake()

    async def retention() -> None:
        """Once a day: apply the retention rules."""
        async with sessions.begin() as session:
            privacy = PrivacyDesk(session, clock.now(), desk, desk.retention)
            if await privacy.retention_due():
                log.info("retention applied: %s", await privacy.run_retention())

    async def nudge() -> None:
        async with sessions.begin() as session:
            sent = await LeaderDesk(session, clock.now(), desk).nudge_unacknowledged()
        if sent:
            sender.wake()

    async def messages(request: web.Request) -> web.StreamResponse:
        # Refused before the token check reads anything (aiohttp also caps what it reads).
        if (request.content_length or 0) > settings.max_request_kib * 1024:
            return web.json_response({"error": "request too large"}, status=413)
        return await authorized(request)

    @jwt_authorization_decorator
    async def authorized(request: web.Request) -> web.StreamResponse:
        try:
            response = await adapter.process(request, agent)
        except (ValidationError, TypeError, ValueError) as error:
            # Not an activity the SDK can read (a fuzzer, a broken client): nothing happened.
            # (Our own turn's errors never get here: the SDK hands them to _on_turn_error.)
            log.warning("invalid activity refused: %s", type(error).__name__)
            return web.json_response({"error": "invalid activity"}, status=400)
        if response is not None and response.status == 501:
            # Only an invoke the agent could not even answer (no conversation) ends here.
            return web.json_response({"error": "invalid activity"}, status=400)
        return response if response is not None else web.Response(status=202)

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(_request: web.Request) -> web.Response:
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            current = await db.schema_is_current(engine)
        except Exception as error:
            log.warning("readiness check failed: %s", type(error).__name__)
            return web.json_response({"status": "database unreachable"}, status=503)
        if not current:
            return web.json_response({"status": "migrations pending"}, status=503)
        return web.json_response({"status": "ready"})

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        if settings.local_mode:
            # Without an app id the SDK warns on every turn; once at start says it all.
            logging.getLogger(
                "microsoft_agents.hosting.core.connector.client.user_token_client"
            ).setLevel(logging.ERROR)
            log.warning(
                "LOCAL MODE: no NAERVAER_APP_ID set, so /api/messages accepts unsigned requests. "
                "Never run like this where the internet can reach the server."
            )
        await db.upgrade(engine)
        sender.start()
        jobs.every(
            timedelta(hours=1), lambda: forget_old_incoming_ids(sessions, clock), "forget-ids"
        )
        tick = timedelta(seconds=settings.tick_seconds)
        jobs.every(tick, nudge, "nudge-unacknowledged")
        jobs.every(tick, follow_up, "follow-ups")
        jobs.every(tick, checkins, "check-ins")
        jobs.every(tick, figures, "unit-figures")
        jobs.every(tick, retention, "retention")
        jobs.start()
        yield
        await jobs.stop()
        await sender.stop()
        await messenger.close()
        await engine.dispose()

    app = web.Application(
        middlewares=[_errors_as_json], client_max_size=settings.max_request_kib * 1024
    )
    with warnings.catch_warnings():
        # The SDK's JWT check reads this plain string key; aiohttp would rather have an AppKey.
        warnings.simplefilter("ignore", web.NotAppKeyWarning)
        app[AGENT_CONFIGURATION] = auth
    app[ENGINE] = engine
    app[SENDER] = sender
    app[SESSIONS] = sessions
    app[NUDGE] = nudge
    app[FOLLOW_UP] = follow_up
    app[CHECKINS] = checkins
    app[FIGURES] = figures
    app[RETENTION] = retention
    app[DESK] = desk
    app[JOBS] = jobs
    app.cleanup_ctx.append(lifecycle)
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    metrics = Metrics(
        sessions,
        clock.now,
        lambda: dict(agent.turns),
        lambda: dict(sender.stats),
        lambda: sender.senders,
    )
    app.router.add_get("/metrics", metrics.handler)
    Tab(settings, sessions, clock, desk).routes(app)
    return app


async def _on_turn_error(context: TurnContext, error: Exception) -> None:
    # The SDK's default shows the exception text to the user; we log it and apologise.
    if isinstance(error, ClientResponseError):
        # The channel refused our reply (a conversation it does not know): not our failure,
        # and nothing was stored, since replies go out after the commit.
        log.warning("reply refused by the channel: %s", error.status)
        return
    log.error("turn failed: %s", type(error).__name__, exc_info=error)
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
