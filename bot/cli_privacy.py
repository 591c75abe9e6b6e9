"""`naervaer retention run` and `naervaer employee export|erase`: privacy for an operator."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from bot.cli_database import in_transaction
from bot.settings import Settings
from services.features import Features
from services.my_data import as_csv, as_json
from services.privacy import StillNeeded


@dataclass(frozen=True)
class Outcome:
    code: int
    # Written only once the transaction has committed, as the export itself is audited.
    exported: str | None = None


def retention_run(settings: Settings, args: argparse.Namespace) -> int:
    return in_transaction(settings, lambda features: _retention(features, args.dry_run)).code


def employee(settings: Settings, args: argparse.Namespace) -> int:
    outcome = in_transaction(settings, lambda features: _employee(features, args))
    if outcome.exported is not None:
        _write_export(outcome.exported, args.out)
    return outcome.code


async def _retention(features: Features, dry_run: bool) -> Outcome:
    counts = await features.privacy.run_retention(dry_run=dry_run)
    title = "would go (dry run, nothing changed)" if dry_run else "done"
    print(f"retention {title}:")
    _print_counts(counts)
    return Outcome(0)


async def _employee(features: Features, args: argparse.Namespace) -> Outcome:
    person = await features.work.store.people.anyone(args.employee_id)
    if person is None or person.name == "":  # an anonymous row is nobody's
        print(f"no employee {args.employee_id!r}", file=sys.stderr)
        return Outcome(2)
    if args.employee_command == "export":
        data = await features.my_data.about(person)
        # The same text as the Mig tab's downloads.
        return Outcome(0, as_csv(data) if args.format == "csv" else as_json(data))
    return await _erase(features, person.id)


async def _erase(features: Features, employee_id: str) -> Outcome:
    try:
        counts = await features.privacy.erase(employee_id)
    except StillNeeded:
        print(
            f"{employee_id} still leads or deputises for active staff: "
            "change the organisation file first",
            file=sys.stderr,
        )
        return Outcome(2)
    print(f"erased {employee_id}:")
    _print_counts(counts)
    return Outcome(0)


def _write_export(text: str, out: str | None) -> None:
    if out:
        # newline="": the CSV's own line ends (\r\n) stay as they are.
        Path(out).write_text(
            text if text.endswith("\n") else text + "\n", encoding="utf-8", newline=""
        )
        print(f"wrote {out}")
    else:
        print(text, end="" if text.endswith("\n") else "\n")


def _print_counts(counts: dict[str, int]) -> None:
    for what, n in counts.items():
        print(f"  {n:>8}  {what}")
