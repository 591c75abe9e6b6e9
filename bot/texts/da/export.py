"""The access export (GDPR art. 15): field names and notes."""

from __future__ import annotations

TEXTS: dict[str, str] = {}
