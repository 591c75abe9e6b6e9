"""The one configuration object the services receive, built once from the settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from typing import Literal
from zoneinfo import ZoneInfo

from rules.policy import Policy
from rules.retention import Retention


@dataclass(frozen=True)
class Config:
    timezone: ZoneInfo
    default_locale: str
    acknowledge_within_hours: float
    # When leaders get the day's follow-ups (local time), unless they chose their own.
    morning: time
    # Daily check-in: the prompt (unless the unit or person has its own), the leader's digest,
    # and the team day colour message.
    checkin_time: time
    checkin_digest_time: time
    team_day_time: time
    retention: Retention
    policies: Mapping[str, Policy]
    default_policy: str
    # Outlook while sick as this server runs it: "off" also when Graph is not configured.
    outlook_while_sick: Literal["off", "opt-in", "opt-out"] = "off"
