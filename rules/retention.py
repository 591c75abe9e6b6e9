"""How long each kind of data is kept (GDPR: only while there is a purpose), as cut-off dates.

Lawful defaults that a municipality may change (NAERVAER_RETENTION_*):
- absence periods and follow-ups: while employed, then RETENTION_ABSENCE_YEARS (3) after
  leaving; then the person is erased and their periods stay only as anonymous figures;
- check-in comments (and replies, and what would make it green): 90 days;
- individual check-in answers: 12 months, then only monthly unit totals;
- the audit log: 5 years;
- messages the bot sent or gave up on (their texts): 30 days;
- skulderklap and early-warning nudges: 12 months; unfinished dialogs: 30 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta


@dataclass(frozen=True)
class Retention:
    absence_years_after_leaving: int = 3
    checkin_comment_days: int = 90
    checkin_answer_days: int = 365
    audit_years: int = 5
    message_days: int = 30
    kudos_days: int = 365
    dialog_days: int = 30


@dataclass(frozen=True)
class Cutoffs:
    """Data from before these moments goes (dates for days, datetimes for events)."""

    left_before: date
    comments_before: date
    answers_before: date
    audit_before: datetime
    messages_before: datetime
    kudos_before: datetime
    dialogs_before: datetime


def cutoffs(rules: Retention, now: datetime, today: date) -> Cutoffs:
    def years_back(day: date, years: int) -> date:
        try:
            return day.replace(year=day.year - years)
        except ValueError:  # 29 February
            return day.replace(year=day.year - years, day=28)

    return Cutoffs(
        left_before=years_back(today, rules.absence_years_after_leaving),
        comments_before=today - timedelta(days=rules.checkin_comment_days),
        answers_before=today - timedelta(days=rules.checkin_answer_days),
        audit_before=now - timedelta(days=365 * rules.audit_years + rules.audit_years // 4),
        messages_before=now - timedelta(days=rules.message_days),
        kudos_before=now - timedelta(days=rules.kudos_days),
        dialogs_before=now - timedelta(days=rules.dialog_days),
    )
