"""Idempotency keys of everything put in the outbox or stored once: one place, one shape each.

A key names what is delivered, so that a retried turn or job never sends it twice.
"""

from __future__ import annotations

from datetime import date, datetime


def absence(absence_id: int, what: str) -> str:
    """A message about one absence period: 'fit', 'reminder', 'escalation', an action, ..."""
    return f"absence:{absence_id}:{what}"


def leader_card(absence_id: int) -> str:
    return absence(absence_id, "leader-card")


def receipt(absence_id: int) -> str:
    """The employee's receipt for their report: one per period, replaced when it changes."""
    return absence(absence_id, "receipt")


def unit_notice(absence_id: int) -> str:
    """The unit's planner told that someone is absent (never why)."""
    return absence(absence_id, "unit-notice")


def unit_notice_changed(absence_id: int, dates: str) -> str:
    """The planner told the corrected dates (`dates` names them, so each is told once)."""
    return absence(absence_id, f"unit-notice:{dates}")


def unit_notice_withdrawn(absence_id: int) -> str:
    return absence(absence_id, "unit-notice-withdrawn")


def version(key: str, event_id: int) -> str:
    """A new version of a card that replaces the one sent under `key`."""
    return f"{key}:v{event_id}"


def sick_report(employee_id: str, first_day: date) -> str:
    return f"sick:{employee_id}:{first_day.isoformat()}"


def emergency_request(employee_id: str, day: date, turn_key: str) -> str:
    # A declined day may be asked for again: one request per confirming turn.
    return f"emergency:{employee_id}:{day.isoformat()}:{turn_key}"


def on_behalf(turn_key: str) -> str:
    return f"on-behalf:{turn_key}"


def partial_after(absence_id: int) -> str:
    return f"partial:{absence_id}"


def checkin(employee_id: str, day: date) -> str:
    return f"checkin:{employee_id}:{day.isoformat()}"


def followup(followup_id: int, what: str) -> str:
    """A message about one stored follow-up: 'advis' (to the employee), ..."""
    return f"followup:{followup_id}:{what}"


def followup_card(followup_id: int, due_on: date) -> str:
    # A snoozed follow-up that wakes is due again on a new day: a new card.
    return followup(followup_id, f"card:{due_on.isoformat()}")


def followup_overdue(followup_id: int, due_on: date) -> str:
    return followup(followup_id, f"overdue:{due_on.isoformat()}")


def followup_escalation(followup_id: int, due_on: date) -> str:
    return followup(followup_id, f"escalation:{due_on.isoformat()}")


def followup_card_update(card_key: str, status: str, at: datetime) -> str:
    """The card sent under `card_key` again, showing what the leader did at `at`."""
    return f"{card_key}:{status}:{at.isoformat()}"


def followup_digest(leader_id: str, day: date) -> str:
    return f"digest:{leader_id}:{day.isoformat()}"


def unit_swing(unit_id: str, month: date, recipient_id: str) -> str:
    """Viborg's pop-up: one unit's clear swing in one month, to one leader."""
    return f"swing:{unit_id}:{month.isoformat()}:{recipient_id}"


def versions(key: str) -> str:
    """The prefix shared by every `version` of `key`."""
    return f"{key}:v"


def checkin_red(checkin_id: int) -> str:
    return f"checkin-red:{checkin_id}"


def checkin_reply(checkin_id: int, version: int) -> str:
    """The leader's `version`th reply to one check-in's comment."""
    return f"{checkin_replies(checkin_id)}{version}"


def checkin_replies(checkin_id: int) -> str:
    """The prefix shared by every reply to one check-in's comment."""
    return f"checkin-reply:{checkin_id}:"


def checkin_seen(checkin_id: int) -> str:
    return f"checkin-seen:{checkin_id}"


def checkin_digest(leader_id: str, day: date) -> str:
    return f"checkin-digest:{leader_id}:{day}"


def checkin_warning(leader_id: str, subject: str, day: date) -> str:
    """An early warning to a leader about a person (their id) or the team ('team')."""
    return f"checkin-warn:{leader_id}:{subject}:{day}"


def kudos(kudos_id: int) -> str:
    return f"kudos:{kudos_id}"


def kudos_to_leader(kudos_id: int) -> str:
    return f"{kudos(kudos_id)}:leader"


def team_day(unit_id: str, day: date, employee_id: str) -> str:
    return f"team-day:{unit_id}:{day}:{employee_id}"


def unit_month(unit_id: str, month: date) -> str:
    """The subject of a nudge about one unit's month (nudges are stored once per subject)."""
    return f"unit:{unit_id}:{month.isoformat()}"
