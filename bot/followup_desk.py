"""Follow-ups: evaluate the policy into stored follow-ups, remind the right leader at the right
morning, escalate what is overdue, and record what the leader did.

The engine (rules.followups) is pure; this desk loads the history, stores what it finds
(insert-ignore on the occurrence key, so evaluating again never doubles anything) and sends
through the outbox. Ticks are idempotent: only one process runs a tick at a time on PostgreSQL
(an advisory lock), and the outbox keys make a repeated tick send nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot import cards
from bot.desk import AbsenceDesk, DeskSettings
from dialogs.dates import parse_time_of_day
from dialogs.replies import Card, Reply, Text
from rules.calendar import WorkCalendar, absence_working_days
from rules.followups import (
    LOOKBACK,
    YEAR_CONTEXT,
    EmployeeFacts,
    Finding,
    FollowUp,
    Period,
    due_followups,
    evaluate,
)
from rules.policy import Policy
from storage.absences import AbsenceRepository
from storage.models import (
    Absence,
    AbsenceStatus,
    Employee,
    EmploymentStatus,
    FollowUpRecord,
    FollowUpStatus,
    Role,
    Unit,
)
from storage.repositories import insert_many_ignoring_duplicates

log = logging.getLogger("naervaer.followups")

TICK_LOCK = 744_221_002
# As far back as any rule reads: its look-back plus the year before an occurrence.
HISTORY = LOOKBACK + timedelta(days=YEAR_CONTEXT)
HELD_BACK = timedelta(days=30)
SNOOZE_AHEAD = timedelta(days=60)


class FollowUpDesk(AbsenceDesk):
    def __init__(
        self,
        session: AsyncSession,
        now: datetime,
        settings: DeskSettings,
        policies: Mapping[str, Policy],
        default_policy: str = "default",
    ) -> None:
        super().__init__(session, now, settings)
        self.policies = policies
        self.default_policy = default_policy
        self._unit_policy: dict[str, str] = {}

    # --- evaluation ------------------------------------------------------------------------

    async def policy_for(self, employee: Employee) -> Policy:
        return await self.policy_of_unit(employee.unit_id)

    async def policy_of_unit(self, own_unit: str) -> Policy:
        """The unit's own policy, else the nearest ancestor's, else the default."""
        if own_unit not in self._unit_policy:
            unit_id: str | None = own_unit
            chosen = None
            seen: set[str] = set()
            while unit_id is not None and chosen is None and unit_id not in seen:
                seen.add(unit_id)
                unit = await self.session.get(Unit, unit_id)
                if unit is None:
                    break
                chosen, unit_id = unit.policy_id, unit.parent_id
            self._unit_policy[own_unit] = chosen or self.default_policy
        return self.policies.get(self._unit_policy[own_unit]) or self.policies[self.default_policy]

    async def history(self, employee_id: str) -> list[Period]:
        since = self.today - HISTORY
        rows = await self.session.scalars(
            select(Absence)
            .where(
                Absence.employee_id == employee_id,
                Absence.first_day >= since,
                Absence.status.in_((AbsenceStatus.OPEN, AbsenceStatus.CLOSED)),
            )
            .order_by(Absence.first_day)
        )
        return [_period(a) for a in rows]

    async def due_for(self, employee: Employee) -> list[FollowUp]:
        return due_followups(
            await self.history(employee.id),
            _facts(employee),
            await self.policy_for(employee),
            self.today,
            self.calendar(employee),
        )

    async def evaluate_employee(self, employee: Employee) -> int:
        return await self.store(await self.due_for(employee))

    async def store(self, found: list[FollowUp], known: set[str] | None = None) -> int:
        """Keep what is new; an occurrence already stored (whatever its status) stays as it is."""
        if not found:
            return 0
        if known is None:
            known = set(
                await self.session.scalars(
                    select(FollowUpRecord.key).where(
                        FollowUpRecord.employee_id.in_({f.employee_id for f in found})
                    )
                )
            )
        rows = [
            {
                "key": f.key,
                "employee_id": f.employee_id,
                "policy_id": f.policy_id,
                "rule_id": f.rule_id,
                "rule_kind": f.rule_kind,
                "occurrence": f.occurrence,
                "due_on": f.due_on,
                "deadline_on": f.deadline_on,
                "recipient": f.recipient,
                "guide": f.guide,
                "why": f.why.model_dump(),
                "guidance": f.guidance.model_dump() if f.guidance else None,
                "advis_employee": f.advis_employee,
                "status": FollowUpStatus.OPEN,
                "created_at": self.now,
            }
            for f in found
            if f.key not in known
        ]
        await insert_many_ignoring_duplicates(self.session, FollowUpRecord, rows)
        return len(rows)

    async def evaluate_all(self, chunk: int = 5000) -> tuple[int, int]:
        """The daily full evaluation, a range of employees at a time so memory stays flat;
        only follow-ups not stored before are written. Returns (follow-ups due, newly stored)."""
        known = set(await self.session.scalars(select(FollowUpRecord.key)))
        # Plain rows, not ORM objects: building 50,000 entities costs seconds.
        employees = (
            await self.session.execute(
                select(Employee.id, Employee.unit_id, Employee.start_date, Employee.workdays)
                .where(Employee.status == EmploymentStatus.ACTIVE)
                .order_by(Employee.id)
            )
        ).all()
        calendars: dict[str, WorkCalendar] = {}
        due = created = 0
        for start in range(0, len(employees), chunk):
            part = employees[start : start + chunk]
            histories: dict[str, list[Period]] = {e.id: [] for e in part}
            # One range scan on (employee_id, first_day) per chunk: far faster than streaming.
            rows = await self.session.execute(
                select(
                    Absence.employee_id,
                    Absence.first_day,
                    Absence.last_day,
                    Absence.kind,
                    Absence.expected_return,
                ).where(
                    Absence.employee_id.between(part[0].id, part[-1].id),
                    Absence.first_day >= self.today - HISTORY,
                    Absence.status.in_((AbsenceStatus.OPEN, AbsenceStatus.CLOSED)),
                )
            )
            for employee_id, first, last, kind, expected in rows.all():
                if employee_id in histories:
                    histories[employee_id].append(Period(first, last, str(kind), expected))
            new: list[FollowUp] = []
            for employee in part:
                history = histories[employee.id]
                if not history:
                    continue
                history.sort(key=_first_day)
                calendar = calendars.get(employee.workdays)
                if calendar is None:
                    calendar = calendars[employee.workdays] = WorkCalendar(
                        employee.workdays, self.settings.timezone
                    )
                found = due_followups(
                    history,
                    EmployeeFacts(employee.id, employee.start_date, employee.workdays),
                    await self.policy_of_unit(employee.unit_id),
                    self.today,
                    calendar,
                )
                due += len(found)
                new.extend(f for f in found if f.key not in known)
            created += await self.store(new, known=known)
        return due, created

    async def findings_for(self, employee: Employee) -> list[Finding]:
        """Every rule of the employee's policy, fired or not, and why (`followups explain`)."""
        return evaluate(
            await self.history(employee.id),
            _facts(employee),
            await self.policy_for(employee),
            self.today,
            self.calendar(employee),
        )

    async def listing(self, unit: str | None = None) -> list[tuple[Employee, FollowUp, str]]:
        """What is due as of today, with what was done about it (`followups list`)."""
        query = select(Employee).where(Employee.status == EmploymentStatus.ACTIVE)
        if unit is not None:
            query = query.where(Employee.unit_id == unit)
        rows: list[tuple[Employee, FollowUp, str]] = []
        for employee in await self.session.scalars(query.order_by(Employee.id)):
            for followup in await self.due_for(employee):
                stored = await self.session.scalar(
                    select(FollowUpRecord.status).where(FollowUpRecord.key == followup.key)
                )
                rows.append((employee, followup, str(stored) if stored else "not stored"))
        return rows

    # --- reminding ------------------------------------------------------------------------

    async def try_lock(self) -> bool:
        """One process per tick on PostgreSQL; SQLite has one writer anyway."""
        if self.session.get_bind().dialect.name != "postgresql":
            return True
        return bool(
            await self.session.scalar(
                text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": TICK_LOCK}
            )
        )

    async def dispatch(self) -> int:
        local = self.now.astimezone(self.settings.timezone).time()
        sent = 0
        await self._wake_snoozed()
        due = list(
            await self.session.scalars(
                select(FollowUpRecord)
                .where(
                    FollowUpRecord.status == FollowUpStatus.OPEN,
                    FollowUpRecord.due_on <= self.today,
                )
                .order_by(FollowUpRecord.due_on, FollowUpRecord.id)
            )
        )
        digests: dict[str, list[FollowUpRecord]] = {}
        for record in due:
            employee = await self.session.get(Employee, record.employee_id)
            if employee is None or employee.status != EmploymentStatus.ACTIVE:
                continue
            if record.reminded_at is None:
                recipient = await self._recipient(record, employee)
                if recipient is None:
                    log.warning("follow-up %s has nobody to remind", record.id)
                    continue
                if local < self.morning_of(recipient):
                    continue
                record.reminded_at, record.reminded_to = self.now, recipient.id
                if recipient.followup_digest:
                    digests.setdefault(recipient.id, []).append(record)
                else:
                    await self._send_card(record, recipient.id)
                if record.advis_employee and record.employee_advised_at is None:
                    record.employee_advised_at = self.now
                    await self._send(
                        employee.id,
                        Text(
                            "followup_employee_advis",
                            {"rule": await self._why(record, employee.id)},
                        ),
                        f"followup:{record.id}:advis",
                    )
                sent += 1
                continue
            sent += await self._overdue(record, employee)
        for recipient_id, records in digests.items():
            lang = await self.language_for(recipient_id)
            views = [await self.followup_view(r, lang) for r in records]
            await self._send(
                recipient_id,
                Card("followup_digest", {"views": views}),
                f"digest:{recipient_id}:{self.today.isoformat()}",
            )
        return sent

    async def _wake_snoozed(self) -> None:
        for record in await self.session.scalars(
            select(FollowUpRecord).where(
                FollowUpRecord.status == FollowUpStatus.SNOOZED,
                FollowUpRecord.snoozed_until <= self.today,
            )
        ):
            record.status = FollowUpStatus.OPEN
            record.due_on = record.snoozed_until or self.today
            record.deadline_on = max(record.deadline_on, record.due_on)
            record.reminded_at = None
            record.overdue_reminded_at = None

    async def _overdue(self, record: FollowUpRecord, employee: Employee) -> int:
        assert record.reminded_to is not None
        leader = await self.people.get(record.reminded_to)
        if leader is not None and self.now.astimezone(self.settings.timezone).time() < (
            self.morning_of(leader)
        ):
            return 0
        calendar = self.calendar(leader)
        escalation = (await self.policy_for(employee)).escalation
        remind_on = calendar.add_working_days(
            record.deadline_on, escalation.remind_after_working_days
        )
        escalate_on = calendar.add_working_days(
            record.deadline_on, escalation.escalate_after_working_days
        )
        sent = 0
        if self.today >= remind_on and record.overdue_reminded_at is None:
            record.overdue_reminded_at = self.now
            await self._send(
                record.reminded_to,
                Text(
                    "followup_overdue",
                    {
                        "name": employee.name,
                        "rule": await self._why(record, record.reminded_to),
                        "deadline": record.deadline_on,
                    },
                ),
                f"followup:{record.id}:overdue:{record.due_on}",
            )
            sent += 1
        if self.today >= escalate_on and record.escalated_at is None:
            above = await self.above(employee, record.reminded_to)
            record.escalated_at = self.now
            if above is not None and above.id != record.reminded_to:
                # Viborg's chain: the leader above gets a summary, never the private note.
                await self._send(
                    above.id,
                    Text(
                        "followup_escalation",
                        {
                            "leader": leader.name if leader else "",
                            "name": employee.name,
                            "days": escalation.escalate_after_working_days,
                            "rule": await self._why(record, above.id),
                            "deadline": record.deadline_on,
                        },
                    ),
                    f"followup:{record.id}:escalation:{record.due_on}",
                )
                sent += 1
        return sent

    async def _recipient(self, record: FollowUpRecord, employee: Employee) -> Employee | None:
        if record.recipient == "hr":
            hr = await self.people.hr()
            return hr[0] if hr else None
        route = await self.route(employee, self.today)
        return await self.people.get(route.recipient_id) if route else None

    def card_key(self, record: FollowUpRecord) -> str:
        return f"followup:{record.id}:card:{record.due_on.isoformat()}"

    async def _send_card(self, record: FollowUpRecord, recipient_id: str) -> None:
        view = await self.followup_view(record, await self.language_for(recipient_id))
        await self._send(recipient_id, Card("followup", {"view": view}), self.card_key(record))

    async def _why(self, record: FollowUpRecord, reader_id: str) -> str:
        return str(record.why.get(await self.language_for(reader_id), record.why.get("da", "")))

    # --- what the leader does ----------------------------------------------------------------

    async def may_follow_up(self, actor: Employee, record: FollowUpRecord) -> bool:
        if record.recipient == "hr" and actor.role == Role.HR and actor.id != record.employee_id:
            return True
        return await self.may_act_for(actor, record.employee_id, record.reminded_to)

    async def act_on_followup(self, actor: Employee, submit: cards.FollowUpAction) -> list[Reply]:
        record = await self.session.get(FollowUpRecord, submit.followup_id)
        if record is None or not await self.may_follow_up(actor, record):
            log.warning(
                "refused follow-up action=%s id=%s actor=%s",
                submit.action,
                submit.followup_id,
                actor.id,
            )
            return [Text("not_allowed")]
        if record.status in (FollowUpStatus.HELD, FollowUpStatus.DISMISSED):
            return [Text("already_done")]
        day = submit.day or self.today
        match submit.action:
            case "held":
                if not self.today - HELD_BACK <= day <= self.today:
                    return [Text("followup_bad_date")]
                record.status, record.held_on = FollowUpStatus.HELD, day
                record.private_note = (submit.note or "").strip() or None
            case "snooze":
                if not self.today < day <= self.today + SNOOZE_AHEAD:
                    return [Text("followup_bad_date")]
                record.status, record.snoozed_until = FollowUpStatus.SNOOZED, day
            case "dismiss":
                reason = (submit.reason or "").strip()
                if not reason:
                    return [Text("followup_reason_needed")]
                record.status, record.dismissed_reason = FollowUpStatus.DISMISSED, reason
        record.acted_by = actor.id
        await self._refresh_card(record)
        return [Text("followup_recorded")]

    async def _refresh_card(self, record: FollowUpRecord) -> None:
        original = self.card_key(record)
        if record.reminded_to is None or await self.outbox.sent_activity(original) is None:
            return  # never sent as a card of its own (a digest, or listed on request)
        view = await self.followup_view(record, await self.language_for(record.reminded_to))
        await self._send(
            record.reminded_to,
            Card("followup", {"view": view}),
            f"{original}:{record.status}:{self.now.isoformat()}",
            replaces_key=original,
        )

    async def open_for(self, leader: Employee) -> list[Reply]:
        records = list(
            await self.session.scalars(
                select(FollowUpRecord)
                .where(
                    FollowUpRecord.status.in_((FollowUpStatus.OPEN, FollowUpStatus.SNOOZED)),
                    FollowUpRecord.due_on <= self.today,
                )
                .order_by(FollowUpRecord.due_on)
            )
        )
        mine = [r for r in records if await self.may_follow_up(leader, r)]
        if not mine:
            return [Text("followup_none")]
        lang = await self.language_for(leader.id)
        replies: list[Reply] = [Text("followup_list", {"count": len(mine)})]
        replies += [
            Card("followup", {"view": await self.followup_view(r, lang)}) for r in mine[:10]
        ]
        return replies

    async def set_digest(self, leader: Employee, on: bool) -> list[Reply]:
        if leader.role not in (Role.LEADER, Role.HR, Role.ADMIN):
            return [Text("leaders_only")]
        leader.followup_digest = on
        return [Text("followup_digest_on" if on else "followup_digest_off")]

    async def set_morning(self, leader: Employee, typed: str) -> list[Reply]:
        if leader.role not in (Role.LEADER, Role.HR, Role.ADMIN):
            return [Text("leaders_only")]
        morning = parse_time_of_day(typed)
        if morning is None:
            return [Text("followup_morning_bad")]
        leader.followup_morning = morning
        return [Text("followup_morning_set", {"time": morning.strftime("%H:%M")})]

    def morning_of(self, leader: Employee) -> time:
        return leader.followup_morning or self.settings.morning

    async def followup_view(self, record: FollowUpRecord, lang: str) -> cards.FollowUpView:
        employee = await self.session.get(Employee, record.employee_id)
        assert employee is not None
        calendar = self.calendar(employee)
        year_ago = self.today - timedelta(days=365)
        lines: list[cards.AbsenceLine] = []
        calendar_days = 0
        for absence in await AbsenceRepository(self.session).for_employee(employee.id):
            if absence.status not in (AbsenceStatus.OPEN, AbsenceStatus.CLOSED):
                continue
            last = absence.last_day
            if (last or self.today) < year_ago or absence.first_day > self.today:
                continue
            first = max(absence.first_day, year_ago)
            days = absence_working_days(first, last, self.today, calendar)
            calendar_days += ((min(last, self.today) if last else self.today) - first).days + 1
            lines.append(cards.AbsenceLine(str(absence.kind), first, last, days))
        done: list[tuple[str, dict[str, object]]] = []
        if record.status == FollowUpStatus.HELD and record.held_on:
            done.append(("followup_done_held", {"day": record.held_on}))
        elif record.status == FollowUpStatus.SNOOZED and record.snoozed_until:
            done.append(("followup_done_snoozed", {"day": record.snoozed_until}))
        elif record.status == FollowUpStatus.DISMISSED:
            done.append(("followup_done_dismissed", {"reason": record.dismissed_reason}))
        guidance = record.guidance.get(lang) if record.guidance else None
        return cards.FollowUpView(
            id=record.id,
            employee_name=employee.name,
            why=str(record.why.get(lang, record.why.get("da", ""))),
            guidance=guidance,
            guide=record.guide,
            due_on=record.due_on,
            deadline_on=record.deadline_on,
            absences=lines,
            calendar_days=calendar_days,
            working_days=sum(line.working_days for line in lines),
            open=record.status in (FollowUpStatus.OPEN, FollowUpStatus.SNOOZED),
            done=done,
        )


def _first_day(period: Period) -> date:
    return period.first_day


def _period(absence: Absence) -> Period:
    return Period(absence.first_day, absence.last_day, str(absence.kind), absence.expected_return)


def _facts(employee: Employee) -> EmployeeFacts:
    return EmployeeFacts(employee.id, employee.start_date, employee.workdays)
