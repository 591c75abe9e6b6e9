"""The team day colour (Varde): a leader sets thresholds for the unit; each working morning the
members who are at work hear the day's colour and what is prioritised."""

from __future__ import annotations

import logging
from typing import Any

from dialogs.replies import Card, CardName, Reply, Text
from rules.access import is_leader, leads_unit
from rules.checkin import Colour, day_colour
from services import keys
from services.checkins import local_time
from services.work import Work
from storage.models import Employee, Unit

log = logging.getLogger("naervaer.team_day")
# The settings on the card, as the unit stores them.
SETTINGS = (
    "day_yellow_absent",
    "day_red_percent",
    "day_yellow_drops",
    "day_red_drops",
    "day_names",
)


class TeamDay:
    def __init__(self, work: Work) -> None:
        self.work = work
        self.people = work.store.people
        self.units = work.store.units
        self.notifier = work.notifier

    async def team_day_card(self, leader: Employee) -> list[Reply]:
        unit = await self._unit_set_by(leader)
        if unit is None:
            return [Text("scope_team_day_who" if is_leader(leader.role) else "leaders_only")]
        settings = {name: getattr(unit, name) for name in SETTINGS}
        return [Card(CardName.TEAM_DAY, {"unit": unit.id, "settings": settings})]

    async def set_team_day(self, leader: Employee, values: dict[str, Any]) -> list[Reply]:
        unit = await self._unit_set_by(leader)
        if unit is None:
            # A card pressed after the stand-in ended, or a forged one: nothing changes.
            log.warning("team day settings refused actor=%s", leader.id)
            return [Text("leaders_only")]
        for name, value in values.items():
            setattr(unit, name, value)
        return [Text("team_day_saved", {"unit": unit.name})]

    async def _unit_set_by(self, person: Employee) -> Unit | None:
        """The unit whose team day this person sets: the one they lead, else that of a leader
        they stand in for today; None for anyone else (a role alone is not enough)."""
        for leader in [person, *await self.work.org.standing_in_for(person)]:
            members = await self.people.members_of(leader.unit_id)
            if leads_unit(leader.id, leader.role, ((m.id, m.leader_id) for m in members)):
                return await self.people.unit(leader.unit_id)
        return None

    async def team_day_due(self) -> int:
        """Each working morning, present members of a unit with thresholds hear the day's colour."""
        if local_time(self.work) < self.work.config.team_day_time:
            return 0
        sent = 0
        for unit in await self.units.due_day_colour(self.work.today):
            unit.day_colour_on = self.work.today
            sent += await self._tell(unit)
        return sent

    async def _tell(self, unit: Unit) -> int:
        """The unit's colour today to each member at work; nothing on a green day."""
        today = self.work.today
        members = await self.people.members_of(unit.id)
        working = [m for m in members if self.work.calendar(m).is_working_day(today)]
        if not working:
            return 0
        away = await self.people.away_on([m.id for m in working], today)
        colour = day_colour(unit.day_yellow_absent, unit.day_red_percent, len(away), len(working))
        if colour == Colour.GREEN:
            return 0
        names = ", ".join(m.name for m in working if m.id in away) if unit.day_names else ""
        drops = (unit.day_red_drops if colour == Colour.RED else unit.day_yellow_drops) or ""
        params = {"drops": drops or "—", "away": len(away), "of": len(working), "names": names}
        text = f"team_day_{colour}_named" if names else f"team_day_{colour}"
        present = [m for m in working if m.id not in away]
        for member in present:
            await self.notifier.send(
                member.id, Text(text, params), keys.team_day(unit.id, today, member.id)
            )
        return len(present)
