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

    # Teams allows 50 requests/s per app per tenant and 7/s per conversation.
    outbox_rate: float = Field(40.0, gt=0, le=50)
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
    # Incoming turns per user per minute (a burst of 10 is always allowed), and the largest
    # request body /api/messages accepts (Teams activities are a few KiB).
    turns_per_minute: float = Field(30.0, gt=0, le=600)
    max_request_kib: int = Field(256, ge=16, le=4096)
    # json: one object per line with ids only (for a log collector); text: for a terminal;
    # auto: text when standard error is a terminal, else json.
    log_format: Literal["auto", "json", "text"] = "auto"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

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
