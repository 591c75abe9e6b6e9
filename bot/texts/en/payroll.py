"""Payroll: codes, history import, hand-off, reconciliation."""

from __future__ import annotations

TEXTS: dict[str, str] = {}
