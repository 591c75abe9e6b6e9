"""Checks across rows of an organisation file: the unit tree, unit settings, who leads whom.

Each check appends what is wrong to `problems`, so one run reports everything at once.
Pure: no SQLAlchemy, no session.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

from rules.access import Role
from storage.org_import.fields import (
    CHECKIN_MODES,
    POLICY_ID,
    is_time,
    parse_time,
    percent,
)
from storage.org_import.plan import PlannedEmployee, PlannedUnit, Problem

# A well-formed employee line: its line number and its values by column name.
Row = tuple[int, Mapping[str, str]]


def _cycles(parents: Mapping[str, str | None]) -> list[list[str]]:
    """Each cycle in a child -> parent graph once, as the list of its members."""
    done: set[str] = set()
    cycles: list[list[str]] = []
    for start in parents:
        path: list[str] = []
        node: str | None = start
        while node is not None and node not in done and node not in path:
            path.append(node)
            node = parents.get(node)
        if node is not None and node in path:
            cycles.append(path[path.index(node) :])
        done.update(path)
    return cycles


def _cycle_problem(kind: str, members: list[str], lines: Mapping[str, int]) -> Problem:
    first = min(range(len(members)), key=lambda index: lines[members[index]])
    ordered = members[first:] + members[:first]
    numbers = sorted({lines[member] for member in ordered})
    where = f"line {numbers[0]}" if len(numbers) == 1 else f"lines {', '.join(map(str, numbers))}"
    return Problem(None, f"{kind} cycle: {' -> '.join([*ordered, ordered[0]])} ({where})")


def _check_unique(
    employees: Iterable[PlannedEmployee], column: str, problems: list[Problem]
) -> None:
    """Directory id and e-mail identify a Teams user, so two rows must never share one."""
    seen: dict[str, PlannedEmployee] = {}
    for employee in employees:
        value = getattr(employee, column)
        if not value:
            continue
        first = seen.setdefault(value.lower(), employee)
        if first is not employee:
            problems.append(
                Problem(
                    employee.line,
                    f"duplicate {column} '{value}' (first on line {first.line}, "
                    f"employee '{first.id}')",
                )
            )


def _check_links(employees: Mapping[str, PlannedEmployee], problems: list[Problem]) -> None:
    """Every leader and deputy named must be a row in the file."""
    for employee in employees.values():
        if employee.leader_id and employee.leader_id not in employees:
            problems.append(
                Problem(
                    employee.line,
                    f"unknown leader '{employee.leader_id}' for employee '{employee.id}'",
                )
            )
        if employee.deputy_id == employee.id:
            problems.append(
                Problem(employee.line, f"employee '{employee.id}' cannot be their own deputy")
            )
        elif employee.deputy_id and employee.deputy_id not in employees:
            problems.append(
                Problem(
                    employee.line,
                    f"unknown deputy '{employee.deputy_id}' for employee '{employee.id}'",
                )
            )


def check_people(employees: Mapping[str, PlannedEmployee], problems: list[Problem]) -> None:
    _check_links(employees, problems)
    _check_unique(employees.values(), "aad_object_id", problems)
    _check_unique(employees.values(), "email", problems)
    leaders = {
        employee.id: employee.leader_id if employee.leader_id in employees else None
        for employee in employees.values()
    }
    lines = {employee.id: employee.line for employee in employees.values()}
    problems.extend(_cycle_problem("leader", cycle, lines) for cycle in _cycles(leaders))


def _unit_parents(
    rows: list[Row], problems: list[Problem]
) -> tuple[dict[str, str | None], dict[str, int]]:
    """Every unit named (as unit or parent) with its parent, and the line that declared it."""
    parents: dict[str, str | None] = {}
    declared: dict[str, tuple[str, int]] = {}
    for line, values in rows:
        unit, parent = values.get("unit", ""), values.get("unit_parent", "")
        if not unit:
            continue
        parents.setdefault(unit, None)
        if not parent:
            continue
        parents.setdefault(parent, None)
        earlier = declared.setdefault(unit, (parent, line))
        if earlier[0] != parent:
            problems.append(
                Problem(
                    line,
                    f"unit '{unit}' has parent '{parent}' here but '{earlier[0]}' "
                    f"on line {earlier[1]}",
                )
            )
    parents.update({unit: parent for unit, (parent, _) in declared.items()})
    return parents, {unit: line for unit, (_, line) in declared.items()}


def _parents_first(parents: Mapping[str, str | None]) -> tuple[PlannedUnit, ...]:
    """The units ordered so that each comes after its parent (the tree has no cycles)."""
    ordered: list[PlannedUnit] = []
    placed: set[str] = set()
    for unit in parents:
        chain: list[str] = []
        node: str | None = unit
        while node is not None and node not in placed:
            chain.append(node)
            node = parents[node]
        for member in reversed(chain):
            ordered.append(PlannedUnit(member, parents[member]))
            placed.add(member)
    return tuple(ordered)


def plan_units(rows: list[Row], problems: list[Problem]) -> tuple[PlannedUnit, ...]:
    parents, lines = _unit_parents(rows, problems)
    cycles = _cycles(parents)
    problems.extend(_cycle_problem("unit", cycle, lines) for cycle in cycles)
    if cycles:
        return ()
    return _parents_first(parents)


def _unit_values(
    rows: list[Row],
    column: str,
    known: Callable[[str], bool],
    problems: list[Problem],
) -> dict[str, str]:
    """One value per unit for a unit column given on employee rows; conflicting rows are errors."""
    chosen: dict[str, tuple[str, int]] = {}
    for line, values in rows:
        unit, value = values.get("unit", ""), values.get(column, "")
        if not unit or not value:
            continue
        if not known(value):
            problems.append(Problem(line, f"unknown {column} '{value}' for unit '{unit}'"))
            continue
        earlier = chosen.setdefault(unit, (value, line))
        if earlier[0] != value:
            problems.append(
                Problem(
                    line,
                    f"unit '{unit}' has {column} '{value}' here but '{earlier[0]}' "
                    f"on line {earlier[1]}",
                )
            )
    return {unit: value for unit, (value, _line) in chosen.items()}


def plan_unit_settings(
    units: tuple[PlannedUnit, ...],
    rows: list[Row],
    employees: Mapping[str, PlannedEmployee],
    policies: Iterable[str] | None,
    problems: list[Problem],
) -> tuple[PlannedUnit, ...]:
    known_policies = set(policies) if policies is not None else None
    contacts = _unit_values(rows, "unit_contact_id", lambda v: v in employees, problems)
    planners = _unit_values(rows, "unit_planner_id", lambda v: v in employees, problems)
    chosen_policies = _unit_values(
        rows,
        "unit_policy",
        lambda v: bool(POLICY_ID.match(v)) and (known_policies is None or v in known_policies),
        problems,
    )
    times = _unit_values(rows, "unit_checkin_time", is_time, problems)
    targets = _unit_values(rows, "unit_target", lambda v: percent(v) is not None, problems)
    modes = _unit_values(
        rows, "unit_checkin_mode", lambda v: v.casefold() in CHECKIN_MODES, problems
    )
    return tuple(
        replace(
            u,
            contact_id=contacts.get(u.id),
            policy_id=chosen_policies.get(u.id),
            checkin_time=parse_time(times[u.id], "unit_checkin_time") if u.id in times else None,
            checkin_anonymous=CHECKIN_MODES.get(modes.get(u.id, "").casefold(), False),
            target_percent=percent(targets[u.id]) if u.id in targets else None,
            planner_id=planners.get(u.id),
        )
        for u in units
    )


def promote_leaders(employees: Mapping[str, PlannedEmployee]) -> tuple[PlannedEmployee, ...]:
    """Someone's nearest leader is a leader, whatever the HR system calls them."""
    leader_ids = {employee.leader_id for employee in employees.values()}
    return tuple(
        replace(employee, role=Role.LEADER)
        if employee.id in leader_ids and employee.role == Role.EMPLOYEE
        else employee
        for employee in employees.values()
    )
