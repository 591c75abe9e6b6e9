"""One ledger of absence per person, kept by every path that creates or changes a period.

rules.ledger says what a new period meeting the person's live ones means; this applies it to
the stored periods (merge, convert, end the earlier one, extend, take over a planned akutdag)
and words a refusal. The database refuses anything that slips past (migration 0009).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dialogs.dates import DateWindow
from dialogs.replies import Card, CardName, Reply, Text, TextKey
from rules.absence_kinds import KINDS, AbsenceKind, AbsenceStatus
from rules.ledger import Decision, Meet, NewPeriod, Period, day_before, decide
from services.work import Work
from storage.models import Absence, Employee

WINDOW = DateWindow()


def period_of(absence: Absence) -> Period:
    return Period(
        absence.id, absence.kind, absence.first_day, absence.last_day, absence.reported_by
    )


def withdrawn_key(absence: Absence) -> str:
    """A withdrawn period gives up its source key, so the same report may be sent again."""
    return f"{absence.source_key}:withdrawn:{absence.id}"


class Ledger:
    def __init__(self, work: Work) -> None:
        self.work = work
        self.absences = work.store.absences

    async def decide(
        self, employee_id: str, new: NewPeriod, exclude: int | None = None
    ) -> Decision:
        """`exclude`: the period the new one follows (a raskmelding shortens it first)."""
        live = await self.absences.live_from(employee_id, new.first_day)
        return decide(new, [period_of(a) for a in live if a.id != exclude])

    async def stored(self, decision: Decision) -> Absence:
        assert decision.period is not None
        absence = await self.absences.get(decision.period.id)
        assert absence is not None
        return absence

    async def refusal(self, decision: Decision, new: NewPeriod) -> list[Reply]:
        """What a person is told when the ledger has the day already: what and since when."""
        absence = await self.stored(decision)
        kind = TextKey(f"kind_{absence.kind}")
        if new.kind == AbsenceKind.EMERGENCY_DAY:
            if absence.kind == AbsenceKind.EMERGENCY_DAY:
                return [Text("emergency_exists", {"day": absence.first_day})]
            return [Text("ledger_no_emergency_on_sick", {"kind": kind, "since": absence.first_day})]
        covers = absence.first_day <= new.first_day
        if covers and absence.status == AbsenceStatus.OPEN and KINDS[absence.kind].is_sickness:
            return [Text("already_sick", {"since": absence.first_day}), Card(CardName.OFFER_FIT)]
        return [
            Text(
                "ledger_already_registered",
                {"kind": kind, "since": absence.first_day, "until": absence.last_day or "-"},
            )
        ]

    async def end_earlier(self, decision: Decision, new: NewPeriod, by: Employee) -> None:
        """The earlier period ends the day before the new one starts (partly -> fully sick)."""
        absence = await self.stored(decision)
        absence.last_day = day_before(new.first_day)
        if absence.status == AbsenceStatus.OPEN:
            absence.status = AbsenceStatus.CLOSED
        await self.absences.record(
            absence, self.work.now, "ended_by_new_report", by.id, day=new.first_day.isoformat()
        )
        # Shortened before the new period is added: the database sees no moment of overlap.
        await self.absences.save()

    async def fold(
        self,
        decision: Decision,
        new: NewPeriod,
        by: Employee,
        note: str | None,
        expected_return: date | None,
    ) -> Absence:
        """One period for one sickness: the new report merges into, converts or extends it."""
        absence = await self.stored(decision)
        if decision.meet == Meet.EXTEND:
            absence.first_day = new.first_day
        if decision.meet == Meet.CONVERT:
            absence.kind = new.kind
            absence.last_day = new.last_day
        if note and note != absence.note:
            absence.note = f"{absence.note}\n{note}" if absence.note else note
        if expected_return is not None:
            absence.expected_return = expected_return
        await self.absences.record(
            absence, self.work.now, str(decision.meet), by.id, as_kind=str(new.kind), name=by.name
        )
        await self.absences.save()
        return absence

    async def withdraw(self, absence: Absence, by: Employee | None, why: str) -> None:
        """Gone from the ledger, kept for the audit: status withdrawn, an event says why."""
        absence.status = AbsenceStatus.WITHDRAWN
        absence.source_key = withdrawn_key(absence)
        await self.absences.record(
            absence,
            self.work.now,
            "withdrawn",
            by.id if by else None,
            why=why,
            name=by.name if by else "",
        )
        await self.absences.save()


@dataclass(frozen=True)
class ReceiptView:
    """The employee's receipt card: the report and the dates it may be corrected to."""

    absence_id: int
    kind: str
    first_day: date
    expected_return: date | None
    first_day_from: date
    first_day_to: date
    return_from: date
    return_to: date
    # Open: its buttons work. Closed (a raskmelding) or withdrawn: it says so, with no buttons.
    status: str = "open"
    last_day: date | None = None


# How far ahead an expected return may be set: beyond it "ved ikke" says more.
RETURN_AHEAD = timedelta(days=365)


def first_day_range(absence: Absence, today: date) -> tuple[date, date]:
    """A corrected first day: inside the report window, and before the expected return."""
    latest = WINDOW.latest(today)
    if absence.expected_return is not None:
        latest = min(latest, day_before(absence.expected_return))
    return WINDOW.earliest(today), latest


def return_range(absence: Absence, today: date) -> tuple[date, date]:
    """A corrected expected return: after the first day, not in the past."""
    return max(absence.first_day + timedelta(days=1), today), today + RETURN_AHEAD


def receipt_card(absence: Absence, today: date) -> Card:
    first = first_day_range(absence, today)
    back = return_range(absence, today)
    view = ReceiptView(
        absence.id,
        str(absence.kind),
        absence.first_day,
        absence.expected_return,
        *first,
        *back,
        status=str(absence.status),
        last_day=absence.last_day,
    )
    return Card(CardName.SICK_RECEIPT, {"receipt": view})
