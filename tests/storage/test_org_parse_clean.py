"""Names and units from HR's file are stored without bidi or zero-width controls (issue 16)."""

from __future__ import annotations

import pytest

from storage.org_import import OrgImportError, parse_org_csv

HEADER = "employee_id,name,email,aad_object_id,leader_id,unit,unit_parent"


def test_names_and_units_lose_bidi_and_zero_width_controls():
    text = (
        f"{HEADER}\n"
        "l1,\u202eLars\u202c Jensen,lars@example.dk,aad-lars,,Sol\u200bgården,\n"
        "e1,Emma\u2066 \u200fSørensen\ufeff,emma@example.dk,aad-emma,l1,Solgården,\n"
        "e2,\u200b\u061cمرحبا Khan 👩\u200d💻,ali@example.dk,aad-ali,l1,Solgården,\n"
    )
    plan = parse_org_csv(text)
    assert [e.name for e in plan.employees] == [
        "Lars Jensen",
        "Emma Sørensen",
        "مرحبا Khan 👩\u200d💻",
    ]
    assert {e.unit_id for e in plan.employees} == {"Solgården"}
    assert [u.id for u in plan.units] == ["Solgården"]


def test_a_name_of_only_controls_is_a_missing_name():
    text = f"{HEADER}\ne1,\u202e\u200b ,emma@example.dk,aad-emma,,Solgården,\n"
    with pytest.raises(OrgImportError) as raised:
        parse_org_csv(text)
    assert [str(p) for p in raised.value.problems] == ["line 2: missing name"]
