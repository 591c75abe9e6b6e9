"""The demo municipality and the start banner."""

from __future__ import annotations

TEXTS: dict[str, str] = {}
