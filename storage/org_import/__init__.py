"""Organisation import: a CSV from HR (or Danish Excel) becomes units and employees.

Two halves: `parse` turns the text into an `OrgPlan` (pure, every problem reported at once, with
`fields` for single cells and `checks` across rows), and `apply` makes the database match the
plan in the caller's transaction. `import_org_file` reads a file and does both in one transaction.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.org_import.apply import ImportReport, apply_org, forget_how_to_reach
from storage.org_import.fields import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from storage.org_import.parse import parse_org_csv
from storage.org_import.plan import (
    OrgImportError,
    OrgPlan,
    PlannedEmployee,
    PlannedUnit,
    Problem,
)

__all__ = [
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "ImportReport",
    "OrgImportError",
    "OrgPlan",
    "PlannedEmployee",
    "PlannedUnit",
    "Problem",
    "apply_org",
    "forget_how_to_reach",
    "import_org_file",
    "parse_org_csv",
    "read_org_text",
]


def read_org_text(path: Path) -> str:
    """The file's text, or an OrgImportError HR can act on (missing file, not UTF-8)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise OrgImportError([Problem(None, f"cannot read {path}: {reason}")]) from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        message = (
            f"the file is not UTF-8 (byte 0x{data[error.start]:02x}); "
            "in Excel save it as 'CSV UTF-8'"
        )
        raise OrgImportError([Problem(line, message)]) from error


async def import_org_file(
    sessions: async_sessionmaker[AsyncSession],
    path: Path,
    today: date,
    policies: Iterable[str] | None = None,
) -> ImportReport:
    """Read, validate and apply one file in a single transaction: any error changes nothing."""
    plan = parse_org_csv(await asyncio.to_thread(read_org_text, path), policies)
    async with sessions.begin() as session:
        # Looked up here, in the package, so a test can replace apply_org to fail mid-way.
        return await apply_org(session, plan, today)
