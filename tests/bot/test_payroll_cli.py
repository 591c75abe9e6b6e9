"""`naervaer absences import` and `naervaer payroll export|reconcile` as an operator runs them,
on SQLite and PostgreSQL: exit codes, all or nothing, once, and the files' shapes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.bot.test_cli import DATA, naervaer

HISTORY = (
    "medarbejder;fra;til;kode;timer;procent\n"
    "e1;2026-02-02;2026-02-04;SY;;\n"
    "emma@example.dk;2026-02-05;2026-02-18;DS;;50\n"
    "e2;2026-03-02;;SY;;\n"
    "e3;2026-03-09;2026-03-13;FE;;\n"
)


@pytest.mark.parametrize(
    "args",
    [["absences", "import"], ["payroll"], ["payroll", "export"], ["payroll", "reconcile"]],
)
def test_the_payroll_commands_have_help(args):
    result = naervaer(*args, "--help")
    assert result.returncode == 0 and "usage: naervaer" in result.stdout


def test_import_export_and_reconcile_from_the_command_line(database_url, tmp_path: Path):
    env = {"NAERVAER_DATABASE_URL": database_url}
    assert naervaer("org", "import", str(DATA / "small_org.csv"), env=env).returncode == 0
    history = tmp_path / "historik.csv"
    history.write_text(HISTORY, encoding="utf-8")
    dry = naervaer("absences", "import", str(history), "--codes", "kmd", "--dry-run", env=env)
    assert (
        dry.returncode == 0 and "dry run, nothing changed: 4 lines: 3 periods added" in dry.stdout
    )
    first = naervaer("absences", "import", str(history), "--codes", "kmd", env=env)
    assert first.returncode == 0, first.stderr
    assert "3 periods added" in first.stdout and "1 skipped (not absence)" in first.stdout
    again = naervaer("absences", "import", str(history), "--codes", "kmd", env=env)
    assert "0 periods added" in again.stdout and "3 lines unchanged" in again.stdout
    bad = tmp_path / "fejl.csv"
    bad.write_text(HISTORY + "x9;2026-04-01;;SY;;\ne1;2026-04-01;;ZZ;;\n", encoding="utf-8")
    refused = naervaer("absences", "import", str(bad), "--codes", "kmd", env=env)
    assert refused.returncode == 2
    assert "line 6: no employee 'x9'" in refused.stderr and "line 7: code 'ZZ'" in refused.stderr
    # Imported history is what payroll has already: nothing to hand on.
    export = naervaer("payroll", "export", "--since", "2026-01-01", "--codes", "kmd", env=env)
    assert export.returncode == 0, export.stderr
    rows = list(csv.DictReader(io.StringIO(export.stdout.removeprefix("\ufeff")), delimiter=";"))
    assert rows == []
    # Payroll's own export, unchanged: no differences; with e2's period ended: other dates.
    same = naervaer(
        "payroll", "reconcile", str(history), "--codes", "kmd", "--from", "2026-02-01",
        "--to", "2026-03-31", env=env,
    )  # fmt: skip
    assert same.returncode == 0 and "0 differences" in same.stdout
    changed = tmp_path / "nu.csv"
    changed.write_text(HISTORY.replace("e2;2026-03-02;;", "e2;2026-03-02;2026-03-06;"))
    differ = naervaer(
        "payroll", "reconcile", str(changed), "--codes", "kmd", "--from", "2026-02-01",
        "--to", "2026-03-31", "--format", "json", env=env,
    )  # fmt: skip
    assert differ.returncode == 1
    [difference] = json.loads(differ.stdout)
    assert difference["difference"] == "other_dates" and difference["employee"] == "e2"
    unknown = naervaer("payroll", "export", "--since", "2026-01-01", "--codes", "opus", env=env)
    assert unknown.returncode == 2 and "no code table 'opus'" in unknown.stderr
