"""Configuration from the environment (NAERVAER_*) and an optional .env file."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NAERVAER_", env_file=".env", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./naervaer.db"
    host: str = "127.0.0.1"
    port: int = Field(3978, ge=1, le=65535)
    timezone: str = "Europe/Copenhagen"
    default_locale: str = "da-DK"

    # The Azure Bot registration. Without an app id the server runs in local mode.
    app_id: str | None = None
    app_secret: SecretStr | None = None
    app_tenant_id: str | None = None
    app_type: Literal["SingleTenant", "MultiTenant", "UserAssignedMSI"] = "SingleTenant"
    # The Entra tenants whose activities are answered, comma separated (default: app_tenant_id
    # alone). With neither, every tenant is answered: allowed in local mode only (bot/tenants.py).
    allowed_tenants: str = ""
    # /metrics answers only "Authorization: Bearer <this>"; without one it is 404, except in
    # local mode, where it is open like the rest (bot/metrics.py).
    metrics_token: SecretStr | None = None

    # Teams allows 50 requests/s per app per tenant and 7/s per conversation (and 8/2 s, 60/30 s,
    # 1,800/h); replies and the outbox share them (scheduler/send_budget.py: 49/s at most).
    outbox_rate: float = Field(50.0, gt=0, le=50)
    # Keep Teams' per-conversation windows; off only against a connector without them (tests).
    teams_conversation_limits: bool = True
    outbox_conversation_rate: float = Field(7.0, gt=0, le=7)
    outbox_max_attempts: int = Field(8, ge=1, le=50)
    # How long a process may hold a claimed message before another may take it over.
    outbox_lease_seconds: float = Field(120.0, ge=1, le=3600)
    # Working hours before an unanswered sick report is reminded (and 2x: the leader above told).
    acknowledge_within_hours: float = Field(4.0, gt=0, le=40)
    # Follow-up policies: a folder of YAML files (default: policies/ of the project) and the one
    # used by units that name none (nor do their parents).
    policy_dir: Path | None = None
    default_policy: str = "default"
    # When leaders get the day's follow-up reminders, local time.
    followup_morning: time = time(8, 0)
    # Daily check-in defaults, local time: the question (a unit or person may have its own),
    # the leader's digest (a leader may choose another), and the team day colour message.
    checkin_time: time = time(14, 30)
    checkin_digest_time: time = time(15, 30)
    team_day_time: time = time(7, 30)
    # How often the reminder and follow-up ticks run (they are idempotent; tests shorten it).
    tick_seconds: float = Field(60.0, ge=0.2, le=3600)
    # The insight tab's Teams SSO tokens: who must have signed them (a JWKS URL), for which
    # audience (the app id URI, e.g. api://naervaer.example.dk/<app id>; the app id is always
    # accepted) and which issuer (default: the tenant's v2.0 issuer).
    tab_jwks_url: str = "https://login.microsoftonline.com/common/discovery/v2.0/keys"
    tab_audience: str | None = None
    tab_issuer: str | None = None
    # Retention (see rules/retention.py for what each covers).
    retention_absence_years: int = Field(3, ge=0, le=50)
    retention_checkin_comment_days: int = Field(90, ge=1, le=3650)
    retention_checkin_days: int = Field(365, ge=1, le=3650)
    retention_audit_years: int = Field(5, ge=1, le=50)
    retention_message_days: int = Field(30, ge=1, le=3650)
    # Payroll (README "Payroll"): the folder the daily hand-off file is written to (none: no
    # hand-off), the code table it uses (payroll/<name>.yaml, or the municipality's own folder),
    # and how long hand-off files and keyed-in rows are kept.
    payroll_dir: Path | None = None
    payroll_codes: str = "kmd"
    payroll_codes_dir: Path | None = None
    payroll_retention_days: int = Field(90, ge=1, le=3650)
    # Incoming turns per user per minute (a burst of 10 is always allowed), and the largest
    # request body /api/messages accepts (Teams activities are a few KiB).
    turns_per_minute: float = Field(30.0, gt=0, le=600)
    # `naervaer serve` in several processes on one port (bot/serving.py): bot worker processes
    # (more than one needs PostgreSQL), and the tab in a process of its own so that no page
    # ever holds up a turn.
    workers: int = Field(1, ge=1, le=32)
    tab_worker: bool = False
    max_request_kib: int = Field(256, ge=16, le=4096)
    # json: one object per line with ids only (for a log collector); text: for a terminal;
    # auto: text when standard error is a terminal, else json.
    log_format: Literal["auto", "json", "text"] = "auto"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # Microsoft Graph, app-only (client credentials; issue 19). Tenant, client id and secret
    # default to the bot's own registration (NAERVAER_APP_*); the URLs are for tests' stubs.
    graph_base_url: str = "https://graph.microsoft.com/v1.0"
    graph_authority: str = "https://login.microsoftonline.com"
    graph_tenant_id: str | None = None
    graph_client_id: str | None = None
    graph_client_secret: SecretStr | None = None
    # Org sync from Entra ID: minutes between runs (0: only `naervaer org sync`), the user
    # property naming the unit, the unit of people without one, and an overrides CSV.
    org_sync_minutes: int = Field(0, ge=0, le=10080)
    org_unit_attribute: str = "department"
    org_default_unit: str = "Uden afdeling"
    org_overrides: Path | None = None
    # Install the Teams app for everyone who lacks it after each sync (the app's catalog id).
    org_sync_install: bool = False
    teams_app_catalog_id: str | None = None
    # Where leaders' reminders and escalations go: the bot chat, the Teams activity feed
    # (cards a leader acts on stay in the chat too), or both. The feed needs Graph.
    leader_notices: Literal["chat", "feed", "both"] = "chat"
    # Outlook while sick (Graph): off; on for those who say "outlook til" (opt-in); or on for
    # all but those who say "outlook fra" (opt-out).
    outlook_while_sick: Literal["off", "opt-in", "opt-out"] = "off"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @field_validator("app_id", "app_tenant_id", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def local_mode(self) -> bool:
        return not self.app_id

    @property
    def graph_credentials(self) -> tuple[str, str, str] | None:
        """Tenant, client id and secret for Graph, or None when Graph is not configured."""
        secret = self.graph_client_secret or self.app_secret
        tenant = self.graph_tenant_id or self.app_tenant_id
        client = self.graph_client_id or self.app_id
        if not (secret and tenant and client):
            return None
        return tenant, client, secret.get_secret_value()
