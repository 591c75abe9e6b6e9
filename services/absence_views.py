"""What the ledger reads out: a person's status, and the leader's view of one period."""

from __future__ import annotations

from datetime import date, tzinfo

from dialogs.replies import Amount, Reply, Text, TextKey
from rules.calendar import absence_working_days
from services.views import AbsenceView
from services.work import Work
from storage.models import Absence, AbsenceEvent, AbsenceKind, AbsenceStatus, Employee

DONE_KEYS = {
    "get_well": "done_get_well",
    "call_today": "done_call_today",
    "other_tasks": "done_other_tasks",
    "mark_partial": "done_mark_partial",
    "work_injury": "done_work_injury",
    "approve": "done_approved",
    "decline": "done_declined",
    "reminded": "done_reminded",
    "escalated": "done_escalated",
    "other_tasks_answer": "done_other_tasks_answer",
    "fit": "done_fit",
    "merge": "done_merge",
    "extend": "done_extend",
    "convert": "done_convert",
    "withdrawn": "done_withdrawn",
    "undo_work_injury": "done_undo_work_injury",
    "undo_mark_partial": "done_undo_mark_partial",
    "first_day": "done_first_day",
    "expected_return": "done_expected_return",
}


async def status_of(work: Work, employee: Employee) -> list[Reply]:
    """What the ledger holds for today and ahead: the period covering today (open or
    already ended by a raskmelding), the next planned one, akutdage on the way."""
    today = work.today
    replies: list[Reply] = []
    now = await work.store.absences.sickness_on(employee.id, today)
    if now is not None:
        replies += _status_now(work, employee, now)
    later = await work.store.absences.sickness_after(employee.id, today)
    if later is not None:
        replies.append(
            Text("status_upcoming", {"kind": _kind_word(later), "since": later.first_day})
        )
        replies += _status_details(later)
    for day in await work.store.absences.emergency_days_for(employee.id, today):
        state = TextKey(
            "status_requested" if day.status == AbsenceStatus.REQUESTED else "status_approved"
        )
        replies.append(Text("status_emergency", {"day": day.first_day, "state": state}))
    return replies or [Text("status_nothing")]


def _status_now(work: Work, employee: Employee, absence: Absence) -> list[Reply]:
    today = work.today
    days = absence_working_days(absence.first_day, absence.last_day, today, work.calendar(employee))
    return [
        Text(
            "status_sick", {"kind": _kind_word(absence), "since": absence.first_day, "days": days}
        ),
        *_status_details(absence),
    ]


async def absence_view(work: Work, absence: Absence, lang: str) -> AbsenceView:
    employee = await work.store.people.anyone(absence.employee_id)
    assert employee is not None
    leader = await work.store.people.get(employee.leader_id)
    reporter = (
        await work.store.people.anyone(absence.reported_by)
        if absence.reported_by != absence.employee_id
        else None
    )
    done: list[tuple[str, dict[str, object]]] = []
    events = await work.store.absences.events(absence.id)
    for event in events:
        line = _done_line(event, work.config.timezone)
        if line is not None:
            done.append(line)
    return AbsenceView(
        id=absence.id,
        employee_id=employee.id,
        employee_name=employee.name,
        kind=str(absence.kind),
        going_home=absence.going_home_sick,
        first_day=absence.first_day,
        expected_return=absence.expected_return,
        note=absence.note,
        routed_as=absence.routed_as,
        usual_leader_name=leader.name if leader else None,
        on_behalf_name=reporter.name if reporter else None,
        work_injury=absence.work_injury,
        paid_with=absence.paid_with,
        status=str(absence.status),
        done=done,
        employee_language=await work.notifier.language_for(employee.id),
        undoable=undoable(absence, events, work.today, work.config.timezone),
    )


def _done_line(event: AbsenceEvent, zone: tzinfo) -> tuple[str, dict[str, object]] | None:
    """One line of what was done: each says the day and the time it was done, the same way."""
    key = DONE_KEYS.get(event.kind)
    if key is None:
        return None
    at = event.at.astimezone(zone)
    params: dict[str, object] = {"at": at, "on": at.date(), "clock": at.time()}
    params.update({k: v for k, v in event.detail.items() if k in ("answer", "name")})
    if "day" in event.detail:
        params["day"] = date.fromisoformat(event.detail["day"])
    if event.kind == "fit" and "until" in event.detail:
        # Back partly: the card says the partial period that follows, never "fit" alone.
        key = "done_fit_partial"
        params["until"] = date.fromisoformat(event.detail["until"])
        params["amount"] = Amount(event.detail.get("hours"), event.detail.get("percent"))
    return key, params


def _status_details(absence: Absence) -> list[Reply]:
    """How much and until when: a partial period's amount, a known last day or return."""
    amount = _amount(absence.partial_hours_off, absence.partial_percent_off)
    known = amount.hours_off is not None or amount.percent_off is not None
    details: list[Reply] = []
    if absence.kind == AbsenceKind.PARTLY_SICK and known:
        details.append(Text("ledger_status_amount", {"amount": amount}))
    if absence.last_day is not None and absence.kind != AbsenceKind.CHILD_SICK:
        details.append(Text("ledger_status_until", {"day": absence.last_day}))
    elif absence.expected_return:
        details.append(Text("status_sick_return", {"day": absence.expected_return}))
    return details


def undoable(
    absence: Absence, events: list[AbsenceEvent], today: date, zone: tzinfo
) -> tuple[str, ...]:
    """The leader's choices of today that still hold: they may be undone the same day."""
    holds = {
        "work_injury": absence.work_injury,
        "mark_partial": absence.kind == AbsenceKind.PARTLY_SICK,
    }
    out = []
    for action, held in holds.items():
        last = next((e for e in reversed(events) if e.kind in (action, f"undo_{action}")), None)
        if (
            held
            and last is not None
            and last.kind == action
            and last.at.astimezone(zone).date() == today
        ):
            out.append(action)
    return tuple(out)


def _amount(hours: float | None, percent: int | None) -> Amount:
    return Amount(hours, percent)


def _kind_word(absence: Absence) -> TextKey:
    return TextKey(f"kind_{absence.kind}")
