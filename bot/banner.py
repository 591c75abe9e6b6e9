"""The start banner: what a newcomer needs after `make run` — where the bot listens, who is in
the organisation, which command opens Teams' emulator as whom, where the tab is, how to stop.

Everything shown is read from the database and from the Playground's persona folders
(manifest/playground/<persona>/.m365agentsplayground.yml), so it stays true whatever
organisation was imported.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.cli_database import with_features
from bot.settings import Settings
from bot.texts import t
from rules.access import Role
from rules.language import language_of
from scheduler.clock import SystemClock
from services.features import Features
from storage.models import Employee, Unit
from storage.store import Store

PERSONAS = Path(__file__).resolve().parents[1] / "manifest" / "playground"
# The folders the README walks through first; any other persona folder follows by name.
PERSONA_ORDER = ("employee", "leader", "english", "hr")
# The Playground's own default port (manifest/playground/README.md, `make playground`).
PLAYGROUND_URL = "http://localhost:56150"
MAX_UNITS = 12
RULE = "─" * 72


@dataclass(frozen=True)
class UnitLine:
    name: str
    depth: int
    people: int  # its own staff and its sub-units'
    leaders: tuple[str, ...]


@dataclass(frozen=True)
class Persona:
    folder: str
    name: str
    role: str
    unit: str
    leader: str | None
    locale: str | None


@dataclass(frozen=True)
class Organisation:
    people: int
    units: int
    shown: tuple[UnitLine, ...]
    personas: tuple[Persona, ...]


def mock_users(folder: Path = PERSONAS) -> dict[str, dict[str, str]]:
    """Each persona folder's current user (name, aadObjectId, email), in the README's order."""
    found = {}
    for config in folder.glob("*/.m365agentsplayground.yml"):
        user = yaml.safe_load(config.read_text(encoding="utf-8")).get("currentUser") or {}
        found[config.parent.name] = {k: str(v) for k, v in user.items()}

    def order(name: str) -> tuple[int, str]:
        return (PERSONA_ORDER.index(name) if name in PERSONA_ORDER else len(PERSONA_ORDER), name)

    return {name: found[name] for name in sorted(found, key=order)}


async def _units(store: Store, counts: Counter[str]) -> dict[str, Unit]:
    """The units people work in, and every unit above them."""
    units: dict[str, Unit] = {}
    pending = list(counts)
    while pending:
        unit_id = pending.pop()
        unit = None if unit_id in units else await store.people.unit(unit_id)
        if unit is not None:
            units[unit_id] = unit
            pending.extend([unit.parent_id] if unit.parent_id else [])
    return units


def _tree(units: dict[str, Unit], counts: Counter[str]) -> list[tuple[Unit, int, int]]:
    """(unit, depth, people in it and below) in tree order, each level by name."""
    children: dict[str | None, list[Unit]] = {}
    for unit in units.values():
        parent = unit.parent_id if unit.parent_id in units else None
        children.setdefault(parent, []).append(unit)

    def walk(parent: str | None, depth: int) -> list[tuple[Unit, int, int]]:
        rows = []
        for unit in sorted(children.get(parent, []), key=lambda u: u.name):
            below = walk(unit.id, depth + 1)
            total = counts[unit.id] + sum(n for _, d, n in below if d == depth + 1)
            rows += [(unit, depth, total), *below]
        return rows

    return walk(None, 0)


async def _persona(store: Store, folder: str, user: dict[str, str]) -> Persona | None:
    person = await store.people.find_by_identity(user.get("aadObjectId"), user.get("email"))
    if person is None:
        return None
    unit = await store.people.unit(person.unit_id)
    leader = await store.people.get(person.leader_id)
    return Persona(
        folder=folder,
        name=person.name,
        role=str(person.role),
        unit=unit.name if unit else person.unit_id,
        leader=leader.name if leader else None,
        locale=person.locale,
    )


async def read_organisation(store: Store, users: dict[str, dict[str, str]]) -> Organisation:
    staff = await store.absence_history.staff_to_evaluate()
    counts = Counter(member.unit_id for member in staff)
    units = await _units(store, counts)
    shown = []
    for unit, depth, people in _tree(units, counts)[:MAX_UNITS]:
        members: list[Employee] = await store.people.members_of(unit.id) if counts[unit.id] else []
        # Whoever a colleague in the unit reports to leads it (an HR unit's head has role hr).
        heads = {m.leader_id for m in members}
        leaders = tuple(m.name for m in members if m.id in heads)
        shown.append(UnitLine(unit.name, depth, people, leaders))
    personas = [await _persona(store, folder, user) for folder, user in users.items()]
    return Organisation(
        people=len(staff),
        units=len(units),
        shown=tuple(shown),
        personas=tuple(p for p in personas if p is not None),
    )


def base_url(settings: Settings) -> str:
    # A server bound to every interface is reached on this machine through the loopback.
    host = "127.0.0.1" if settings.host in ("", "0.0.0.0", "::") else settings.host
    return f"http://[{host}]:{settings.port}" if ":" in host else f"http://{host}:{settings.port}"


def _unit_lines(lang: str, org: Organisation) -> list[str]:
    names = [f"{'  ' * u.depth}{u.name}" for u in org.shown]
    counts = [t(lang, "demo_people", n=u.people) for u in org.shown]
    name_width, count_width = max(map(len, names)), max(map(len, counts))
    lines = []
    for unit, name, count in zip(org.shown, names, counts, strict=True):
        leaders = t(lang, "demo_unit_leader", names=", ".join(unit.leaders)) if unit.leaders else ""
        lines.append(
            f"    {name.ljust(name_width)}  {count.rjust(count_width)}  {leaders}".rstrip()
        )
    if org.units > len(org.shown):
        lines.append("    " + t(lang, "demo_more_units", n=org.units - len(org.shown)))
    return lines


def _who(lang: str, persona: Persona) -> str:
    if persona.role == Role.LEADER:
        who = t(lang, "demo_persona_leader", name=persona.name, unit=persona.unit)
    elif persona.role == Role.HR:
        who = t(lang, "demo_persona_hr", name=persona.name)
    elif persona.leader:
        who = t(
            lang,
            "demo_persona_employee",
            name=persona.name,
            unit=persona.unit,
            leader=persona.leader,
        )
    else:
        who = t(lang, "demo_persona_other", name=persona.name, unit=persona.unit)
    speaks = language_of(persona.locale, lang)
    return who if speaks == lang else f"{who}, {t(lang, f'demo_speaks_{speaks}')}"


def _persona_lines(lang: str, personas: tuple[Persona, ...]) -> list[str]:
    commands = [f"make playground PERSONA={p.folder}" for p in personas]
    width = max(map(len, commands))
    return [
        f"    {command.ljust(width)}   {_who(lang, persona)}"
        for command, persona in zip(commands, personas, strict=True)
    ]


def render(lang: str, url: str, org: Organisation) -> str:
    """The banner's text for a server at `url` (http://host:port) serving this organisation."""
    lines = [RULE, t(lang, "demo_listening", url=f"{url}/api/messages"), ""]
    if org.people:
        lines += [t(lang, "demo_organisation", people=org.people, units=org.units)]
        lines += [*_unit_lines(lang, org), ""]
    else:
        lines += [t(lang, "demo_no_people"), ""]
    if org.personas:
        lines += [t(lang, "demo_play"), *_persona_lines(lang, org.personas)]
        lines += ["    " + t(lang, "demo_play_open", url=PLAYGROUND_URL), ""]
    if org.people:
        lines += [t(lang, "demo_tab", url=f"{url}/tab/demo")]
    lines += [t(lang, "demo_stop"), RULE]
    return "\n".join(lines)


def banner(settings: Settings) -> str:
    """The banner for this server and the organisation in its database (upgraded if need be)."""
    users = mock_users()

    async def read(features: Features) -> Organisation:
        return await read_organisation(features.work.store, users)

    org = with_features(settings, SystemClock().now(), read, commit=False)
    lang = language_of(settings.default_locale)
    return render(lang, base_url(settings), org)
