"""The tab's charts: axes, legends, text alternatives and table views."""

from __future__ import annotations

TEXTS: dict[str, str] = {}
