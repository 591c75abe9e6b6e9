"""`naervaer followups list|explain|conversations` as an operator runs them (issue 18): every
recipient of an advis (the employee included), the guidance and links a rule carries, what a
rule rests on (the law named), and the policy's escalation chain."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

from storage.models import Absence, AbsenceKind, AbsenceStatus
from tests.builders import Org
from tests.conftest import COPENHAGEN

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-24"


def naervaer(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NAERVAER_DATABASE_URL": database_url},
        cwd=ROOT,
    )


async def sick(sessions, employee_id: str, first: date) -> None:
    async with sessions.begin() as session:
        session.add(
            Absence(
                employee_id=employee_id,
                kind=AbsenceKind.SICK,
                status=AbsenceStatus.OPEN,
                first_day=first,
                reported_by=employee_id,
                channel="chat",
                source_key=f"cli-{employee_id}",
                created_at=datetime(2026, 11, 2, 9, 0, tzinfo=COPENHAGEN),
            )
        )


async def test_list_and_explain_name_every_recipient_the_guidance_links_and_the_law(
    database_url, sessions
):
    imported = naervaer(database_url, "org", "import", str(ROOT / "tests/data/small_org.csv"))
    assert imported.returncode == 0, imported.stderr
    org = Org(sessions)
    await org.follows_policy("Solgården", "lemvig")
    await org.follows_policy("HR", "hedensted")
    await org.follows_policy("Ældreområdet", "viborg")
    await sick(sessions, "e1", date(2026, 11, 16))  # Lemvig: 7 consecutive days
    await sick(sessions, "h1", date(2026, 11, 2))  # Hedensted: day 14's guidance and link
    await sick(sessions, "c1", date(2026, 11, 2))  # Viborg: § 7 a, the employee told too

    listed = naervaer(database_url, "followups", "list", "--as-of", AS_OF, "--format", "json")
    assert listed.returncode == 0, listed.stderr
    rows = {(r["employee_id"], r["rule"], r["due_on"]): r for r in json.loads(listed.stdout)}
    lemvig = rows[("e1", "syv-sammenhaengende-dage", "2026-11-23")]
    assert lemvig["recipients"] == ["leader", "leader_above"]
    day_14 = rows[("h1", "advis-7-14-21", "2026-11-16")]
    assert day_14["links"] == [
        {
            "title": "Mulighedserklæring – form and guidance (STAR)",
            "url": "https://star.dk/om-styrelsen/blanketter/5/mulighedserklaering/",
        }
    ]
    assert "mulighedserklæring" in day_14["guidance_en"]
    viborg = rows[("c1", "sygefravaerssamtale-uge-4", "2026-11-23")]
    assert viborg["recipients"] == ["leader", "employee"] and viborg["deadline_on"] == "2026-11-30"
    assert rows[("c1", "nemrefusion", "2026-11-24")]["recipients"] == ["hr"]

    table = naervaer(database_url, "followups", "list", "--as-of", AS_OF)
    assert "leader,leader_above" in table.stdout
    assert "link: Mulighedserklæring – form and guidance (STAR) <https://star.dk/" in table.stdout

    explained = naervaer(database_url, "followups", "explain", "c1", "--as-of", AS_OF)
    assert explained.returncode == 0, explained.stderr
    out = explained.stdout
    assert "overdue follow-ups go to: hr then leader_above" in out
    assert "basis: law: sygedagpengeloven § 7 a; to: leader, employee" in out
    assert "basis: the municipality's practice, not law; to: leader, employee" in out  # rask-igen
    assert "basis: a local choice in this policy file, in no source" in out  # 3 in 6 months

    talks = naervaer(database_url, "followups", "conversations", "--as-of", AS_OF)
    assert talks.returncode == 0, talks.stderr
    assert talks.stdout.splitlines()[0].startswith("medarbejder_id;navn;enhed;")
