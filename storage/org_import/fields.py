"""The columns of an organisation file and how one cell's text becomes a value.

Each parser takes (raw text, column name) and returns the value or raises ValueError with the
message HR sees. Pure: no SQLAlchemy, no session.
"""

from __future__ import annotations

import re
from datetime import date, time

from rules.access import Role

REQUIRED_COLUMNS = ("employee_id", "name", "email", "aad_object_id", "leader_id", "unit")
OPTIONAL_COLUMNS = (
    "deputy_id",
    "deputy_from",
    "deputy_to",
    "unit_parent",
    "unit_contact_id",
    "unit_planner_id",
    "unit_policy",
    "unit_checkin_time",
    "unit_checkin_mode",
    "unit_target",
    "locale",
    "workdays",
    "checkin_time",
    "start_date",
    "fte",
    "role",
)
DEFAULT_WORKDAYS = "12345"
# unit_checkin_mode: True means anonymous answers.
CHECKIN_MODES = {"named": False, "navngivet": False, "anonymous": True, "anonym": True}
POLICY_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")
MAX_FTE = 1.5
# The column sizes in storage.models: SQLite would accept longer text, PostgreSQL would not.
MAX_LENGTH = {
    "employee_id": 100,
    "name": 200,
    "email": 320,
    "aad_object_id": 64,
    "unit": 100,
    "unit_parent": 100,
}

ROLES = {
    "employee": Role.EMPLOYEE,
    "medarbejder": Role.EMPLOYEE,
    "leader": Role.LEADER,
    "leder": Role.LEADER,
    "hr": Role.HR,
    "admin": Role.ADMIN,
}
WEEKDAYS = {
    **dict.fromkeys(("man", "mandag", "mon", "monday"), 1),
    **dict.fromkeys(("tir", "tirsdag", "tue", "tues", "tuesday"), 2),
    **dict.fromkeys(("ons", "onsdag", "wed", "wednesday"), 3),
    **dict.fromkeys(("tor", "tors", "torsdag", "thu", "thur", "thurs", "thursday"), 4),
    **dict.fromkeys(("fre", "fredag", "fri", "friday"), 5),
    **dict.fromkeys(("lør", "lor", "lørdag", "lordag", "sat", "saturday"), 6),
    **dict.fromkeys(("søn", "son", "søndag", "sondag", "sun", "sunday"), 7),
    **{str(day): day for day in range(1, 8)},
}

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DANISH_DATE = re.compile(r"(\d{1,2})([-.])(\d{1,2})\2(\d{4})")
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")
_FTE = re.compile(r"\d*[.,]?\d+")
_LOCALE = re.compile(r"[a-z]{2}(-[A-Z]{2})?")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def parse_date(raw: str, column: str) -> date:
    iso, danish = _ISO_DATE.fullmatch(raw), _DANISH_DATE.fullmatch(raw)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if danish:
            return date(int(danish[4]), int(danish[3]), int(danish[1]))
    except ValueError:
        pass
    raise ValueError(f"bad date '{raw}' in {column} (use YYYY-MM-DD)")


def parse_time(raw: str, column: str) -> time:
    match = _TIME.fullmatch(raw)
    try:
        if match:
            return time(int(match[1]), int(match[2]))
    except ValueError:
        pass
    raise ValueError(f"bad time '{raw}' in {column} (use HH:MM, 24-hour clock)")


def percent(raw: str) -> float | None:
    """'4,5', '4.5' or '4,5 %': a percent between 0 and 100."""
    text = raw.strip().removesuffix("%").strip().replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if 0 <= value <= 100 else None


def is_time(raw: str) -> bool:
    try:
        parse_time(raw, "")
    except ValueError:
        return False
    return True


def parse_fte(raw: str, column: str) -> float:
    if not _FTE.fullmatch(raw):
        raise ValueError(f"bad number '{raw}' in {column} (use e.g. 0.8 or 0,8)")
    fte = float(raw.replace(",", "."))
    if not 0 < fte <= MAX_FTE:
        raise ValueError(f"{column} {raw} is out of range (above 0 and at most {MAX_FTE})")
    return fte


def parse_locale(raw: str, column: str) -> str:
    language, _, region = raw.replace("_", "-").partition("-")
    locale = f"{language.lower()}-{region.upper()}" if region else language.lower()
    if not _LOCALE.fullmatch(locale):
        raise ValueError(f"bad {column} '{raw}' (use e.g. da-DK, en-GB or da)")
    return locale


def parse_role(raw: str, column: str) -> Role:
    role = ROLES.get(raw.lower())
    if role is None:
        raise ValueError(f"unknown {column} '{raw}' (use employee, leader, hr or admin)")
    return role


def _weekday(token: str) -> int | None:
    return WEEKDAYS.get(token.rstrip("."))


def parse_workdays(raw: str, column: str) -> str:
    """'man-fre', 'mon,wed,fri', 'mandag tirsdag', '12345' -> sorted ISO weekday digits."""
    bad = ValueError(f"bad {column} '{raw}' (use e.g. man-fre, man,tir,ons, mon-fri or 12345)")
    days: set[int] = set()
    for token in re.split(r"[,;/+\s]+", re.sub(r"\s*-\s*", "-", raw.lower())):
        if not token:
            continue
        if re.fullmatch(r"[1-7]{2,7}", token):
            days.update(int(digit) for digit in token)
            continue
        first_name, dash, last_name = token.partition("-")
        first, last = _weekday(first_name), _weekday(last_name if dash else first_name)
        # A range that runs backwards (fre-man) is more likely a typo than a weekend shift.
        if first is None or last is None or first > last:
            raise bad
        days.update(range(first, last + 1))
    if not days:
        raise bad
    return "".join(str(day) for day in sorted(days))
