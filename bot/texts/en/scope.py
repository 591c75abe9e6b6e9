"""Who may do what: skulderklap, team-day settings, HR on sick reports."""

from __future__ import annotations

TEXTS: dict[str, str] = {}
