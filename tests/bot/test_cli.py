"""The `naervaer` command as an operator uses it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from manifest import validate_package

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"


def naervaer(
    *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["serve"],
        ["demo"],
        ["db"],
        ["db", "upgrade"],
        ["org"],
        ["org", "import"],
        ["manifest"],
        ["manifest", "build"],
    ],
)
def test_every_command_has_help(args):
    result = naervaer(*args, "--help")
    assert result.returncode == 0 and "usage: naervaer" in result.stdout


def test_org_import_good_bad_and_repeated(database_url):
    env = {"NAERVAER_DATABASE_URL": database_url}
    first = naervaer("org", "import", str(DATA / "small_org.csv"), env=env)
    assert first.returncode == 0, first.stderr
    assert "7 created" in first.stdout
    again = naervaer("org", "import", str(DATA / "small_org.csv"), env=env)
    assert again.returncode == 0 and "No changes" in again.stdout
    bad = naervaer("org", "import", str(DATA / "org" / "unknown_leader.csv"), env=env)
    assert bad.returncode == 2
    assert "nothing was changed" in bad.stderr and "line " in bad.stderr
    missing = naervaer("org", "import", "/nonexistent.csv", env=env)
    assert missing.returncode == 2


def test_bad_configuration_is_reported_not_raised(tmp_path):
    result = naervaer("db", "upgrade", env={"NAERVAER_PORT": "not-a-port"}, cwd=tmp_path)
    assert result.returncode == 2 and "NAERVAER_PORT" in result.stderr.upper()


def test_manifest_build_writes_a_valid_package(tmp_path):
    result = naervaer(
        "manifest",
        "build",
        "--app-id",
        "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        "--host",
        "naervaer.example.dk",
        "--out",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    package = tmp_path / "naervaer-teams-app.zip"
    assert validate_package(package) == []
    assert "manifest.json" in zipfile.ZipFile(package).namelist()
    bad = naervaer(
        "manifest", "build", "--app-id", "nope", "--host", "x.dk", "--out", str(tmp_path)
    )
    assert bad.returncode == 2 and "manifest not built" in bad.stderr
