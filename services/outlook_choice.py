"""The person's own word on Outlook while sick: "outlook fra" / "ingen outlook" / "outlook til".

The choice is stored in the turn's own transaction (services.outlook's job reads it on its next
round and takes away, or puts up, what an open period shows). The reply says what will happen
here: with the feature off in the municipality (or no Graph), nothing shows either way, and the
choice is kept for the day it is switched on.
"""

from __future__ import annotations

from dialogs.replies import Reply, Text
from services.work import Work
from storage.models import Employee


class OutlookWord:
    def __init__(self, work: Work) -> None:
        self.work = work

    @property
    def offered(self) -> bool:
        return self.work.config.outlook_while_sick != "off"

    async def choose(self, employee: Employee, enabled: bool) -> list[Reply]:
        await self.work.store.outlook.choose(employee.id, enabled, self.work.now)
        if not self.offered:
            key = "graph_outlook_chosen_on_later" if enabled else "graph_outlook_chosen_off_later"
            return [Text(key)]
        return [Text("graph_outlook_chosen_on" if enabled else "graph_outlook_chosen_off")]
