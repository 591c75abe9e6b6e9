"""Skulderklap: a pat on the back from one colleague to another, by card or typed
("skulderklap mette Tak for hjælpen"), and, when the sender wishes, a word to the leader."""

from __future__ import annotations

import logging

from dialogs.replies import Card, CardName, Reply, Text
from services import keys
from services.work import Work
from storage.models import Employee, Kudos

log = logging.getLogger("naervaer.kudos")


class Skulderklap:
    def __init__(self, work: Work) -> None:
        self.now = work.now
        self.people = work.store.people
        self.kudos = work.store.kudos
        self.notifier = work.notifier

    async def kudos_choices(self, sender: Employee, rest: str) -> list[Reply]:
        colleagues = await self._colleagues(sender)
        if not colleagues:
            return [Text("kudos_nobody")]
        if rest.strip():
            first, _, message = rest.strip().partition(" ")
            matches = [c for c in colleagues if c.name.casefold().split()[0] == first.casefold()]
            if len(matches) == 1 and message.strip():
                return await self.send_kudos(sender, matches[0].id, message, tell_leader=False)
        return [Card(CardName.KUDOS, {"colleagues": [(c.id, c.name) for c in colleagues]})]

    async def _colleagues(self, sender: Employee) -> list[Employee]:
        """The sender's unit, by name, without the sender."""
        return [m for m in await self.people.members_of(sender.unit_id) if m.id != sender.id]

    async def send_kudos(
        self, sender: Employee, recipient_id: str, message: str, tell_leader: bool
    ) -> list[Reply]:
        # Only a colleague the card could offer (the README's rule): a forged id for anyone else
        # gets the same answer as an unknown one, so it learns nothing about who exists.
        recipient = next((c for c in await self._colleagues(sender) if c.id == recipient_id), None)
        said = message.strip()[:500]
        if recipient is None:
            log.warning("kudos refused sender=%s", sender.id)
            return [Text("kudos_unknown")]
        if not said:
            return [Text("kudos_empty")]
        kudos = await self.kudos.add(
            Kudos(
                sender_id=sender.id,
                recipient_id=recipient.id,
                text=said,
                tell_leader=tell_leader,
                created_at=self.now,
            )
        )
        await self.notifier.send(
            recipient.id,
            Text("kudos_received", {"name": sender.name, "message": said}),
            keys.kudos(kudos.id),
        )
        if tell_leader and recipient.leader_id and recipient.leader_id != sender.id:
            await self.notifier.send(
                recipient.leader_id,
                Text(
                    "kudos_to_leader",
                    {"sender": sender.name, "name": recipient.name, "message": said},
                ),
                keys.kudos_to_leader(kudos.id),
            )
        return [Text("kudos_sent", {"name": recipient.name})]
