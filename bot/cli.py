"""The `naervaer` command: a table of what an operator types and which function runs it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot import cli_payroll
from bot.cli_database import db_upgrade, in_transaction, org_import
from bot.cli_demo import demo, serve
from bot.cli_followups import followups
from bot.cli_graph import org_sync, teams_install
from bot.cli_privacy import employee, retention_run
from bot.logs import setup_logging
from bot.settings import Settings


def _settings() -> Settings | None:
    try:
        return Settings()
    except ValidationError as error:
        problems = "\n".join(
            f"  NAERVAER_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']} (got {e['input']!r})"
            for e in error.errors()
        )
        print(f"configuration error:\n{problems}", file=sys.stderr)
        return None


# --- the commands ------------------------------------------------------------------------


def manifest_build(app_id: str, host: str, out: Path, version: str) -> int:
    from manifest import ManifestError, build_package

    try:
        path = build_package(app_id, host, out, version)
    except ManifestError as error:
        print(f"manifest not built: {error}", file=sys.stderr)
        return 2
    print(f"wrote {path} (validated against the Teams manifest schema)")
    return 0


def figures_refresh(settings: Settings) -> int:
    rows = in_transaction(settings, lambda features: features.figures.refresh())
    print(f"unit figures refreshed: {rows} unit-months")
    return 0


# --- the parser, as a table ----------------------------------------------------------------

Argument = tuple[tuple[str, ...], dict[str, Any]]
Run = Callable[[Settings, argparse.Namespace], int]


def arg(*flags: str, **options: Any) -> Argument:
    return flags, options


def _as_of(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {raw!r}") from error


@dataclass(frozen=True)
class Action:
    """The second word of a command (`db upgrade`, `followups list`) and its arguments."""

    name: str
    help: str
    description: str
    arguments: tuple[Argument, ...] = ()


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    description: str
    # None only for `manifest`, which needs no configuration (see `main`).
    run: Run | None
    actions: tuple[Action, ...] = ()


AS_OF = arg("--as-of", type=_as_of, required=True, metavar="DATE", help="YYYY-MM-DD")
EMPLOYEE_ID = arg("employee_id", metavar="EMPLOYEE_ID")

COMMANDS = (
    Command(
        "serve",
        "run the bot server (upgrades the database first)",
        "Run the bot server on NAERVAER_HOST:NAERVAER_PORT.",
        run=lambda settings, _: serve(settings),
    ),
    Command(
        "demo",
        "create the demo municipality with history and serve",
        "Create the demo municipality (about 340 staff in 11 units, two years of history) "
        "around the Playground's mock users in the configured database, then serve.",
        run=lambda settings, _: demo(settings),
    ),
    Command(
        "db",
        "database commands",
        "Database commands.",
        run=lambda settings, _: db_upgrade(settings),
        actions=(Action("upgrade", "apply all migrations", "Apply all migrations."),),
    ),
    Command(
        "org",
        "organisation commands",
        "Organisation.",
        run=lambda settings, args: (
            org_sync(settings, args)
            if args.org_command == "sync"
            else org_import(settings, args.file)
        ),
        actions=(
            Action(
                "import",
                "import employees and units from CSV",
                "Import employees and units from a CSV file. Required columns: "
                "employee_id,name,email,aad_object_id,leader_id,unit; optional: deputy_id,"
                "deputy_from,deputy_to,unit_parent,locale,workdays,checkin_time,start_date,fte,"
                "role. All or nothing; exit code 2 with the line and the problem on any error. "
                "Employees missing from the file are marked as left.",
                (arg("file", type=Path, metavar="FILE"),),
            ),
            Action(
                "sync",
                "read people, managers and units from Entra ID (Microsoft Graph)",
                "Read users/delta from Microsoft Graph (all the first time, then the changes) and "
                "apply it as the CSV import would: the manager is the nearest leader, "
                "NAERVAER_ORG_UNIT_ATTRIBUTE the unit, disabled or deleted accounts leave; "
                "NAERVAER_ORG_OVERRIDES names unit leaders, deputies, planners, policies and "
                "check-in times. All or nothing; exit code 2 with every problem on any error.",
                (
                    arg("--dry-run", action="store_true", help="print the changes, make none"),
                    arg("--install", action="store_true", help="then install the Teams app"),
                ),
            ),
        ),
    ),
    Command(
        "teams",
        "the Teams app",
        "The Teams app.",
        run=teams_install,
        actions=(
            Action(
                "install",
                "install the app for every active person who lacks it (Graph)",
                "Install the Teams app (NAERVAER_TEAMS_APP_CATALOG_ID) for every active person "
                "without it through Microsoft Graph; already installed counts as done.",
                (arg("--dry-run", action="store_true", help="only count who lacks it"),),
            ),
        ),
    ),
    Command(
        "manifest",
        "Teams app package",
        "Teams app package.",
        run=None,
        actions=(
            Action(
                "build",
                "write and validate the Teams app zip",
                "Write the Teams app package (zip) and validate it offline against the "
                "official manifest JSON schema.",
                (
                    arg("--app-id", required=True, help="the Azure Bot's Microsoft app id (GUID)"),
                    arg(
                        "--host",
                        required=True,
                        help="public host name of the bot, e.g. naervaer.kommune.dk",
                    ),
                    arg(
                        "--out", type=Path, default=Path("out"), help="output folder (default: out)"
                    ),
                    arg("--version", default="1.0.0", help="app version MAJOR.MINOR.PATCH"),
                ),
            ),
        ),
    ),
    Command(
        "followups",
        "follow-ups by the policies",
        "Follow-ups by the policies.",
        run=followups,
        actions=(
            Action(
                "list",
                "what is due as of a date",
                "Evaluate every active employee's policy as of a date and list what is due.",
                (
                    AS_OF,
                    arg("--unit", help="only this unit"),
                    arg("--format", choices=["table", "json"], default="table"),
                ),
            ),
            Action(
                "conversations",
                "the statutory (section 7 a) conversations, held and missing, by unit",
                "The section 7 a absence conversations as of a date, held, missing or still "
                "due, by unit, in the shape of NemRefusion's Samtale report.",
                (
                    AS_OF,
                    arg("--unit", help="only this unit"),
                    arg("--format", choices=["csv", "json"], default="csv"),
                ),
            ),
            Action(
                "explain",
                "every rule for one employee, fired or not, and why",
                "Every rule of the employee's policy as of a date, fired or not, and why.",
                (EMPLOYEE_ID, AS_OF),
            ),
        ),
    ),
    Command(
        "figures",
        "unit figures for the insight tab",
        "Unit figures.",
        run=lambda settings, _: figures_refresh(settings),
        actions=(
            Action(
                "refresh",
                "recompute the monthly unit figures now",
                "Recompute every unit's monthly sick-absence figures (normally nightly).",
            ),
        ),
    ),
    Command(
        "retention",
        "privacy: apply the retention rules",
        "Retention.",
        run=retention_run,
        actions=(
            Action(
                "run",
                "delete or anonymise what is past its time",
                "Apply every retention rule now (the server does it daily).",
                (arg("--dry-run", action="store_true", help="only count what would go"),),
            ),
        ),
    ),
    Command(
        "employee",
        "privacy: one person's data",
        "One person's data.",
        run=employee,
        actions=(
            Action(
                "erase",
                "right to erasure: delete the person, keep figures anonymous",
                "Erase everything about one person; figures keep an anonymous row.",
                (EMPLOYEE_ID,),
            ),
            Action(
                "export",
                "everything held about one person, as JSON or CSV",
                "Write everything naervaer holds about one person (as 'Hent mine data').",
                (
                    EMPLOYEE_ID,
                    arg("--format", choices=("json", "csv"), default="json"),
                    arg("--out", help="a file (default: standard output)"),
                ),
            ),
        ),
    ),
    Command(
        "absences",
        "absence history from payroll",
        "Absence history.",
        run=cli_payroll.absences,
        actions=(
            Action(
                "import",
                "import absence history from a payroll export (CSV)",
                cli_payroll.IMPORT_HELP,
                cli_payroll.IMPORT_ARGS,
            ),
        ),
    ),
    Command(
        "payroll",
        "hand-off to payroll, and reconciliation",
        "Payroll.",
        run=cli_payroll.payroll,
        actions=(
            Action(
                "export",
                "periods to hand on to payroll",
                cli_payroll.EXPORT_HELP,
                cli_payroll.EXPORT_ARGS,
            ),
            Action(
                "reconcile",
                "differences between payroll and naervaer",
                cli_payroll.RECONCILE_HELP,
                cli_payroll.RECONCILE_ARGS,
            ),
        ),
    ),
)


def _add_command(commands: Any, command: Command) -> None:
    parser = commands.add_parser(command.name, help=command.help, description=command.description)
    parser.set_defaults(run=command.run)
    if not command.actions:
        return
    actions = parser.add_subparsers(
        dest=f"{command.name}_command",
        required=True,
        metavar=f"{command.name.upper()}_COMMAND",
    )
    for action in command.actions:
        sub = actions.add_parser(action.name, help=action.help, description=action.description)
        for flags, options in action.arguments:
            sub.add_argument(*flags, **options)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="naervaer",
        description="Teams bot for sygemelding, trivsel and opfølgning. "
        "Configuration comes from NAERVAER_* environment variables or .env.",
    )
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        _add_command(commands, command)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "manifest":
        # Built offline: a missing or broken configuration must not stop it.
        return manifest_build(args.app_id, args.host, args.out, args.version)
    settings = _settings()
    if settings is None:
        return 2
    setup_logging(settings)
    run: Run = args.run
    return run(settings, args)


if __name__ == "__main__":
    raise SystemExit(main())
