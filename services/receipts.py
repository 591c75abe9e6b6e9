"""The employee's receipt for their own report, kept true: sent once through the outbox under
one key per period, and replaced in place whenever the period changes (closed by a raskmelding,
withdrawn, merged, its dates corrected), so no button on it offers what would be refused.
"""

from __future__ import annotations

from services import keys
from services.ledger import receipt_card
from services.work import Work
from storage.models import Absence


class Receipts:
    def __init__(self, work: Work) -> None:
        self.work = work
        self.outbox = work.store.outbox

    async def send(self, absence: Absence) -> None:
        """The receipt after a report; a period that has one already gets it refreshed."""
        if not await self._sent(absence):
            card = receipt_card(absence, self.work.today)
            await self.work.notifier.send(absence.employee_id, card, keys.receipt(absence.id))
            return
        await self.refresh(absence)

    async def refresh(self, absence: Absence) -> None:
        """The receipt shows the period as it is now; nothing if the employee never had one
        (a period their leader registered is the leader's to change)."""
        if not await self._sent(absence):
            return
        key = keys.receipt(absence.id)
        version = await self.outbox.next_version(keys.versions(key))
        await self.work.notifier.send(
            absence.employee_id,
            receipt_card(absence, self.work.today),
            keys.version(key, version),
            replaces_key=key,
        )

    async def _sent(self, absence: Absence) -> bool:
        # The receipt's own key, queued or delivered (its versions share the prefix).
        return await self.outbox.next_version(keys.receipt(absence.id)) > 1
