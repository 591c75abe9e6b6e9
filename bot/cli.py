"""The `naervaer` command: serve, demo, db upgrade, org import, manifest build."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from aiohttp import web
from pydantic import ValidationError
from pythonjsonlogger.json import JsonFormatter

from bot.app import create_app, features_opener, service_config
from bot.settings import Settings
from scheduler.clock import SystemClock
from storage import db

DEMO_ORG = Path(__file__).with_name("demo_org.csv")


def _today(settings: Settings) -> date:
    return SystemClock().now().astimezone(ZoneInfo(settings.timezone)).date()


def _logging(settings: Settings) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if settings.log_format == "json":
        # Messages carry ids only (employee, outbox, activity), never names, notes or comments.
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logging.basicConfig(level=settings.log_level, handlers=[handler], force=True)


def serve(settings: Settings) -> int:
    print(f"naervaer listening on http://{settings.host}:{settings.port}/api/messages", flush=True)
    web.run_app(create_app(settings), host=settings.host, port=settings.port, print=None)
    return 0


def db_upgrade(settings: Settings) -> int:
    async def run() -> None:
        engine = db.create_engine(settings.database_url)
        try:
            await db.upgrade(engine)
        finally:
            await engine.dispose()

    asyncio.run(run())
    print("database schema is current")
    return 0


def org_import(settings: Settings, path: Path) -> int:
    from storage.org_import import OrgImportError, import_org_file

    async def run() -> str:
        engine = db.create_engine(settings.database_url)
        try:
            await db.upgrade(engine)
            from rules.policy import POLICY_DIR, load_policies

            known = load_policies(settings.policy_dir or POLICY_DIR)
            report = await import_org_file(
                db.session_factory(engine), path, _today(settings), known
            )
            return report.summary()
        finally:
            await engine.dispose()

    try:
        print(asyncio.run(run()))
    except OrgImportError as error:
        print(f"import of {path} failed, nothing was changed:\n{error}", file=sys.stderr)
        return 2
    return 0


def demo(settings: Settings) -> int:
    status = org_import(settings, DEMO_ORG)
    if status != 0:
        return status
    print("demo organisation ready; open the Playground (see README) and write 'hjælp'")
    return serve(settings)


def manifest_build(app_id: str, host: str, out: Path, version: str) -> int:
    from manifest import ManifestError, build_package

    try:
        path = build_package(app_id, host, out, version)
    except ManifestError as error:
        print(f"manifest not built: {error}", file=sys.stderr)
        return 2
    print(f"wrote {path} (validated against the Teams manifest schema)")
    return 0


def _as_of(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {raw!r}") from error


def followups(settings: Settings, args: argparse.Namespace) -> int:
    from storage.models import Employee

    tz = ZoneInfo(settings.timezone)
    noon = datetime.combine(args.as_of, time(12, 0), tzinfo=tz)
    open_features = features_opener(service_config(settings))

    async def run() -> int:
        engine = db.create_engine(settings.database_url)
        try:
            await db.upgrade(engine)
            async with db.session_factory(engine)() as session:
                desk = open_features(session, noon).followups
                if args.followups_command == "explain":
                    employee = await session.get(Employee, args.employee_id)
                    if employee is None:
                        print(f"no employee {args.employee_id!r}", file=sys.stderr)
                        return 2
                    policy = await desk.policy_for(employee)
                    print(f"{employee.id} {employee.name} — policy {policy.id}, as of {args.as_of}")
                    for finding in await desk.findings_for(employee):
                        mark = "FIRED" if finding.fired else "-----"
                        print(f"{mark} {finding.rule_id}: {finding.explanation.en}")
                        for followup in finding.followups:
                            print(
                                f"      due {followup.due_on} deadline {followup.deadline_on}:"
                                f" {followup.why.en}"
                            )
                    return 0
                rows = await desk.listing(args.unit)
                if args.format == "json":
                    print(
                        json.dumps(
                            [
                                {
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
                                for e, f, status in rows
                            ],
                            ensure_ascii=False,
                            indent=2,
                        )
                    )
                else:
                    print(
                        f"{'employee':<12} {'rule':<28} {'due':<10} {'deadline':<10} "
                        f"{'status':<10} why"
                    )
                    for e, f, status in rows:
                        print(
                            f"{e.id:<12} {f.rule_id:<28} {f.due_on} {f.deadline_on} "
                            f"{status:<10} {f.why.en}"
                        )
                    print(f"{len(rows)} follow-ups due as of {args.as_of}")
                return 0
        finally:
            await engine.dispose()

    return asyncio.run(run())


def figures_refresh(settings: Settings) -> int:
    from scheduler.clock import SystemClock

    open_features = features_opener(service_config(settings))

    async def run() -> int:
        engine = db.create_engine(settings.database_url)
        try:
            await db.upgrade(engine)
            async with db.session_factory(engine).begin() as session:
                rows = await open_features(session, SystemClock().now()).figures.refresh()
            print(f"unit figures refreshed: {rows} unit-months")
            return 0
        finally:
            await engine.dispose()

    return asyncio.run(run())


def privacy(settings: Settings, args: argparse.Namespace) -> int:
    from scheduler.clock import SystemClock
    from services.privacy import StillNeeded
    from storage.models import Employee

    open_features = features_opener(service_config(settings))
    exported: list[str] = []

    async def run() -> int:
        engine = db.create_engine(settings.database_url)
        try:
            await db.upgrade(engine)
            async with db.session_factory(engine).begin() as session:
                f = open_features(session, SystemClock().now())
                if args.command == "retention":
                    counts = await f.privacy.run_retention(dry_run=args.dry_run)
                    title = "would go (dry run, nothing changed)" if args.dry_run else "done"
                    print(f"retention {title}:")
                    for what, n in counts.items():
                        print(f"  {n:>8}  {what}")
                    return 0
                employee = await session.get(Employee, args.employee_id)
                if employee is None or employee.name == "":
                    print(f"no employee {args.employee_id!r}", file=sys.stderr)
                    return 2
                if args.employee_command == "export":
                    data = await f.my_data.about(employee)
                    exported.append(json.dumps(data, ensure_ascii=False, indent=2))
                    return 0
                try:
                    counts = await f.privacy.erase(employee.id)
                except StillNeeded:
                    print(
                        f"{args.employee_id} still leads or deputises for active staff: "
                        "change the organisation file first",
                        file=sys.stderr,
                    )
                    return 2
                print(f"erased {args.employee_id}:")
                for what, n in counts.items():
                    print(f"  {n:>8}  {what}")
                return 0
        finally:
            await engine.dispose()

    code = asyncio.run(run())
    for text in exported:
        if args.out:
            Path(args.out).write_text(text + "\n", encoding="utf-8")
            print(f"wrote {args.out}")
        else:
            print(text)
    return code


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="naervaer",
        description="Teams bot for sygemelding, trivsel and opfølgning. "
        "Configuration comes from NAERVAER_* environment variables or .env.",
    )
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser(
        "serve",
        help="run the bot server (upgrades the database first)",
        description="Run the bot server on NAERVAER_HOST:NAERVAER_PORT.",
    )
    commands.add_parser(
        "demo",
        help="create the demo organisation and serve",
        description="Import the demo organisation (with the Playground's "
        "mock users) into the configured database, then serve.",
    )
    db_cmd = commands.add_parser("db", help="database commands", description="Database commands.")
    db_sub = db_cmd.add_subparsers(dest="db_command", required=True, metavar="DB_COMMAND")
    db_sub.add_parser("upgrade", help="apply all migrations", description="Apply all migrations.")
    org = commands.add_parser("org", help="organisation commands", description="Organisation.")
    org_sub = org.add_subparsers(dest="org_command", required=True, metavar="ORG_COMMAND")
    imp = org_sub.add_parser(
        "import",
        help="import employees and units from CSV",
        description="Import employees and units from a CSV file. Required columns: "
        "employee_id,name,email,aad_object_id,leader_id,unit; optional: deputy_id,deputy_from,"
        "deputy_to,unit_parent,locale,workdays,checkin_time,start_date,fte,role. All or nothing; "
        "exit code 2 with the line and the problem on any error. Employees missing from the "
        "file are marked as left.",
    )
    imp.add_argument("file", type=Path, metavar="FILE")
    man = commands.add_parser(
        "manifest", help="Teams app package", description="Teams app package."
    )
    man_sub = man.add_subparsers(dest="manifest_command", required=True, metavar="MANIFEST_COMMAND")
    build = man_sub.add_parser(
        "build",
        help="write and validate the Teams app zip",
        description="Write the Teams app package (zip) and validate it offline against the "
        "official manifest JSON schema.",
    )
    build.add_argument("--app-id", required=True, help="the Azure Bot's Microsoft app id (GUID)")
    build.add_argument(
        "--host", required=True, help="public host name of the bot, e.g. naervaer.kommune.dk"
    )
    build.add_argument("--out", type=Path, default=Path("out"), help="output folder (default: out)")
    build.add_argument("--version", default="1.0.0", help="app version MAJOR.MINOR.PATCH")
    fol = commands.add_parser(
        "followups", help="follow-ups by the policies", description="Follow-ups by the policies."
    )
    fol_sub = fol.add_subparsers(
        dest="followups_command", required=True, metavar="FOLLOWUPS_COMMAND"
    )
    lst = fol_sub.add_parser(
        "list",
        help="what is due as of a date",
        description="Evaluate every active employee's policy as of a date and list what is due.",
    )
    lst.add_argument("--as-of", type=_as_of, required=True, metavar="DATE", help="YYYY-MM-DD")
    lst.add_argument("--unit", help="only this unit")
    lst.add_argument("--format", choices=["table", "json"], default="table")
    exp = fol_sub.add_parser(
        "explain",
        help="every rule for one employee, fired or not, and why",
        description="Every rule of the employee's policy as of a date, fired or not, and why.",
    )
    exp.add_argument("employee_id", metavar="EMPLOYEE_ID")
    exp.add_argument("--as-of", type=_as_of, required=True, metavar="DATE", help="YYYY-MM-DD")
    fig = commands.add_parser(
        "figures", help="unit figures for the insight tab", description="Unit figures."
    )
    fig_sub = fig.add_subparsers(dest="figures_command", required=True, metavar="FIGURES_COMMAND")
    fig_sub.add_parser(
        "refresh",
        help="recompute the monthly unit figures now",
        description="Recompute every unit's monthly sick-absence figures (normally nightly).",
    )
    ret = commands.add_parser(
        "retention", help="privacy: apply the retention rules", description="Retention."
    )
    ret_sub = ret.add_subparsers(
        dest="retention_command", required=True, metavar="RETENTION_COMMAND"
    )
    run = ret_sub.add_parser(
        "run",
        help="delete or anonymise what is past its time",
        description="Apply every retention rule now (the server does it daily).",
    )
    run.add_argument("--dry-run", action="store_true", help="only count what would go")
    emp = commands.add_parser(
        "employee", help="privacy: one person's data", description="One person's data."
    )
    emp_sub = emp.add_subparsers(dest="employee_command", required=True, metavar="EMPLOYEE_COMMAND")
    erase = emp_sub.add_parser(
        "erase",
        help="right to erasure: delete the person, keep figures anonymous",
        description="Erase everything about one person; figures keep an anonymous row.",
    )
    erase.add_argument("employee_id", metavar="EMPLOYEE_ID")
    export = emp_sub.add_parser(
        "export",
        help="everything held about one person, as JSON",
        description="Write everything naervaer holds about one person (as 'Hent mine data').",
    )
    export.add_argument("employee_id", metavar="EMPLOYEE_ID")
    export.add_argument("--out", help="a file (default: standard output)")
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "manifest":
        return manifest_build(args.app_id, args.host, args.out, args.version)
    try:
        settings = Settings()
    except ValidationError as error:
        problems = "\n".join(
            f"  NAERVAER_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']} (got {e['input']!r})"
            for e in error.errors()
        )
        print(f"configuration error:\n{problems}", file=sys.stderr)
        return 2
    _logging(settings)
    if args.command == "serve":
        return serve(settings)
    if args.command == "demo":
        return demo(settings)
    if args.command == "db":
        return db_upgrade(settings)
    if args.command == "followups":
        return followups(settings, args)
    if args.command == "figures":
        return figures_refresh(settings)
    if args.command in ("retention", "employee"):
        return privacy(settings, args)
    return org_import(settings, args.file)


if __name__ == "__main__":
    raise SystemExit(main())
