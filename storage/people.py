"""People and places: the one repository of employees (who someone is, who leads whom, who is
away, what they read) and the units they work in."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from rules.absence_kinds import AWAY
from storage.models import Absence, Employee, EmploymentStatus, Role, TeamsUser, Unit

# Bulk queries go in chunks: SQLite and asyncpg both limit the parameters of one statement.
CHUNK = 1000


def chunks(ids: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


class PeopleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, employee_id: str | None) -> Employee | None:
        if employee_id is None:
            return None
        person = await self.session.get(Employee, employee_id)
        return person if person is not None and person.status == EmploymentStatus.ACTIVE else None

    async def unit(self, unit_id: str) -> Unit | None:
        return await self.session.get(Unit, unit_id)

    async def hr(self) -> list[Employee]:
        rows = await self.session.scalars(
            select(Employee)
            .where(Employee.role == Role.HR, Employee.status == EmploymentStatus.ACTIVE)
            .order_by(Employee.id)
        )
        return list(rows)

    async def staff_of(self, leader_id: str) -> list[Employee]:
        rows = await self.session.scalars(
            select(Employee)
            .where(Employee.leader_id == leader_id, Employee.status == EmploymentStatus.ACTIVE)
            .order_by(Employee.name)
        )
        return list(rows)

    async def deputised_by(self, deputy_id: str) -> list[Employee]:
        """The active leaders who name this person as their deputy."""
        rows = await self.session.scalars(
            select(Employee).where(
                Employee.deputy_id == deputy_id, Employee.status == EmploymentStatus.ACTIVE
            )
        )
        return list(rows)

    async def anyone(self, employee_id: str) -> Employee | None:
        """Active or not: a report, a follow-up or an erasure outlives the person's employment."""
        return await self.session.get(Employee, employee_id)

    async def find_by_identity(
        self, aad_object_id: str | None, email: str | None
    ) -> Employee | None:
        """Teams' AAD object id first; e-mail only when the directory id is unknown to us."""
        if aad_object_id:
            found = await self.session.scalar(
                select(Employee).where(func.lower(Employee.aad_object_id) == aad_object_id.lower())
            )
            if found is not None:
                return found if found.status == EmploymentStatus.ACTIVE else None
        if email:
            found = await self.session.scalar(
                select(Employee).where(
                    func.lower(Employee.email) == email.lower(),
                    Employee.status == EmploymentStatus.ACTIVE,
                )
            )
            return found
        return None

    async def active_by_oid(self, oid: str) -> Employee | None:
        return await self.session.scalar(
            select(Employee).where(
                Employee.aad_object_id == oid, Employee.status == EmploymentStatus.ACTIVE
            )
        )

    async def reporting_to(self, leader_ids: list[str]) -> list[Employee]:
        """Active staff whose nearest leader is one of these (one level down)."""
        rows = await self.session.scalars(
            select(Employee).where(
                Employee.leader_id.in_(leader_ids), Employee.status == EmploymentStatus.ACTIVE
            )
        )
        return list(rows)

    async def members_of(self, unit_id: str) -> list[Employee]:
        """A unit's active members, by name."""
        rows = await self.session.scalars(
            select(Employee)
            .where(Employee.unit_id == unit_id, Employee.status == EmploymentStatus.ACTIVE)
            .order_by(Employee.name)
        )
        return list(rows)

    async def active_people(self, limit: int) -> list[Employee]:
        rows = await self.session.scalars(
            select(Employee)
            .where(Employee.status == EmploymentStatus.ACTIVE)
            .order_by(Employee.name)
            .limit(limit)
        )
        return list(rows)

    async def names(self, employee_ids: set[str]) -> dict[str, str]:
        rows = await self.session.execute(
            select(Employee.id, Employee.name).where(Employee.id.in_(employee_ids))
        )
        return {employee_id: name for employee_id, name in rows.all()}

    async def locales(self, employee_ids: list[str]) -> dict[str, str | None]:
        """Each person's locale: the org file's, else Teams'; None when neither is known."""
        found: dict[str, str | None] = {}
        for part in chunks(employee_ids):
            rows = await self.session.execute(
                select(Employee.id, Employee.locale, TeamsUser.locale)
                .outerjoin(TeamsUser, TeamsUser.employee_id == Employee.id)
                .where(Employee.id.in_(part))
            )
            for employee_id, own, teams in rows.all():
                found[employee_id] = found.get(employee_id) or own or teams
        return found

    async def away_on(self, employee_ids: list[str], day: date) -> set[str]:
        """Those with an absence or akutdag (reported, requested or over) covering `day`."""
        away: set[str] = set()
        for part in chunks(employee_ids):
            away |= set(
                await self.session.scalars(
                    select(Absence.employee_id).where(
                        Absence.employee_id.in_(part),
                        Absence.status.in_(AWAY),
                        Absence.first_day <= day,
                        or_(Absence.last_day.is_(None), Absence.last_day >= day),
                    )
                )
            )
        return away


class UnitRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_id(self) -> dict[str, Unit]:
        """Every unit (the tree is read whole: a municipality has hundreds, not millions)."""
        return {u.id: u for u in await self.session.scalars(select(Unit))}

    async def due_day_colour(self, today: date) -> list[Unit]:
        """Units with team-day thresholds whose members have not heard today's colour."""
        rows = await self.session.scalars(
            select(Unit).where(
                or_(Unit.day_yellow_absent.is_not(None), Unit.day_red_percent.is_not(None)),
                or_(Unit.day_colour_on.is_(None), Unit.day_colour_on < today),
            )
        )
        return list(rows)
