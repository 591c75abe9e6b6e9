"""What lets the daily follow-up run evaluate only the people whose result can change today.

A person is evaluated on a day when one of these holds, each true whatever the rules are:

1. Their absences or the facts the engine reads of them (unit, start date, working days,
   employment status) were written since the last run: the database triggers of migration
   0016 mark them, whatever wrote (a turn, an import, a script).
2. An absence of theirs was running at the last evaluation (open, ending on that day or later,
   or starting after it): the engine reads such an absence as "up to today", so the result can
   change every day; they are looked at the next day again.
3. The day has come that the engine itself reported, at the last evaluation, as the next due
   date: evaluated ahead (`HORIZON` later) on the history as it stood, the engine reports
   every occurrence that becomes due meanwhile with nothing written (its contract: an
   occurrence's key and due date are fixed by the history, and it is reported on any day from
   its due date on within LOOKBACK). The earliest such due date is when to look again; without
   one, the horizon.
4. Anything else the result depends on changed: the policies, the unit tree, the engine's own
   code, the time zone (a fingerprint of them all differs from the last run's), or a new
   calendar year began (part of the fingerprint too, for rules that count per year): then
   everyone is evaluated (the first run's path).
5. They were never evaluated (no row yet: the insert trigger marks new employees).

tests/services/test_followup_daily.py holds this to the full evaluation over weeks of virtual
time on both databases.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import rules.calendar
import rules.followups
import rules.policy
from rules.calendar import WorkCalendar
from rules.followups import LOOKBACK, EmployeeFacts, Period, due_followups
from rules.policy import Policy

# How far ahead the engine is asked: a quarter inside LOOKBACK (a year now), so any occurrence
# due in between has a natural date the evaluation ahead still reports (a due date lies only
# days after its natural date: the next working day). At least a day, whatever LOOKBACK is.
HORIZON = max(LOOKBACK - timedelta(days=92), timedelta(days=1))
ONE_DAY = timedelta(days=1)


def next_look(
    history: Sequence[Period],
    facts: EmployeeFacts,
    policy: Policy,
    today: date,
    calendar: WorkCalendar,
) -> date:
    """The next day this person's follow-ups can change if nothing is written meanwhile."""
    known = [p for p in history if p.first_day <= today]
    if any(p.last_day is None or p.last_day >= today for p in known):
        return today + ONE_DAY  # condition 2: running, read up to each day
    wake = min((p.first_day for p in history if p.first_day > today), default=today + HORIZON)
    if known:
        ahead = due_followups(known, facts, policy, today + HORIZON, calendar)
        wake = min([wake, *(f.due_on for f in ahead if f.due_on > today)])
    return wake


@cache
def _engine_digest() -> str:
    """The engine's and the calendar's source: new rule code may find other follow-ups."""
    digest = hashlib.sha256()
    for module in (rules.followups, rules.policy):
        for path in sorted(Path(module.__file__ or "").parent.glob("*.py")):
            digest.update(path.read_bytes())
    digest.update(Path(rules.calendar.__file__ or "").read_bytes())
    return digest.hexdigest()


def fingerprint(
    policies: Mapping[str, Policy],
    default_policy: str,
    units: Sequence[tuple[str, str | None, str | None]],
    timezone: str,
    today: date,
) -> str:
    """What every person's evaluation depends on besides their own rows (condition 4)."""
    facts = {
        "policies": {pid: policies[pid].model_dump(mode="json") for pid in sorted(policies)},
        "default": default_policy,
        "units": sorted(units),
        "timezone": timezone,
        "year": today.year,
        "engine": _engine_digest(),
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True, default=str).encode()).hexdigest()
