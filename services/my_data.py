"""Everything naervaer holds about one person (GDPR art. 15): the "Mig" page's downloads and
`naervaer employee export`, in the person's language.

What is held, area by area, comes from storage/access_export.py, which exports every column of
the tables but a few it names with their reason (the leader's private follow-up note above
all); the export itself says what is left out and why."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rules.csv_cells import safe_row
from services.notifier import Renderer
from services.work import Work
from storage.access_export import AREAS, PEOPLE, Area, Row
from storage.models import Employee

CSV_COLUMNS = ("area", "record", "field", "value")
# Danish Excel opens a CSV as Windows-1252 unless it begins with a byte order mark, and splits
# columns on ';' (the comma is the decimal mark): with both, æøå and the columns come out right.
BOM = "\ufeff"


class Export(dict[str, Any]):
    """The export as its JSON has it: area by area, named in the person's language. `columns`
    are the CSV's headings in the same language."""

    columns: tuple[str, ...] = CSV_COLUMNS


class Labels:
    """Area and field names in one language."""

    def __init__(self, render: Renderer, lang: str) -> None:
        self.render, self.lang = render, lang

    def __call__(self, key: str) -> str:
        return self.render.text(self.lang, key)

    def field(self, column: str) -> str:
        try:
            return self(f"export_field_{column}")
        except KeyError:  # a new column without a label still goes out, under its own name
            return column


class MyData:
    def __init__(self, work: Work) -> None:
        self.work = work
        # This feature's own reads, on the unit of work's session like every repository.
        self.held = work.store.access_export

    async def about(self, employee: Employee) -> Export:
        """Everything held about the person, except a leader's private follow-up notes (the
        export says why)."""
        lang = await self.work.notifier.language_for(employee.id)
        label = Labels(self.work.notifier.render, lang)
        export = Export()
        export.columns = tuple(label(f"export_csv_{c}") for c in CSV_COLUMNS)
        export[label("export_area_about")] = {
            label("export_field_language"): lang,
            label("export_field_made_at"): self.work.now.isoformat(),
            label("export_field_left_out"): label("export_left_out"),
        }
        mentioned: set[str] = set()
        for area in AREAS:
            rows = await self.held.rows(area, employee.id)
            mentioned |= _people_in(area, rows)
            named = [{label.field(name): value for name, value in row.items()} for row in rows]
            export[label(f"export_area_{area.name}")] = named[0] if area.name == "person" else named
        # Who acted and who looked, by name as well as id.
        export[label("export_area_people")] = await self.held.names(mentioned - {employee.id})
        return export


def _people_in(area: Area, rows: list[Row]) -> set[str]:
    names = {column.key for column in PEOPLE if column.class_ is area.model}
    return {row[n] for row in rows for n in names if isinstance(row.get(n), str)}


def as_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def as_csv(data: dict[str, Any]) -> str:
    """The same as the JSON, one line per fact: area, record (1, 2, ... within the area),
    field, value. UTF-8 with a byte order mark and ';' between columns, for Danish Excel."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    # Every cell goes through safe_row: what a colleague wrote must not run as a formula.
    writer.writerow(safe_row(getattr(data, "columns", CSV_COLUMNS)))
    for area, content in data.items():
        records = content if isinstance(content, list) else [content]
        for n, record in enumerate(records, start=1):
            for field, value in record.items():
                writer.writerow(safe_row([area, n, field, _cell(value)]))
    return BOM + out.getvalue()


def _cell(value: object) -> str:
    """Values as the JSON has them: true/false, numbers, ISO dates, nested data as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool | dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)
