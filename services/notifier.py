"""Everything for someone other than the person in the turn goes through here: the recipient's
language, the rendering (passed in from bot/, which knows Teams) and the outbox, under a key."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from dialogs.replies import Reply
from rules.language import language_of
from storage.store import Store


class Renderer(Protocol):
    def activity(self, reply: Reply, lang: str) -> dict[str, Any]:
        """The Bot Framework activity JSON of a reply in a language."""
        ...

    def text(self, lang: str, key: str, **params: object) -> str:
        """One user text in a language."""
        ...


class Notifier:
    def __init__(self, store: Store, now: datetime, default_locale: str, render: Renderer) -> None:
        self.store = store
        self.now = now
        self.default_locale = default_locale
        self.render = render
        self.enqueued = 0
        # Cards replaced in place this turn (recipient, key of the card replaced, activity):
        # the bot shows a pressed card's new state at once instead of after the outbox.
        self.replaced: list[tuple[str, str, dict[str, Any]]] = []
        # A pressed card's new state when the card has no outbox key to replace (one listed on
        # request): the turn itself puts it in place of the pressed one.
        self.in_place: list[tuple[str, dict[str, Any]]] = []

    async def language_for(self, employee_id: str) -> str:
        person = await self.store.people.get(employee_id)
        locale = person.locale if person else None
        if locale is None:
            address = await self.store.teams_users.address_of(employee_id)
            locale = address.locale if address else None
        return language_of(locale, self.default_locale)

    async def send(
        self, recipient_id: str, reply: Reply, key: str, replaces_key: str | None = None
    ) -> None:
        lang = await self.language_for(recipient_id)
        await self.send_rendered(recipient_id, self.render.activity(reply, lang), key, replaces_key)

    async def show_in_place(self, recipient_id: str, reply: Reply) -> None:
        lang = await self.language_for(recipient_id)
        self.in_place.append((recipient_id, self.render.activity(reply, lang)))

    async def send_rendered(
        self,
        recipient_id: str,
        activity: dict[str, Any],
        key: str,
        replaces_key: str | None = None,
    ) -> None:
        if await self.store.outbox.enqueue(
            key, recipient_id, activity, self.now, replaces_key=replaces_key
        ):
            self.enqueued += 1
            if replaces_key is not None:
                self.replaced.append((recipient_id, replaces_key, activity))
