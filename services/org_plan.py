"""Entra's users (and an overrides file) as an organisation file (issue 19).

The sync writes the rows the CSV import reads and hands them to the same parser, so a synced
organisation passes exactly the CSV import's checks (cycles, unknown leaders, duplicates, unit
settings) and is applied by the same all-or-nothing code. Pure: no session, no HTTP.

Mapping: the object id is the identity; the manager is the nearest leader (past disabled
managers to the next one up); a configurable attribute (default `department`) names the unit;
a unit's parent is the unit of its leader's own manager; `preferredLanguage` is the locale.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from storage.org_import import OrgImportError, OrgPlan, Problem, parse_org_csv
from storage.org_import.fields import parse_locale

Users = Mapping[str, Mapping[str, Any]]

# The overrides file: one row per unit (`unit` set, `person` empty) or per person (`person`).
OVERRIDE_COLUMNS = (
    "unit",
    "person",
    "leader",
    "deputy",
    "deputy_from",
    "deputy_to",
    "planner",
    "policy",
    "checkin_time",
    "checkin_mode",
    "target",
    "parent",
    "role",
    "workdays",
    "fte",
    "start_date",
)
_COLUMNS = (
    "employee_id,name,email,aad_object_id,leader_id,unit,unit_parent,locale,deputy_id,"
    "deputy_from,deputy_to,unit_contact_id,unit_planner_id,unit_policy,unit_checkin_time,"
    "unit_checkin_mode,unit_target,role,workdays,checkin_time,fte,start_date"
).split(",")
_PERSON_COLUMNS = ("role", "workdays", "checkin_time", "fte", "start_date")
_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


@dataclass(frozen=True)
class Overrides:
    units: Mapping[str, Mapping[str, str]]  # unit -> column -> value
    people: Mapping[str, Mapping[str, str]]  # person (id, UPN or mail) -> column -> value
    lines: Mapping[str, int]  # "unit:X" / "person:Y" -> line in the file


NO_OVERRIDES = Overrides({}, {}, {})


def parse_overrides(text: str) -> Overrides:
    """The overrides file; raises OrgImportError naming each bad line."""
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    if not rows:
        return NO_OVERRIDES
    header = [name.strip().lower() for name in rows[0]]
    problems = [
        Problem(1, f"overrides: unknown column '{name}' (allowed: {', '.join(OVERRIDE_COLUMNS)})")
        for name in header
        if name not in OVERRIDE_COLUMNS
    ]
    units: dict[str, dict[str, str]] = {}
    people: dict[str, dict[str, str]] = {}
    lines: dict[str, int] = {}
    for number, fields in enumerate(rows[1:], start=2):
        values = {n: v.strip() for n, v in zip(header, fields, strict=False) if v.strip()}
        if not values:
            continue
        key, target = (
            (f"person:{values['person'].lower()}", people)
            if values.get("person")
            else (f"unit:{values.get('unit', '')}", units)
        )
        if key in ("unit:",):
            problems.append(Problem(number, "overrides: a row needs a unit or a person"))
            continue
        if key in lines:
            problems.append(Problem(number, f"overrides: repeats line {lines[key]}"))
            continue
        lines[key] = number
        target[key.partition(":")[2]] = values
    if problems:
        raise OrgImportError(problems)
    return Overrides(units, people, lines)


class _Tree:
    """The active users, their units and nearest leaders, by object id."""

    def __init__(self, users: Users, attribute: str, default_unit: str) -> None:
        self.users = users
        self.active = {
            uid: data for uid, data in users.items() if data.get("accountEnabled") is not False
        }
        self.unit = {
            uid: (str(data.get(attribute) or "").strip()[:100] or default_unit)
            for uid, data in self.active.items()
        }
        self.by_name: dict[str, str] = {}
        for uid, data in self.active.items():
            for name in (uid, data.get("userPrincipalName"), data.get("mail")):
                if name:
                    self.by_name.setdefault(str(name).lower(), uid)

    def leader(self, uid: str) -> str | None:
        """The nearest active manager, past disabled ones; an id Entra does not know is kept
        (the import's check reports it as an unknown leader)."""
        seen = {uid}
        manager = self.users.get(uid, {}).get("manager")
        while manager and manager not in seen:
            if manager in self.active or manager not in self.users:
                return str(manager)
            seen.add(manager)
            manager = self.users[manager].get("manager")
        return None


def _unit_leaders(tree: _Tree, overrides: Overrides, problems: list[Problem]) -> dict[str, str]:
    """Each unit's leader: the overrides' or the manager most of its people share."""
    shared: dict[str, Counter[str]] = {}
    for uid, unit in tree.unit.items():
        leader = tree.leader(uid)
        if leader in tree.active:
            shared.setdefault(unit, Counter())[leader] += 1
    leaders = {unit: min(c, key=lambda m: (-c[m], m)) for unit, c in shared.items()}
    for unit, values in overrides.units.items():
        named = values.get("leader")
        if named:
            found = _resolve(tree, named, overrides.lines[f"unit:{unit}"], problems)
            if found:
                leaders[unit] = found
    return leaders


def _resolve(tree: _Tree, name: str, line: int, problems: list[Problem]) -> str | None:
    found = tree.by_name.get(name.lower())
    if found is None:
        problems.append(Problem(line, f"overrides: nobody active in Entra ID is '{name}'"))
    return found


def _parents(tree: _Tree, leaders: Mapping[str, str], overrides: Overrides) -> dict[str, str]:
    parents: dict[str, str] = {}
    for unit, leader in leaders.items():
        above = tree.unit.get(leader)
        if above == unit:
            boss = tree.leader(leader)
            above = tree.unit.get(boss) if boss else None
        if above and above != unit:
            parents[unit] = above
    for unit, values in overrides.units.items():
        if values.get("parent"):
            parents[unit] = values["parent"]
    return parents


def _locale(raw: object) -> str:
    try:
        return parse_locale(str(raw), "preferredLanguage") if raw else ""
    except ValueError:
        return ""  # Entra allows values we do not: the default locale is better than an error


@dataclass
class _Rows:
    rows: list[dict[str, str]]
    who: dict[int, str]  # line in the generated file -> the user's name in Entra
    names: dict[str, str]  # object id and employee id -> the user's name in Entra


def _named(tree: _Tree, ids: Mapping[str, str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for uid, data in tree.active.items():
        name = str(data.get("userPrincipalName") or data.get("displayName") or uid)
        names[uid] = names[ids.get(uid.lower(), uid)] = name
    return names


def _unit_columns(
    tree: _Tree, overrides: Overrides, leaders: Mapping[str, str], emp: Any, problems: list[Problem]
) -> dict[str, dict[str, str]]:
    """The unit_* columns of each unit's first row, and the deputy on its leader's row."""
    columns: dict[str, dict[str, str]] = {}
    for unit, values in overrides.units.items():
        line = overrides.lines[f"unit:{unit}"]
        planner = values.get("planner")
        found = _resolve(tree, planner, line, problems) if planner else None
        columns[unit] = {
            "unit_planner_id": emp(found) if found else "",
            "unit_policy": values.get("policy", ""),
            "unit_checkin_time": values.get("checkin_time", ""),
            "unit_checkin_mode": values.get("checkin_mode", ""),
            "unit_target": values.get("target", ""),
        }
        leader = leaders.get(unit)
        if values.get("leader") and leader:
            columns[unit]["unit_contact_id"] = emp(leader)
        deputy = values.get("deputy")
        found = _resolve(tree, deputy, line, problems) if deputy else None
        if found and leader:
            columns.setdefault(f"leader:{leader}", {}).update(
                deputy_id=emp(found),
                deputy_from=values.get("deputy_from", ""),
                deputy_to=values.get("deputy_to", ""),
            )
    return columns


def _person_columns(
    tree: _Tree, overrides: Overrides, problems: list[Problem]
) -> dict[str, dict[str, str]]:
    columns: dict[str, dict[str, str]] = {}
    for person, values in overrides.people.items():
        found = _resolve(tree, person, overrides.lines[f"person:{person}"], problems)
        if found:
            columns[found] = {c: values[c] for c in _PERSON_COLUMNS if values.get(c)}
    return columns


def sync_rows(
    users: Users,
    overrides: Overrides,
    ids: Mapping[str, str],
    attribute: str = "department",
    default_unit: str = "Uden afdeling",
) -> tuple[_Rows, list[Problem]]:
    """One organisation-file row per active user, in unit order."""
    problems: list[Problem] = []
    tree = _Tree(users, attribute, default_unit)

    def emp(uid: str) -> str:
        return ids.get(uid.lower(), uid)

    leaders = _unit_leaders(tree, overrides, problems)
    parents = _parents(tree, leaders, overrides)
    units = _unit_columns(tree, overrides, leaders, emp, problems)
    people = _person_columns(tree, overrides, problems)
    result = _Rows([], {}, _named(tree, ids))
    seen_units: set[str] = set()
    order = sorted(tree.active, key=lambda u: (tree.unit[u], result.names[u]))
    for line, uid in enumerate(order, start=2):
        data, unit = tree.active[uid], tree.unit[uid]
        leader = tree.leader(uid) or leaders.get(unit)
        row = {
            "employee_id": emp(uid),
            "name": str(data.get("displayName") or data.get("userPrincipalName") or ""),
            "email": str(data.get("mail") or data.get("userPrincipalName") or ""),
            "aad_object_id": uid,
            "leader_id": emp(leader) if leader and leader != uid else "",
            "unit": unit,
            "locale": _locale(data.get("preferredLanguage")),
            **units.get(f"leader:{uid}", {}),
            **people.get(uid, {}),
        }
        if unit not in seen_units:
            seen_units.add(unit)
            row.update(units.get(unit, {}), unit_parent=parents.get(unit, ""))
        result.rows.append(row)
        result.who[line] = result.names[uid]
    return result, problems


def as_csv(rows: Iterable[Mapping[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_COLUMNS)
    for row in rows:
        # One row per line, so a problem's line number finds the user.
        writer.writerow([" ".join(row.get(c, "").split()) for c in _COLUMNS])
    return out.getvalue()


def _readable(problem: Problem, rows: _Rows) -> Problem:
    message = _GUID.sub(lambda m: rows.names.get(m[0], m[0]), problem.message)
    if problem.line is None:
        return Problem(None, message)
    return Problem(None, f"{rows.who.get(problem.line, f'row {problem.line}')}: {message}")


def org_plan(
    users: Users,
    overrides: Overrides,
    ids: Mapping[str, str],
    *,
    attribute: str = "department",
    default_unit: str = "Uden afdeling",
    policies: Iterable[str] | None = None,
) -> OrgPlan:
    """The organisation Entra describes, checked as the CSV import checks a file; raises
    OrgImportError with every problem, each naming the user in Entra."""
    rows, problems = sync_rows(users, overrides, ids, attribute, default_unit)
    if problems:
        raise OrgImportError(problems)
    if not rows.rows:
        raise OrgImportError([Problem(None, "Entra ID has no active users")])
    try:
        return parse_org_csv(as_csv(rows.rows), policies)
    except OrgImportError as error:
        raise OrgImportError([_readable(p, rows) for p in error.problems]) from None


# Employee id -> (name, unit, leader, active), as storage.graph.Directory.people gives it.
People = Mapping[str, tuple[str, str, str | None, bool]]


def plan_changes(before: People, plan: OrgPlan, listed: int = 20) -> list[str]:
    """What applying the plan would change, one line each, for a dry run: new people (counted
    when many), moves between units, new nearest leaders, and who leaves."""
    new: list[str] = []
    lines: list[str] = []
    names = {p.id: p.name for p in plan.employees}

    def name(employee_id: str | None) -> str:
        if employee_id is None:
            return "(none)"
        return names.get(employee_id) or before.get(employee_id, (employee_id,))[0]

    for planned in plan.employees:
        was = before.get(planned.id)
        if was is None or not was[3]:
            new.append(
                f"  joins: {planned.name} ({planned.unit_id}, leader {name(planned.leader_id)})"
            )
            continue
        if was[1] != planned.unit_id:
            lines.append(f"  moves: {planned.name}: {was[1]} -> {planned.unit_id}")
        if was[2] != planned.leader_id:
            lines.append(
                f"  new leader: {planned.name}: {name(was[2])} -> {name(planned.leader_id)}"
            )
    lines += [
        f"  leaves: {was[0]}"
        for employee_id, was in before.items()
        if was[3] and employee_id not in names
    ]
    if len(new) > listed:
        new = [f"  joins: {len(new)} people"]
    return new + lines
