"""The follow-up engine: absence history + employee facts + policy + a date -> follow-ups.

Pure and quick: no database, no clock, no loops over the days of a year. Every follow-up names
the rule that produced it, and `evaluate` says for every rule why it fired or why not.

Where things are
- One module per rule kind (`contact_days`, `periods_within`, `deadline`, ...), each holding
  that kind's `evaluate` (the follow-ups) and `explain` (why not) side by side, and, if the kind
  reads history before an occurrence, `reads_back`. `KINDS` below is the table the engine
  dispatches on; a new kind is a module and a line there (and its model in rules/policy/kinds.py).
- `core`: the types (Period, EmployeeFacts, FollowUp, Finding) and how far back it looks;
  `context`: the absences and counting their days; `texts` and `explain`: the bilingual texts.

What counts
- Sick days are the days of the periods whose kind is in `policy.counts`; partly sick days
  count as whole days when counted at all. An akutdag (emergency_day) never counts.
- Counted periods with no day between them are ONE absence: a sygemelding followed straight by a
  delvis raskmelding continues the same absence, so its day numbers, its consecutive days and
  "number of periods" go on from the first sick day. One day between two periods (a weekend
  too) makes them two periods.
- Day N of an absence is `rules.calendar.absence_day_number` in calendar days or dagsværk as
  the rule (or else the policy) says; totals are calendar days or dagsværk the same way. Working
  days come from `WorkCalendar.is_working_day` on the employee's own weekdays
  (`EmployeeFacts.workdays`), summed once per year so that counting needs no day loops.

What is known
- Only what was known by `on`: periods starting after it are ignored, open ones run up to it.
- Occurrences whose natural date lies within LOOKBACK (a year and a quarter) before `on` are
  reported; each rule reads as far back as those occurrences need (a year for the yearly and
  12-month totals, the window of "N periods within X days") and no further.
- An occurrence keeps its key forever (`FollowUp.key`): it is made of the rule and a date the
  history fixes (the absence's first day, "2026-Q3"), never of `on`, so evaluating again later
  gives the same keys and the caller can insert and ignore duplicates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from rules.calendar import WorkCalendar
from rules.followups import (
    after_nth_day,
    after_return,
    consecutive_days,
    contact_days,
    deadline,
    periods_within,
    rolling_total,
    week_contact,
    yearly_total,
)
from rules.followups.context import Context
from rules.followups.core import LOOKBACK, YEAR_CONTEXT, EmployeeFacts, Finding, FollowUp, Period
from rules.policy import Policy, Texts

__all__ = [
    "KINDS",
    "LOOKBACK",
    "YEAR_CONTEXT",
    "EmployeeFacts",
    "Finding",
    "FollowUp",
    "Period",
    "RuleKind",
    "due_followups",
    "evaluate",
]


def _reads_nothing_before(rule: Any) -> int:
    return 0


@dataclass(frozen=True, slots=True)
class RuleKind:
    """What the engine does with a rule of one kind.

    `reads_back`: how many days before an occurrence the kind reads the history.
    """

    evaluate: Callable[[Any, Context], list[FollowUp]]
    explain: Callable[[Any, Context], Texts]
    reads_back: Callable[[Any], int] = _reads_nothing_before


KINDS: Final[dict[str, RuleKind]] = {
    "contact_days": RuleKind(contact_days.evaluate, contact_days.explain),
    "week_contact": RuleKind(week_contact.evaluate, week_contact.explain),
    "periods_within": RuleKind(
        periods_within.evaluate, periods_within.explain, periods_within.reads_back
    ),
    "consecutive_days": RuleKind(consecutive_days.evaluate, consecutive_days.explain),
    "yearly_total": RuleKind(yearly_total.evaluate, yearly_total.explain, yearly_total.reads_back),
    "rolling_total": RuleKind(
        rolling_total.evaluate, rolling_total.explain, rolling_total.reads_back
    ),
    "after_nth_day": RuleKind(
        after_nth_day.evaluate, after_nth_day.explain, after_nth_day.reads_back
    ),
    "deadline": RuleKind(deadline.evaluate, deadline.explain),
    "after_return": RuleKind(after_return.evaluate, after_return.explain),
}


def evaluate(
    history: Sequence[Period],
    facts: EmployeeFacts,
    policy: Policy,
    on: date,
    calendar: WorkCalendar,
) -> list[Finding]:
    """Every rule of the policy, fired or not, with why; fired ones carry follow-ups due by `on`.

    `calendar` gives the days off and time zone; `facts.workdays` the employee's own weekdays.
    """
    ctx = _context(history, facts, policy, on, calendar)
    findings = []
    for rule in policy.rules:
        ctx.pending = None
        kind = KINDS[rule.kind]
        found = kind.evaluate(rule, ctx)
        # A fired rule is explained by its latest follow-up's why; the others by a reason.
        explanation = found[-1].why if found else kind.explain(rule, ctx)
        findings.append(Finding(rule.id, bool(found), explanation, tuple(found)))
    return findings


def due_followups(
    history: Sequence[Period],
    facts: EmployeeFacts,
    policy: Policy,
    on: date,
    calendar: WorkCalendar,
) -> list[FollowUp]:
    """The follow-ups due on or before `on`, over all rules (what the daily job stores)."""
    ctx = _context(history, facts, policy, on, calendar)
    found: list[FollowUp] = []
    for rule in policy.rules:
        found += KINDS[rule.kind].evaluate(rule, ctx)
    return found


def _context(
    history: Sequence[Period],
    facts: EmployeeFacts,
    policy: Policy,
    on: date,
    calendar: WorkCalendar,
) -> Context:
    context_days, counted = _policy_facts(policy)
    return Context(history, facts, policy, on, calendar, context_days, counted)


_POLICY_FACTS: dict[int, tuple[Policy, int, frozenset[str]]] = {}


def _policy_facts(policy: Policy) -> tuple[int, frozenset[str]]:
    """How far before an occurrence the policy's rules read, and the kinds it counts: worked
    out once per policy object rather than per employee. Keyed by id() with the policy kept
    alive in the entry, so an id is never reused."""
    found = _POLICY_FACTS.get(id(policy))
    if found is None or found[0] is not policy:
        if len(_POLICY_FACTS) > 256:
            _POLICY_FACTS.clear()
        days = max((KINDS[rule.kind].reads_back(rule) for rule in policy.rules), default=0)
        found = (policy, days, frozenset(policy.counts))
        _POLICY_FACTS[id(policy)] = found
    return found[1], found[2]
