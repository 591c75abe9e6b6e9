"""Graph's parts built from the settings, for the server's jobs and the commands alike."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from bot.graph.client import GraphClient, GraphConfig
from bot.settings import Settings
from rules.policy import POLICY_DIR, load_policies
from services.org_sync import SyncOptions

log = logging.getLogger("naervaer.graph")


def graph_client(settings: Settings) -> GraphClient | None:
    """None (and the features that need Graph are off) without tenant, client id and secret."""
    credentials = settings.graph_credentials
    if credentials is None:
        return None
    tenant, client, secret = credentials
    return GraphClient(
        GraphConfig(
            base_url=settings.graph_base_url,
            authority=settings.graph_authority,
            tenant_id=tenant,
            client_id=client,
            client_secret=secret,
        )
    )


def sync_options(settings: Settings) -> SyncOptions:
    return SyncOptions(
        timezone=ZoneInfo(settings.timezone),
        unit_attribute=settings.org_unit_attribute,
        default_unit=settings.org_default_unit,
        overrides=settings.org_overrides,
        policies=list(load_policies(settings.policy_dir or POLICY_DIR)),
    )
