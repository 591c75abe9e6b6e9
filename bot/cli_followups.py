"""`naervaer followups list|explain|conversations`: what the policies make due, printed for an
operator: every recipient of each advis (the employee included), the guidance and links a rule
carries, and the statutory conversations on record."""

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
from rules.policy import Policy, Rule
from services.features import Features
from services.followup_records import FollowUpRecords, conversations_csv, conversations_json
from storage.models import Employee

Row = tuple[Employee, FollowUp, str]
BASIS = {
    "law": "law",
    "policy": "the municipality's policy",
    "practice": "the municipality's practice, not law",
    "local_choice": "a local choice in this policy file, in no source",
}


def followups(settings: Settings, args: argparse.Namespace) -> int:
    # The policies are evaluated as of noon on the day asked about, in the local time zone.
    noon = datetime.combine(args.as_of, time(12, 0), tzinfo=ZoneInfo(settings.timezone))
    return with_features(settings, noon, lambda features: _run(features, args), commit=False)


async def _run(features: Features, args: argparse.Namespace) -> int:
    if args.followups_command == "explain":
        return await explain(features, args.employee_id, args.as_of)
    if args.followups_command == "conversations":
        found = await FollowUpRecords(features.work).statutory(None, args.unit)
        write = conversations_json if args.format == "json" else conversations_csv
        sys.stdout.write(write(found).lstrip("\ufeff"))
        return 0
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
    print(f"overdue follow-ups go to: {' then '.join(policy.escalation.chain)}")
    rules = {rule.id: rule for rule in policy.rules}
    for finding in await features.followups.findings_for(employee):
        print_finding(finding, rules.get(finding.rule_id), policy)
    return 0


def recipients(followup: FollowUp) -> list[str]:
    """Who hears of it: the one reminded (the card), then everyone told besides."""
    return [followup.recipient, *followup.advis]


def print_finding(finding: Finding, rule: Rule | None = None, policy: Policy | None = None) -> None:
    mark = "FIRED" if finding.fired else "-----"
    print(f"{mark} {finding.rule_id}: {finding.explanation.en}")
    if rule is not None:
        basis = f"{BASIS[rule.basis]}: {rule.law}" if rule.law else BASIS[rule.basis]
        told = ", ".join([rule.recipient, *rule.advis])
        employee = policy is not None and policy.employee_advis and rule.recipient == "leader"
        told += ", employee" if employee and "employee" not in rule.advis else ""
        print(f"      basis: {basis}; to: {told}")
        guidance = getattr(rule, "guidance", {})
        for at, texts in guidance.items():
            print(f"      guidance ({at}): {texts.en}")
            for link in texts.links:
                print(f"        link: {link.title.en} <{link.url}>")
    for followup in finding.followups:
        print(
            f"      due {followup.due_on} deadline {followup.deadline_on} "
            f"to {', '.join(recipients(followup))}: {followup.why.en}"
        )


def print_table(rows: list[Row], as_of: date) -> None:
    print(
        f"{'employee':<12} {'rule':<28} {'due':<10} {'deadline':<10} {'status':<10} {'to':<28} why"
    )
    for e, f, status in rows:
        to = ",".join(recipients(f))
        print(
            f"{e.id:<12} {f.rule_id:<28} {f.due_on} {f.deadline_on} {status:<10} {to:<28} "
            f"{f.why.en}"
        )
        if f.guidance is not None:
            print(f"{'':<12} guidance: {f.guidance.en}")
            for link in getattr(f.guidance, "links", ()):
                print(f"{'':<12} link: {link.title.en} <{link.url}>")
    print(f"{len(rows)} follow-ups due as of {as_of}")


def _as_json(row: Row) -> dict[str, Any]:
    e, f, status = row
    links = getattr(f.guidance, "links", ()) if f.guidance else ()
    return {
        "employee_id": e.id,
        "name": e.name,
        "unit": e.unit_id,
        "policy": f.policy_id,
        "rule": f.rule_id,
        "due_on": f.due_on.isoformat(),
        "deadline_on": f.deadline_on.isoformat(),
        "recipient": f.recipient,
        "recipients": recipients(f),
        "status": status,
        "why_da": f.why.da,
        "why_en": f.why.en,
        "guidance_da": f.guidance.da if f.guidance else None,
        "guidance_en": f.guidance.en if f.guidance else None,
        "links": [{"title": link.title.en, "url": link.url} for link in links],
    }
