"""`naervaer followups list|explain`: what the policies make due, printed for an operator."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from bot.cli_database import with_features
from bot.settings import Settings
from rules.followups import Finding, FollowUp
from services.features import Features
from storage.models import Employee

Row = tuple[Employee, FollowUp, str]


def followups(settings: Settings, args: argparse.Namespace) -> int:
    # The policies are evaluated as of noon on the day asked about, in the local time zone.
    noon = datetime.combine(args.as_of, time(12, 0), tzinfo=ZoneInfo(settings.timezone))
    return with_features(settings, noon, lambda features: _run(features, args), commit=False)


async def _run(features: Features, args: argparse.Namespace) -> int:
    if args.followups_command == "explain":
        return await explain(features, args.employee_id, args.as_of)
    rows = await features.followups.listing(args.unit)
    if args.format == "json":
        print(json.dumps([_as_json(row) for row in rows], ensure_ascii=False, indent=2))
    else:
        print_table(rows, args.as_of)
    return 0


async def explain(features: Features, employee_id: str, as_of: date) -> int:
    # Anyone, active or not, as before: an operator may ask why about someone who has left.
    employee = await features.work.store.people.anyone(employee_id)
    if employee is None:
        print(f"no employee {employee_id!r}", file=sys.stderr)
        return 2
    policy = await features.followups.policy_for(employee)
    print(f"{employee.id} {employee.name} — policy {policy.id}, as of {as_of}")
    for finding in await features.followups.findings_for(employee):
        print_finding(finding)
    return 0


def print_finding(finding: Finding) -> None:
    mark = "FIRED" if finding.fired else "-----"
    print(f"{mark} {finding.rule_id}: {finding.explanation.en}")
    for followup in finding.followups:
        print(f"      due {followup.due_on} deadline {followup.deadline_on}: {followup.why.en}")


def print_table(rows: list[Row], as_of: date) -> None:
    print(f"{'employee':<12} {'rule':<28} {'due':<10} {'deadline':<10} {'status':<10} why")
    for e, f, status in rows:
        print(f"{e.id:<12} {f.rule_id:<28} {f.due_on} {f.deadline_on} {status:<10} {f.why.en}")
    print(f"{len(rows)} follow-ups due as of {as_of}")


def _as_json(row: Row) -> dict[str, Any]:
    e, f, status = row
    return {
        "employee_id": e.id,
        "name": e.name,
        "unit": e.unit_id,
        "policy": f.policy_id,
        "rule": f.rule_id,
        "due_on": f.due_on.isoformat(),
        "deadline_on": f.deadline_on.isoformat(),
        "recipient": f.recipient,
        "status": status,
        "why_da": f.why.da,
        "why_en": f.why.en,
    }
