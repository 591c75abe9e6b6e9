"""The services' Graph ports over the client: users/delta, app installs, the activity feed.

Shapes from Microsoft's Graph v1.0 reference: users/delta pages carry `@odata.nextLink` until
the last, which carries `@odata.deltaLink`; the manager comes as `manager@delta` (a list of
directory objects, one marked `@removed` when the manager was taken away); a deleted user is
`{"id": ..., "@removed": {"reason": "changed" | "deleted"}}`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from bot.graph.client import Answer, GraphClient
from services.directory import DeltaExpired, GraphRefused, UserChange, UserChanges

# What Graph answers when a delta link is too old to carry on from.
_EXPIRED_CODES = frozenset({"syncStateNotFound", "resyncRequired", "SyncStateInvalid"})


def user_change(item: Mapping[str, Any]) -> UserChange:
    user_id = str(item["id"])
    if "@removed" in item:
        return UserChange(user_id, removed=True)
    data = {
        name: value
        for name, value in item.items()
        if not name.startswith("@") and "@" not in name and name != "id"
    }
    if "manager@delta" in item:
        alive = [m for m in item["manager@delta"] or [] if "@removed" not in m and m.get("id")]
        data["manager"] = str(alive[-1]["id"]) if alive else None
    return UserChange(user_id, data=data)


def _refused(answer: Answer) -> GraphRefused:
    return GraphRefused(answer.status, answer.code or "error")


class EntraDirectory:
    def __init__(self, client: GraphClient) -> None:
        self.client = client

    async def user_changes(self, delta_link: str | None, select: Sequence[str]) -> UserChanges:
        url = delta_link or f"/users/delta?$select={','.join(select)}"
        users: list[UserChange] = []
        while True:
            answer = await self.client.request("GET", url)
            if delta_link and (answer.status == 410 or answer.code in _EXPIRED_CODES):
                raise DeltaExpired(answer.code)
            if answer.status != 200:
                raise _refused(answer)
            users.extend(user_change(item) for item in answer.body.get("value", []))
            next_link = answer.body.get("@odata.nextLink")
            if next_link:
                url = next_link
                continue
            return UserChanges(users, str(answer.body["@odata.deltaLink"]), delta_link is None)

    async def install_app(self, user_id: str, catalog_app_id: str) -> bool:
        bind = f"{self.client.base_url}/appCatalogs/teamsApps/{quote(catalog_app_id)}"
        answer = await self.client.request(
            "POST",
            f"/users/{quote(user_id)}/teamwork/installedApps",
            {"teamsApp@odata.bind": bind},
        )
        if answer.status in (200, 201):
            return True
        if answer.status == 409:  # already installed: done
            return False
        raise _refused(answer)

    async def notify(self, user_id: str, notification: Mapping[str, Any]) -> None:
        answer = await self.client.request(
            "POST",
            f"/users/{quote(user_id)}/teamwork/sendActivityNotification",
            dict(notification),
        )
        if answer.status not in (200, 202, 204):
            raise _refused(answer)
