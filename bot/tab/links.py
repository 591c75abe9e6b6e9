"""Links into the tab from the bot's cards: a Teams deep link to the personal tab in Teams, the
plain page on this server in local mode (Adaptive Cards open absolute URLs only)."""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

from bot.settings import Settings

# The manifest's staticTabs entityId of the insight tab (manifest/manifest.template.json).
TAB_ENTITY = "indsigt"
# What tab.js reads from app.getContext().page.subPageId: "person:<employee id>".
PERSON_PREFIX = "person:"


def person_link(settings: Settings, employee_id: str) -> str:
    """Where "Se fraværskort" leads: the tab opened on the person's page."""
    if settings.app_id:
        context = json.dumps({"subEntityId": PERSON_PREFIX + employee_id}, separators=(",", ":"))
        return (
            f"https://teams.microsoft.com/l/entity/{settings.app_id}/{TAB_ENTITY}"
            f"?context={quote(context, safe='')}"
        )
    # A server listening on every interface is reached on this machine through loopback.
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host
    return f"http://{host}:{settings.port}/tab/person?{urlencode({'id': employee_id})}"
