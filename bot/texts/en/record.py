"""The follow-up conversation on record."""

from __future__ import annotations

TEXTS: dict[str, str] = {}
