"""Entra ID and Microsoft Graph: org sync, install, activity feed, Outlook."""

from __future__ import annotations

TEXTS: dict[str, str] = {}
