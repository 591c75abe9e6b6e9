"""Input that cannot be read, and other tenants (hardening)."""

from __future__ import annotations

TEXTS: dict[str, str] = {}
