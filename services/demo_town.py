"""`naervaer demo`'s municipality: a few hundred staff in units over three levels, two years of
history, the figures refreshed and the follow-ups evaluated, so every page has something to
show on first run. Seeded: the same seed and day give the same rows.

The Playground's people (bot/demo_org.csv) keep their ids, names, e-mails, aadObjectIds and
roles; the town is built around them. The organisation goes through the ordinary import as a
generated CSV, so it is validated like any HR file. A second run finds the demo and does nothing.
"""

from __future__ import annotations

import csv
import io
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from rules.absence_kinds import AbsenceKind
from services.demo_history import HistoryMaker, Person, Row
from services.features import Features
from storage import db
from storage.demo import DemoStore

SEED = 2026
TOP = "Demo Kommune"
# Follow-ups due this recently are left open (the leaders' current work); older ones held.
CURRENT = timedelta(days=30)
COLUMNS = (
    "employee_id,name,email,aad_object_id,leader_id,unit,deputy_id,unit_parent,locale,workdays,"
    "checkin_time,start_date,fte,role,unit_planner_id,unit_checkin_mode,unit_target,unit_policy"
).split(",")


@dataclass(frozen=True)
class DemoUnit:
    name: str
    parent: str | None
    staff: int  # generated staff besides the leader (and the Playground people in it)
    sick_percent: float  # the level the unit's people vary around: care high, offices low
    slug: str
    anonymous: bool = False
    target: float | None = None
    policy: str | None = None
    planner: bool = False


# Every unit's own staff is 0 or at least five, so the Organisation page may show each figure
# (rules.anonymity: a unit minus its sub-units must not single out a small group).
UNITS = (
    DemoUnit(TOP, None, 4, 3.0, "kommune"),
    DemoUnit("Ældre og Sundhed", TOP, 4, 3.0, "aeldre"),
    DemoUnit("Børn og Unge", TOP, 4, 3.0, "boern"),
    DemoUnit("Administration", TOP, 4, 3.0, "adm"),
    DemoUnit("HR", TOP, 5, 3.0, "hr", target=3.5),
    DemoUnit("Plejecenter Solgården", "Ældre og Sundhed", 75, 7.0, "solgaarden", target=6.0),
    DemoUnit("Hjemmeplejen", "Ældre og Sundhed", 85, 6.5, "hjemmepleje", True, 6.0, planner=True),
    DemoUnit("Solsikkeskolen", "Børn og Unge", 60, 4.5, "skolen", True, 4.5, "viborg"),
    DemoUnit("Børnehuset Mælkebøtten", "Børn og Unge", 40, 6.0, "boernehuset", target=5.5),
    DemoUnit("Borgerservice", "Administration", 25, 3.5, "borgerservice", target=4.0),
    DemoUnit("Økonomi og IT", "Administration", 18, 3.0, "oekonomi", True, 3.5),
)
# Units that care for people: where the odd work injury happens.
CARE = frozenset({"Plejecenter Solgården", "Hjemmeplejen", "Børnehuset Mælkebøtten"})
FIRST_NAMES = (
    "Anne Mette Hanne Helle Susanne Lene Tina Camilla Louise Maria Karen Pia Sofie Julie Ida "
    "Emma Line Rikke Marianne Kirsten Lars Jens Peter Michael Henrik Søren Thomas Martin Anders "
    "Rasmus Jesper Mads Niels Christian Jakob Frederik Mikkel Kasper Ole Bo"
).split()
LAST_NAMES = (
    "Jensen Nielsen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen Jørgensen "
    "Petersen Madsen Kristensen Olsen Thomsen Christiansen Poulsen Johansen Møller Mortensen "
    "Østergaard Bach Lund Holm Dam Kjær Vestergaard Skov Bundgaard Lauridsen"
).split()


ASCII = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", " ": "."})


@dataclass(frozen=True)
class DemoTown:
    people: int
    absences: int
    checkins: int  # answers given, those already folded into monthly totals included
    unit_months: int
    followups_open: int
    followups_held: int
    seconds: float

    def summary(self) -> str:
        # An operator's line in English, so in English number format.
        return (
            f"demo municipality: {self.people} people, {self.absences} absence periods, "
            f"{self.checkins} check-ins in {self.seconds:.1f} s"
        )


OpenFeatures = Callable[[db.Session, datetime], Features]


async def build_demo_town(
    sessions: db.Sessions,
    open_features: OpenFeatures,
    now: datetime,
    personas_csv: str,
    seed: int = SEED,
) -> DemoTown | None:
    """Create the town in one transaction; None when the demo is there already."""
    started = time.perf_counter()
    async with sessions.begin() as session:
        store = DemoStore(session)
        if await store.exists():
            return None
        f = open_features(session, now)
        today, config = f.work.today, f.work.config
        rng = random.Random(seed)
        rows, people = town(rng, personas_csv, today)
        await store.import_org(org_csv(rows), today, config.policies)
        maker = HistoryMaker(rng, now, config.timezone, config.retention)
        for person in people:
            maker.add(person)
        history = maker.history
        mark_work_injuries(rng, history.absences, {p.id for p in people if p.unit_id in CARE})
        await store.add_absences(history.absences)
        await store.add_checkins(history.checkins)
        await store.add_checkin_months(history.months)
        unit_months = await f.figures.refresh()
        _due, created = await f.followups.evaluate_all()
        held = await store.hold_followups_before(today - CURRENT, now)
    return DemoTown(
        people=len(rows),
        absences=len(history.absences),
        checkins=len(history.checkins) + sum(sum(m.values()) for m in history.months.values()),
        unit_months=unit_months,
        followups_open=created - held,
        followups_held=held,
        seconds=time.perf_counter() - started,
    )


# --- the organisation ---------------------------------------------------------------------


def town(rng: random.Random, personas_csv: str, today: date) -> tuple[list[Row], list[Person]]:
    """The organisation file's rows and the people whose history is generated."""
    personas = {r["employee_id"]: r for r in csv.DictReader(io.StringIO(personas_csv))}
    units = {u.name: u for u in UNITS}
    leaders = _leaders(personas)
    rows: list[Row] = []
    names = _Names(rng, {r["name"] for r in personas.values()})
    for unit in UNITS:
        leader_id = leaders[unit.name]
        above = leaders[unit.parent] if unit.parent else None
        members = [r for r in personas.values() if r["unit"] == unit.name]
        if leader_id not in personas:
            members.insert(0, _generated(leader_id, names, unit, above, "leader", rng, today))
        for n in range(unit.staff):
            member_id = f"demo-{unit.slug}-{n + 1:03d}"
            members.append(_generated(member_id, names, unit, leader_id, "employee", rng, today))
        _unit_roles(unit, members, leader_id)
        for row in members:
            row["unit_parent"] = unit.parent or ""
        if above is not None:
            # A Playground unit leader answers to the head of the unit's area (Megan), which in
            # the seven-person file is the top.
            next(r for r in members if r["employee_id"] == leader_id)["leader_id"] = above
        rows += members
    people = [_person(row, units[row["unit"]], personas, rng) for row in rows]
    return rows, people


def _leaders(personas: dict[str, Row]) -> dict[str, str]:
    """Each unit's leader: a Playground person where one leads it (Lynne the top, Megan the
    plejecenter, Patti HR), else a generated one."""
    chosen: dict[str, str] = {}
    for row in personas.values():
        if row["role"] in ("leader", "hr") and row["unit"] not in chosen:
            chosen[row["unit"]] = row["employee_id"]
    return {u.name: chosen.get(u.name, f"demo-{u.slug}-leder") for u in UNITS}


def _unit_roles(unit: DemoUnit, members: list[Row], leader_id: str) -> None:
    """The unit's settings on every row, a deputy for its leader, a planner where shifts are."""
    leader = next(r for r in members if r["employee_id"] == leader_id)
    staff = [r for r in members if r["leader_id"] == leader_id and r["employee_id"] != leader_id]
    if not leader["deputy_id"] and len(staff) > 10:
        leader["deputy_id"] = staff[0]["employee_id"]
    planner = next((r["unit_planner_id"] for r in members if r["unit_planner_id"]), "")
    if unit.planner and not planner:
        planner = staff[1]["employee_id"]
    for row in members:
        row["unit_planner_id"] = planner
        row["unit_checkin_mode"] = "anonym" if unit.anonymous else "navngivet"
        row["unit_target"] = f"{unit.target}" if unit.target is not None else ""
        row["unit_policy"] = unit.policy or ""


class _Names:
    def __init__(self, rng: random.Random, taken: set[str]) -> None:
        self.rng = rng
        self.taken = set(taken)

    def new(self) -> str:
        while True:
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            name = f"{first} {last}"
            if name in self.taken:
                name = f"{first} {self.rng.choice(LAST_NAMES)} {last}"
            if name not in self.taken:
                self.taken.add(name)
                return name


def _generated(
    employee_id: str,
    names: _Names,
    unit: DemoUnit,
    leader_id: str | None,
    role: str,
    rng: random.Random,
    today: date,
) -> Row:
    name = names.new()
    fte = rng.choice(("1.0", "1.0", "1.0", "0.8", "0.8", "0.6")) if role == "employee" else "1.0"
    # A tenth were hired within the two years of history.
    years = rng.uniform(0.2, 2) if rng.random() < 0.1 else rng.uniform(2, 25)
    return {
        "employee_id": employee_id,
        "name": name,
        "email": _email(name, employee_id),
        "aad_object_id": "",
        "leader_id": leader_id or "",
        "unit": unit.name,
        "deputy_id": "",
        "locale": "da-DK",
        "workdays": "man-tor" if fte == "0.8" and rng.random() < 0.5 else "man-fre",
        "checkin_time": "",
        "start_date": (today - timedelta(days=int(years * 365))).isoformat(),
        "fte": fte,
        "role": role,
        "unit_planner_id": "",
    }


def _email(name: str, employee_id: str) -> str:
    plain = name.lower().translate(ASCII)
    return f"{plain}.{employee_id.rsplit('-', 1)[-1]}@demo-kommune.dk"


def _person(row: Row, unit: DemoUnit, personas: dict[str, Row], rng: random.Random) -> Person:
    # Most people are rarely ill; a few carry much of the sickness (mean factor about 1).
    factor = rng.lognormvariate(0, 0.6) / 1.2
    return Person(
        id=row["employee_id"],
        unit_id=unit.name,
        leader_id=row["leader_id"] or None,
        workdays="1234" if row["workdays"] == "man-tor" else "12345",
        start_date=date.fromisoformat(row["start_date"]),
        sick_percent=unit.sick_percent * factor,
        parent=rng.random() < 0.35,
        anonymous=unit.anonymous,
        answers=row["role"] == "employee",
        present_today=row["employee_id"] in personas,
    )


def org_csv(rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def mark_work_injuries(rng: random.Random, absences: list[Row], care: set[str]) -> None:
    """A couple of sick periods in the care units were injuries at work."""
    candidates = [
        a
        for a in absences
        if a["employee_id"] in care
        and a["kind"] == AbsenceKind.SICK
        and a["last_day"] is not None
        and 4 <= (a["last_day"] - a["first_day"]).days < 28
    ]
    for absence in rng.sample(candidates, min(3, len(candidates))):
        absence["work_injury"] = True
