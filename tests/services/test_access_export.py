"""The access export's completeness held to the schema (GDPR art. 15, issue 15), and its CSV.

The comparison of an export with everything stored about a person runs over HTTP in
tests/e2e/test_access_export.py; these tests make sure a table or a column added later cannot
slip past it unnoticed."""

from __future__ import annotations

import csv
import io

import pytest

from bot.texts import t
from services.my_data import Export, as_csv
from storage.access_export import AREAS, LEFT_OUT, NOT_ABOUT, NOT_PERSONAL, exported_columns
from storage.models import Base, Employee


def _name(table: str, column: str) -> str:
    return f"{table}.{column}"


def test_every_table_is_exported_or_holds_nothing_about_one_person():
    exported = {area.model.__tablename__ for area in AREAS}
    assert exported.isdisjoint(NOT_PERSONAL)
    assert set(Base.metadata.tables) - exported - NOT_PERSONAL == set()


def test_every_column_naming_a_person_makes_a_row_theirs_or_is_someone_elses():
    """A foreign key to an employee is either the column by which an area finds the person's
    rows, or names them in a row about someone (or something) else, with the reason."""
    employees = Employee.__table__.c.id
    naming = {
        _name(table.name, column.name)
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if any(fk.column is employees for fk in column.foreign_keys)
    }
    subjects = {_name(a.model.__tablename__, a.subject.key) for a in AREAS}
    elsewhere = {_name(c.class_.__tablename__, c.key) for c in NOT_ABOUT}
    assert naming - subjects - elsewhere == set()
    assert subjects.isdisjoint(elsewhere)


def test_only_the_private_note_and_technical_keys_are_left_out():
    assert {_name(c.class_.__tablename__, c.key) for c in LEFT_OUT} == {
        "followups.private_note",
        "absences.source_key",
        "followups.key",
        "outbox.idempotency_key",
        "outbox.replaces_key",
        "outbox.claimed_by",
        "outbox.lease_until",
    }
    followups = next(a for a in AREAS if a.name == "followups")
    assert "private_note" not in {c.key for c in exported_columns(followups)}


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_exported_field_and_area_has_a_name_in_both_languages(lang):
    for area in AREAS:
        assert t(lang, f"export_area_{area.name}")
        names = [t(lang, f"export_field_{c.key}") for c in exported_columns(area)]
        assert len(set(names)) == len(names), area.name  # two fields of a row never share one


def test_csv_neutralises_every_cell_a_spreadsheet_would_run():
    data = Export(
        {
            "=area": [
                {"comment": value}
                for value in ("=1+1", "+45 1234", "-3", "@SUM(A1)", "\tx", "\rx", "ok", None)
            ],
            "more": {"nested": {"a": "=b"}, "flag": True, "n": 4.5},
        }
    )
    data.columns = ("område", "post", "felt", "værdi")
    text = as_csv(data)
    assert text.startswith("\ufeffområde;post;felt;værdi\r\n")  # for Danish Excel
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    values = [row[3] for row in rows[1:9]]
    assert values == ["'=1+1", "'+45 1234", "'-3", "'@SUM(A1)", "'\tx", "'\rx", "ok", ""]
    assert {row[0] for row in rows[1:9]} == {"'=area"}
    assert rows[9:] == [
        ["more", "1", "nested", '{"a": "=b"}'],
        ["more", "1", "flag", "true"],
        ["more", "1", "n", "4.5"],
    ]
