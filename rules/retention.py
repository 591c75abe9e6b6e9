"""How long each kind of data is kept (GDPR: only while there is a purpose), as one list of rules.

Lawful defaults that a municipality may change (NAERVAER_RETENTION_*):
- absence periods and follow-ups: while employed, then RETENTION_ABSENCE_YEARS (3) after
  leaving; then the person is erased and their periods stay only as anonymous figures;
- check-in comments (and replies, and what would make it green): 90 days;
- individual check-in answers: 12 months, then only monthly unit totals;
- the audit log: 5 years;
- messages the bot sent or gave up on (their texts): 30 days;
- skulderklap and early-warning nudges: 12 months; unfinished dialogs: 30 days.

`RULES` is the one list: the dry run counts what each rule would take, the real run applies the
same rules in the same order, so the two cannot drift apart.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
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


class Data(enum.StrEnum):
    """A kind of data that is kept for a limited time; storage knows where each one lives."""

    LEAVERS = "people who left"  # erased: their periods stay only as anonymous figures
    CHECKIN_COMMENTS = "check-in comments"  # cleared: the colour stays
    CHECKIN_ANSWERS = "check-in answers"  # folded into monthly unit totals
    AUDIT_ENTRIES = "audit entries"
    SENT_MESSAGES = "sent messages"  # sent, failed or unreachable; pending ones stay
    KUDOS = "skulderklap"
    NUDGES = "early-warning nudges"
    DIALOGS = "unfinished dialogs"


def years_back(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# How a limit becomes a cut-off: data of days (a date column) counts back from today in the
# municipality's time zone; events (a timestamp) count back from now.
Cut = Callable[[int, datetime, date], date]


def days_before_today(n: int, _now: datetime, today: date) -> date:
    return today - timedelta(days=n)


def years_before_today(n: int, _now: datetime, today: date) -> date:
    return years_back(today, n)


def days_before_now(n: int, now: datetime, _today: date) -> datetime:
    return now - timedelta(days=n)


def years_before_now(n: int, now: datetime, _today: date) -> datetime:
    return now - timedelta(days=365 * n + n // 4)


@dataclass(frozen=True)
class Rule:
    data: Data
    report: str  # how a run names what it takes ("check-in comments to clear")
    setting: str  # the Retention field that holds the limit
    cut: Cut

    def before(self, rules: Retention, now: datetime, today: date) -> date:
        """Data of this kind from before this moment goes (a date, or a datetime for events)."""
        return self.cut(getattr(rules, self.setting), now, today)


RULES: tuple[Rule, ...] = (
    Rule(
        Data.LEAVERS, "people who left to erase", "absence_years_after_leaving", years_before_today
    ),
    Rule(
        Data.CHECKIN_COMMENTS,
        "check-in comments to clear",
        "checkin_comment_days",
        days_before_today,
    ),
    Rule(
        Data.CHECKIN_ANSWERS,
        "check-in answers to fold into totals",
        "checkin_answer_days",
        days_before_today,
    ),
    Rule(Data.AUDIT_ENTRIES, "audit entries to delete", "audit_years", years_before_now),
    Rule(Data.SENT_MESSAGES, "sent messages to delete", "message_days", days_before_now),
    Rule(Data.KUDOS, "skulderklap to delete", "kudos_days", days_before_now),
    Rule(Data.NUDGES, "early-warning nudges to delete", "kudos_days", days_before_today),
    Rule(Data.DIALOGS, "unfinished dialogs to delete", "dialog_days", days_before_now),
)


@dataclass(frozen=True)
class Due:
    """A rule with its cut-off on one day."""

    rule: Rule
    before: date


def due(rules: Retention, now: datetime, today: date) -> list[Due]:
    """Every rule with its cut-off, in the order a run applies them (people first: erasing
    someone also clears their comments and moves their answers)."""
    return [Due(rule, rule.before(rules, now, today)) for rule in RULES]
