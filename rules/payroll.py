"""Payroll code tables as data: one YAML file per payroll system in `payroll/` (a municipality
may add its own), validated by pydantic like the policies, errors naming the file and field.

A table maps each of naervaer's absence situations (rules.absence_kinds: a kind, plus a work
injury, a §56 agreement or, for an akutdag, what it is paid with) to the payroll system's code,
and lists the codes that are not absence naervaer keeps (ferie): an import skips and counts
them. A situation the table cannot name is listed under `to_fill` ("the municipality fills
it in"), never guessed: every situation is either coded or listed there, checked on load.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Self

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from rules.absence_kinds import AbsenceKind

PAYROLL_DIR = Path(__file__).resolve().parents[1] / "payroll"

PaidWith = Literal["vacation", "care_day", "time_off"]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]


class PayrollError(ValueError):
    """A code table that cannot be used; the message names the file and the field."""


@dataclass(frozen=True, order=True)
class Situation:
    """What a period is, as far as payroll's code goes."""

    kind: AbsenceKind
    work_injury: bool = False
    section_56: bool = False
    paid_with: str | None = None

    @property
    def name(self) -> str:
        parts = [str(self.kind)]
        parts += ["work_injury"] * self.work_injury + ["section_56"] * self.section_56
        return ":".join([*parts, *([self.paid_with] if self.paid_with else [])])


# Every situation a table must either code or list under `to_fill`. §56 (a refund from day 1
# for an agreed chronic condition) is optional: without its own code the ordinary one is used.
REQUIRED: tuple[Situation, ...] = (
    Situation(AbsenceKind.SICK),
    Situation(AbsenceKind.PARTLY_SICK),
    Situation(AbsenceKind.CHILD_SICK),
    Situation(AbsenceKind.SICK, work_injury=True),
    *(
        Situation(AbsenceKind.EMERGENCY_DAY, paid_with=p)
        for p in ("vacation", "care_day", "time_off")
    ),
)
REQUIRED_NAMES = frozenset(s.name for s in REQUIRED)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CodeMeaning(_Strict):
    """One payroll code: which naervaer situation it is."""

    kind: AbsenceKind
    name: str = ""  # the payroll system's own word ("SY sygdom"), for people reading the file
    work_injury: bool = False
    section_56: bool = False
    paid_with: PaidWith | None = None
    # False: handed out only. An akutdag paid with vacation goes out as ferie, but ferie read
    # from payroll is not absence naervaer keeps.
    imported: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if (self.paid_with is not None) != (self.kind == AbsenceKind.EMERGENCY_DAY):
            raise ValueError("paid_with goes with kind emergency_day, and only with it")
        if self.work_injury and self.kind not in (AbsenceKind.SICK, AbsenceKind.PARTLY_SICK):
            raise ValueError("work_injury goes with kind sick or partly_sick")
        if self.section_56 and self.kind not in (AbsenceKind.SICK, AbsenceKind.PARTLY_SICK):
            raise ValueError("section_56 goes with kind sick or partly_sick")
        return self

    @property
    def situation(self) -> Situation:
        return Situation(self.kind, self.work_injury, self.section_56, self.paid_with)


class CodeTable(_Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
    name: str
    source: str  # where the codes come from: a table is only as good as its source
    codes: dict[Code, CodeMeaning]
    skip: dict[Code, str] = Field(default_factory=dict)  # not absence here: code -> its name
    to_fill: list[str] = Field(default_factory=list)  # situations without a sourced code

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if both := set(self.codes) & set(self.skip):
            raise ValueError(f"codes {sorted(both)} are both in codes and skip")
        if unknown := set(self.to_fill) - REQUIRED_NAMES:
            raise ValueError(f"to_fill names unknown situations {sorted(unknown)}")
        coded: dict[Situation, str] = {}
        for code, meaning in self.codes.items():
            if meaning.situation in coded:
                raise ValueError(
                    f"codes {coded[meaning.situation]} and {code} both hand out "
                    f"{meaning.situation.name}"
                )
            coded[meaning.situation] = code
        names = {s.name for s in coded}
        if missing := REQUIRED_NAMES - names - set(self.to_fill):
            raise ValueError(f"no code and not in to_fill: {sorted(missing)}")
        if both := names & set(self.to_fill):
            raise ValueError(f"in to_fill but coded: {sorted(both)}")
        return self

    def code_for(self, situation: Situation) -> str | None:
        """The code a period is handed out with; §56 without its own code falls back to the
        ordinary one; None when the table leaves it to the municipality (`to_fill`)."""
        tries = [situation]
        if situation.section_56:
            tries.append(
                Situation(situation.kind, situation.work_injury, False, situation.paid_with)
            )
        for wanted in tries:
            for code, meaning in self.codes.items():
                if meaning.situation == wanted:
                    return code
        return None

    def meaning(self, code: str) -> CodeMeaning | None:
        """What an imported code is: None for a skipped or unknown code (see `skips`)."""
        meaning = self.codes.get(code.strip())
        return meaning if meaning is not None and meaning.imported else None

    def skips(self, code: str) -> bool:
        code = code.strip()
        return code in self.skip or (code in self.codes and not self.codes[code].imported)


def load_code_table(path: Path) -> CodeTable:
    shown = _shown(path)
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise PayrollError(f"{shown}: cannot be read: {error.strerror}") from error
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f"line {where.line + 1}: " if where is not None else ""
        raise PayrollError(f"{shown}: {line}{getattr(error, 'problem', None) or error}") from error
    if not isinstance(data, dict):
        raise PayrollError(f"{shown}: a code table must be a mapping with id, name and codes")
    try:
        table = CodeTable.model_validate(data)
    except ValidationError as error:
        lines = [
            f"{shown}: {'.'.join(map(str, e['loc'])) or '(top level)'}: {e['msg']}"
            for e in error.errors()
        ]
        raise PayrollError("\n".join(lines)) from error
    if table.id != path.stem:
        raise PayrollError(f"{shown}: id: {table.id!r} must be the file's name, {path.stem!r}")
    return table


def load_code_tables(*folders: Path | None) -> dict[str, CodeTable]:
    """The tables of the project's payroll/ and of a municipality's own folder (which may
    replace one of ours by using its id)."""
    tables: dict[str, CodeTable] = {}
    for folder in (PAYROLL_DIR, *folders):
        if folder is not None:
            for path in sorted(folder.glob("*.yaml")):
                table = load_code_table(path)
                tables[table.id] = table
    return tables


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(PAYROLL_DIR.parent).as_posix()
    except ValueError:
        return str(path)
