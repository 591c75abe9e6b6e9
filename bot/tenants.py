"""Which Entra tenants may talk to naervaer: the organisation's own, nobody else's.

People are matched by directory id, so an activity from another tenant must never reach the
agent: it would be taken for a known person, and its conversation saved as their address. The
gate is adapter middleware, so it runs before the agent reads, stores or answers anything.

Teams carries the tenant twice, as `conversation.tenantId` and `channelData.tenant.id`, and not
every activity carries both (Microsoft's TeamsActivity.TenantId reads the conversation first,
channel data second, and treats an empty tenant as absent). Every tenant an activity names must
be allowed, and it must name one.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes
from microsoft_agents.hosting.core import TurnContext

from bot.card_press import invoke_response, message_body
from bot.settings import Settings
from bot.texts import t
from rules.language import language_of

log = logging.getLogger("naervaer.tenants")


def allowed_tenants(settings: Settings) -> frozenset[str] | None:
    """The allow-list, else the app's own tenant; None (everyone) only in local mode."""
    listed = {part.strip().lower() for part in settings.allowed_tenants.split(",")}
    listed.discard("")
    if not listed and settings.app_tenant_id:
        listed = {settings.app_tenant_id.strip().lower()}
    if listed:
        return frozenset(listed)
    if not settings.local_mode:
        raise ValueError(
            "set NAERVAER_APP_TENANT_ID or NAERVAER_ALLOWED_TENANTS: with an app id naervaer "
            "only answers the tenants it is told to"
        )
    return None


def tenants_of(activity: Activity) -> set[str]:
    """Every tenant id the activity names, lower-cased; empty ones do not count."""
    named: list[Any] = []
    if activity.conversation is not None:
        named.append(activity.conversation.tenant_id)
    channel_data = activity.channel_data
    tenant = (
        channel_data.get("tenant")
        if isinstance(channel_data, dict)
        else getattr(channel_data, "tenant", None)
    )
    named.append(tenant.get("id") if isinstance(tenant, dict) else getattr(tenant, "id", None))
    # A tenant that is not a string is not one Teams sends: it counts as one nobody allowed.
    return {
        value.strip().lower() if isinstance(value, str) else "?"
        for value in named
        if value is not None and value != ""
    }


class TenantGate:
    """Adapter middleware: activities from an allowed tenant go on to the agent; any other gets
    a polite refusal in its own language and touches nothing (no person, no address, no row)."""

    def __init__(self, allowed: frozenset[str] | None, default_locale: str) -> None:
        self.allowed = allowed
        self.default_locale = default_locale
        self.refused = 0  # since start, for the logs and tests

    @classmethod
    def of(cls, settings: Settings) -> TenantGate:
        allowed = allowed_tenants(settings)
        if allowed is None:
            log.warning(
                "LOCAL MODE: no NAERVAER_APP_TENANT_ID or NAERVAER_ALLOWED_TENANTS, so activities "
                "from every tenant are accepted."
            )
        else:
            log.info("accepting activities from %d tenant(s): %s", len(allowed), sorted(allowed))
        return cls(allowed, settings.default_locale)

    def admits(self, activity: Activity) -> bool:
        if self.allowed is None:
            return True
        named = tenants_of(activity)
        return bool(named) and named <= self.allowed

    async def on_turn(
        self, context: TurnContext, logic: Callable[[TurnContext], Awaitable[Any]]
    ) -> None:
        activity = context.activity
        if self.admits(activity):
            await logic(context)
            return
        self.refused += 1
        log.warning(
            "activity from a tenant not allowed refused type=%s tenants=%s",
            str(activity.type)[:30],
            sorted(tenants_of(activity))[:3],
        )
        await _refuse(context, language_of(activity.locale, self.default_locale))


async def _refuse(context: TurnContext, lang: str) -> None:
    """A card press hears back in its HTTP answer, a message in the chat; nothing else is said."""
    activity = context.activity
    text = t(lang, "scope_other_tenant")
    if activity.type == ActivityTypes.invoke:
        await context.send_activity(invoke_response(message_body(text)))
    elif activity.type == ActivityTypes.message and activity.conversation and activity.service_url:
        await context.send_activity(text)
