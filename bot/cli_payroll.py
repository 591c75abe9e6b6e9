"""`naervaer absences import` and `naervaer payroll export|reconcile`: payroll files in and out.

Exit status: 0 done (reconcile: no differences), 1 reconcile found differences, 2 the file or
the code table has problems (each printed with its line or field; nothing was changed).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from bot.app import payroll_config
from bot.cli_database import in_transaction
from bot.settings import Settings
from rules.payroll import PayrollError
from services.features import Features
from services.payroll import Payroll
from services.payroll_csv import FileError, handoff_csv, handoff_json
from services.payroll_import import Counts
from services.payroll_reconcile import table_lines

CODES = (
    ("--codes",),
    {"metavar": "NAME", "help": "code table: payroll/NAME.yaml (default: NAERVAER_PAYROLL_CODES)"},
)


class Rollback(Exception):
    """A dry run's way out of its transaction, carrying what it found."""

    def __init__(self, counts: Counts) -> None:
        self.counts = counts


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        print(f"{path}: cannot be read: {error}", file=sys.stderr)
        return None


def absences(settings: Settings, args: argparse.Namespace) -> int:
    """`absences import FILE --codes NAME [--dry-run]`."""
    text = _read(args.file)
    if text is None:
        return 2
    try:
        table = payroll_config(settings).table(args.codes)
    except PayrollError as error:
        print(f"code table: {error}", file=sys.stderr)
        return 2

    async def run(features: Features) -> Counts:
        counts = await Payroll(features.work, table).import_history(text, args.dry_run)
        if args.dry_run:
            raise Rollback(counts)
        return counts

    try:
        counts = in_transaction(settings, run)
    except Rollback as dry:
        print(f"dry run, nothing changed: {dry.counts.summary()}")
        return 0
    except FileError as error:
        print(f"import of {args.file} failed, nothing was changed:\n{error}", file=sys.stderr)
        return 2
    print(f"imported {args.file}: {counts.summary()}")
    return 0


def payroll(settings: Settings, args: argparse.Namespace) -> int:
    """`payroll export --since D` and `payroll reconcile FILE --from D --to D`."""
    try:
        table = payroll_config(settings).table(args.codes)
    except PayrollError as error:
        print(f"code table: {error}", file=sys.stderr)
        return 2
    if args.payroll_command == "export":
        rows = in_transaction(
            settings, lambda f: Payroll(f.work, table).export(args.since, actor="naervaer-cli")
        )
        text = handoff_json(rows) if args.format == "json" else handoff_csv(rows)
        if args.out:
            Path(args.out).write_text(text, encoding="utf-8")
            print(f"{len(rows)} rows written to {args.out}", file=sys.stderr)
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return 0
    return _reconcile(settings, args, table)


def _reconcile(settings: Settings, args: argparse.Namespace, table: object) -> int:
    text = _read(args.file)
    if text is None:
        return 2
    start, end = args.date_from, args.date_to
    try:
        found = in_transaction(
            settings,
            lambda f: Payroll(f.work, table).reconcile(text, start, end),  # type: ignore[arg-type]
        )
    except FileError as error:
        print(f"{args.file} has problems:\n{error}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps([d.as_json() for d in found], ensure_ascii=False, indent=2))
    else:
        print("\n".join(table_lines(found)))
    return 1 if found else 0


# --- the commands' arguments (registered in bot/cli.py) ------------------------------------


def _day(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {raw!r}") from error


IMPORT_HELP = (
    "Import absence history from a payroll export (CSV with a header: employee, first_day, "
    "last_day, code, and for partial codes hours or percent; README 'Payroll'). All or nothing: "
    "exit code 2 with every bad line. The same file twice changes nothing; codes that are not "
    "absence (ferie) are skipped and counted. Follow-ups are evaluated again; those whose "
    "deadline has passed are settled without a reminder."
)
IMPORT_ARGS = (
    (("file",), {"type": Path, "metavar": "FILE"}),
    CODES,
    (("--dry-run",), {"action": "store_true", "help": "check and count, change nothing"}),
)
EXPORT_HELP = (
    "Hand on every new, changed and withdrawn period with a day on or after DATE in the code "
    "table's codes, then print every row handed on since DATE (stable row ids: payroll applies "
    "each once). Each export is in the audit log."
)
EXPORT_ARGS = (
    (("--since",), {"type": _day, "required": True, "metavar": "DATE", "help": "YYYY-MM-DD"}),
    CODES,
    (("--format",), {"choices": ("csv", "json"), "default": "csv"}),
    (("--out",), {"help": "a file (default: standard output)"}),
)
RECONCILE_HELP = (
    "Compare a payroll export with naervaer's periods between two dates: every difference "
    "(missing_in_payroll, missing_in_naervaer, other_dates, other_code). Exit code 1 when they "
    "differ."
)
RECONCILE_ARGS = (
    (("file",), {"type": Path, "metavar": "FILE"}),
    CODES,
    (("--from",), {"dest": "date_from", "type": _day, "required": True, "metavar": "DATE"}),
    (("--to",), {"dest": "date_to", "type": _day, "required": True, "metavar": "DATE"}),
    (("--format",), {"choices": ("table", "json"), "default": "table"}),
)
