"""The daily check-in: ask once per working day, record the answer, show leaders their team
within the anonymity rules, digest, early warnings, skulderklap and the team day colour.

Everything that reaches someone goes through the outbox in the same transaction as the row
that records it, and every job is idempotent: a check-in row per person and day, a digest day
per leader, a day-colour day per unit, and outbox keys, so ticks may repeat or run in two
processes (under an advisory lock) without a second message.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Time, and_, exists, func, literal, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.desk import DeskSettings, LeaderDesk
from bot.render import activity_json
from bot.texts import language_of
from dialogs.checkin import AnswerCheckIn, SayToGreen
from dialogs.replies import Card, Reply, Text
from rules.anonymity import may_show_aggregate, may_show_comments, visible_units
from rules.calendar import WorkCalendar
from rules.checkin import SYMBOLS
from storage.models import (
    Absence,
    AbsenceStatus,
    CheckIn,
    CheckInStatus,
    Colour,
    Employee,
    EmploymentStatus,
    Kudos,
    Nudge,
    OutboxMessage,
    ReachStatus,
    Role,
    TeamsUser,
    Unit,
)
from storage.repositories import insert_many_ignoring_duplicates

log = logging.getLogger("naervaer.checkin")

CHECKIN_LOCK = 744_221_003
# A prompt later than this after the person's time is no longer about "today's work".
LATEST_PROMPT = timedelta(hours=4)
OFFER_PAUSE_AFTER = 10
# Early warnings (named mode): in the last 7 working days, this many reds or yellow/reds.
WARN_REDS, WARN_NOT_GREEN, WARN_WINDOW = 3, 5, 7
# A team's 7-day share of yellow/red this far above its 30-day share, and at least this high.
SWING_RISE, SWING_FLOOR = 0.2, 0.4
NUDGE_QUIET = timedelta(days=7)
_Staff = aliased(Employee)


@dataclass(frozen=True)
class Person:
    id: str
    name: str


@dataclass(frozen=True)
class TeamView:
    """What a leader may see of the team's check-ins, thresholds already applied."""

    day: date
    named: list[tuple[Person, str | None, str, Counter[str]]]  # today, 7-day symbols, 30 days
    named_today: Counter[str]
    anonymous_today: Counter[str] | None  # None: fewer than 5 answered
    anonymous_7: Counter[str] | None
    anonymous_30: Counter[str] | None
    anonymous_members: int
    comments: list[tuple[int, str, date, str, str]]  # id, name, day, colour, text (named)
    anonymous_comments: list[str] | None  # None: fewer than 10 answered in 7 days
    # The leader's unit and those below it, last 7 working days; None: hidden (too few, or
    # it could be worked out by subtraction).
    units: list[tuple[str, Counter[str] | None]]


class CheckInDesk(LeaderDesk):
    def __init__(self, session: AsyncSession, now: datetime, settings: DeskSettings) -> None:
        super().__init__(session, now, settings)
        self.holidays = WorkCalendar("1234567", settings.timezone)

    @property
    def local_time(self) -> time:
        return self.now.astimezone(self.settings.timezone).time().replace(tzinfo=None)

    async def try_lock(self) -> bool:
        if self.session.get_bind().dialect.name != "postgresql":
            return True
        return bool(
            await self.session.scalar(
                text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": CHECKIN_LOCK}
            )
        )

    # --- the prompt ----------------------------------------------------------------------

    async def prompt_due(self) -> int:
        """Ask everyone whose check-in time has come today and who has not been asked."""
        today = self.today
        if self.holidays.is_public_holiday(today):
            return 0
        default = literal(self.settings.checkin_time, Time())
        at = func.coalesce(Employee.checkin_time, Unit.checkin_time, default)
        asked = exists().where(CheckIn.employee_id == Employee.id, CheckIn.day == today)
        reachable = exists().where(
            TeamsUser.employee_id == Employee.id, TeamsUser.status == ReachStatus.ACTIVE
        )
        rows = (
            await self.session.execute(
                select(
                    Employee.id,
                    Employee.unit_id,
                    Employee.leader_id,
                    Employee.locale,
                    Employee.checkin_unanswered,
                    Employee.checkin_pause_offered_on,
                    Unit.checkin_anonymous,
                    at,
                )
                .join(Unit, Unit.id == Employee.unit_id)
                .where(
                    Employee.status == EmploymentStatus.ACTIVE,
                    Employee.checkin_stopped.is_(False),
                    or_(
                        Employee.checkin_paused_until.is_(None),
                        Employee.checkin_paused_until < today,
                    ),
                    Employee.workdays.contains(str(today.isoweekday())),
                    at <= literal(self.local_time, Time()),
                    ~asked,
                    reachable,
                )
            )
        ).all()
        if not rows:
            return 0
        away = await self._away_today([r.id for r in rows])
        leaders = dict(
            (
                await self.session.execute(
                    select(Employee.id, Employee.name).where(
                        Employee.id.in_({r.leader_id for r in rows if r.leader_id})
                    )
                )
            ).all()
        )
        languages = await self._languages([r.id for r in rows])
        checkins: list[dict[str, Any]] = []
        outbox: list[dict[str, Any]] = []
        offered: list[str] = []
        payloads: dict[tuple[str, bool, str], dict[str, Any]] = {}
        for row in rows:
            late = datetime.combine(today, row[-1]) + LATEST_PROMPT < datetime.combine(
                today, self.local_time
            )
            skip = row.id in away or late
            checkins.append(
                {
                    "employee_id": row.id,
                    "unit_id": row.unit_id,
                    "day": today,
                    "status": CheckInStatus.SKIPPED if skip else CheckInStatus.PROMPTED,
                    "anonymous": row.checkin_anonymous,
                    "prompted_at": None if skip else self.now,
                }
            )
            if skip:
                continue
            lang = languages[row.id]
            if row.checkin_unanswered >= OFFER_PAUSE_AFTER and row.checkin_pause_offered_on is None:
                offered.append(row.id)
                reply: Reply = Card("checkin_offer_pause")
                payload = activity_json(reply, lang)
            else:
                leader = leaders.get(row.leader_id, "")
                cache = (lang, row.checkin_anonymous, leader)
                if cache not in payloads:
                    payloads[cache] = activity_json(
                        Card("checkin", self._card_params(today, row.checkin_anonymous, leader)),
                        lang,
                    )
                payload = payloads[cache]
            outbox.append(self._outbox_row(row.id, checkin_key(row.id, today), payload))
        await insert_many_ignoring_duplicates(self.session, CheckIn, checkins)
        await insert_many_ignoring_duplicates(self.session, OutboxMessage, outbox)
        prompted = [c["employee_id"] for c in checkins if c["status"] == CheckInStatus.PROMPTED]
        await self._count_unanswered(prompted, offered)
        self.enqueued += len(outbox)
        return len(outbox)

    def _card_params(
        self, day: date, anonymous: bool, leader: str, answer: CheckIn | None = None
    ) -> dict[str, Any]:
        return {
            "day": day,
            "anonymous": anonymous,
            "leader": leader,
            "colour": str(answer.colour) if answer and answer.colour else None,
            "comment": answer.comment if answer else None,
            "to_green": answer.to_green if answer else None,
        }

    def _outbox_row(
        self, recipient: str, key: str, payload: dict[str, Any], replaces: str | None = None
    ) -> dict[str, Any]:
        return {
            "idempotency_key": key,
            "recipient_id": recipient,
            "payload": payload,
            "replaces_key": replaces,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": self.now,
            "created_at": self.now,
        }

    async def _count_unanswered(self, prompted: list[str], offered: list[str]) -> None:
        for start in range(0, len(prompted), 1000):
            await self.session.execute(
                update(Employee)
                .where(Employee.id.in_(prompted[start : start + 1000]))
                .values(checkin_unanswered=Employee.checkin_unanswered + 1)
            )
        if offered:
            await self.session.execute(
                update(Employee)
                .where(Employee.id.in_(offered))
                .values(checkin_pause_offered_on=self.today)
            )

    async def _away_today(self, ids: list[str]) -> set[str]:
        """Anyone with an absence or akutdag covering today: never asked how work was."""
        today = self.today
        away: set[str] = set()
        for start in range(0, len(ids), 1000):
            away |= set(
                await self.session.scalars(
                    select(Absence.employee_id).where(
                        Absence.employee_id.in_(ids[start : start + 1000]),
                        Absence.status.in_(
                            (AbsenceStatus.OPEN, AbsenceStatus.CLOSED, AbsenceStatus.REQUESTED)
                        ),
                        Absence.first_day <= today,
                        or_(Absence.last_day.is_(None), Absence.last_day >= today),
                    )
                )
            )
        return away

    async def _languages(self, ids: list[str]) -> dict[str, str]:
        """The language of each person, in bulk (the org file's locale, else Teams')."""
        found: dict[str, str | None] = {}
        for start in range(0, len(ids), 1000):
            part = ids[start : start + 1000]
            rows = await self.session.execute(
                select(Employee.id, Employee.locale, TeamsUser.locale)
                .outerjoin(TeamsUser, TeamsUser.employee_id == Employee.id)
                .where(Employee.id.in_(part))
            )
            for employee_id, own, teams in rows.all():
                found[employee_id] = found.get(employee_id) or own or teams
        return {i: language_of(found.get(i), self.settings.default_locale) for i in ids}

    # --- answers -------------------------------------------------------------------------

    async def answer(self, employee: Employee, effect: AnswerCheckIn) -> list[Reply]:
        today = self.today
        row = await self._today_row(employee)
        first_answer = row.colour is None
        old_colour = row.colour
        row.colour = Colour(effect.colour)
        if effect.comment is not None:
            row.comment = effect.comment
        if row.colour == Colour.GREEN:
            row.to_green = None
        row.status = CheckInStatus.ANSWERED
        row.answered_at = self.now
        employee.checkin_unanswered = 0
        employee.checkin_pause_offered_on = None
        await self.session.flush()
        await self.refresh_card(employee, row)
        if row.colour == Colour.RED and old_colour != Colour.RED:
            await self._red_ping(employee, row)
        replies: list[Reply] = []
        if row.colour == Colour.GREEN:
            replies.append(Text("checkin_thanks_green" if first_answer else "checkin_changed"))
        else:
            leader = await self.people.get(employee.leader_id)
            replies.append(
                Card(
                    "checkin_to_green",
                    {
                        "day": today,
                        "anonymous": row.anonymous,
                        "leader": leader.name if leader else "",
                    },
                )
            )
        return replies

    async def away_today(self, employee: Employee) -> bool:
        return bool(await self._away_today([employee.id]))

    async def say_to_green(self, employee: Employee, effect: SayToGreen) -> list[Reply]:
        row = await self.session.scalar(
            select(CheckIn).where(CheckIn.employee_id == employee.id, CheckIn.day == effect.day)
        )
        if row is None or row.colour in (None, Colour.GREEN):
            return [Text("checkin_old")]
        row.to_green = effect.text.strip() or None
        await self.session.flush()
        await self.refresh_card(employee, row)
        return []

    async def _today_row(self, employee: Employee) -> CheckIn:
        row = await self.session.scalar(
            select(CheckIn).where(CheckIn.employee_id == employee.id, CheckIn.day == self.today)
        )
        if row is None:
            # Answered before being asked (or on an extra day): the answer is the check-in.
            unit = await self.people.unit(employee.unit_id)
            row = CheckIn(
                employee_id=employee.id,
                unit_id=employee.unit_id,
                day=self.today,
                status=CheckInStatus.ANSWERED,
                anonymous=bool(unit and unit.checkin_anonymous),
            )
            self.session.add(row)
        return row

    async def refresh_card(self, employee: Employee, row: CheckIn) -> None:
        """The prompt card shows the answer, in place; a text answer updates it too."""
        if row.prompted_at is None:
            return
        leader = await self.people.get(employee.leader_id)
        params = self._card_params(row.day, row.anonymous, leader.name if leader else "", row)
        prefix = f"{checkin_key(employee.id, row.day)}:v"
        await self._send(
            employee.id,
            Card("checkin", params),
            f"{prefix}{await self.outbox.next_version(prefix)}",
            replaces_key=checkin_key(employee.id, row.day),
        )

    async def _red_ping(self, employee: Employee, row: CheckIn) -> None:
        if row.anonymous or employee.leader_id is None:
            return
        leader = await self.people.get(employee.leader_id)
        if leader is None or not leader.checkin_red_ping:
            return
        await self._send(
            leader.id,
            Text("checkin_red_ping", {"name": employee.name, "comment": row.comment or "—"}),
            f"checkin-red:{row.id}",
        )

    # --- the person's own choices ----------------------------------------------------------

    async def pause(self, employee: Employee, until: date | None) -> list[Reply]:
        if until is None:
            return [Text("checkin_pause_bad")]
        employee.checkin_paused_until = until
        employee.checkin_unanswered = 0
        return [Text("checkin_paused", {"until": until})]

    async def set_checkin_time(self, employee: Employee, at: time | None) -> list[Reply]:
        if at is None:
            return [Text("followup_morning_bad")]
        employee.checkin_time = at
        return [Text("checkin_time_set", {"time": at.strftime("%H:%M")})]

    async def stop(self, employee: Employee) -> list[Reply]:
        employee.checkin_stopped = True
        return [Text("checkin_stopped")]

    async def start(self, employee: Employee) -> list[Reply]:
        employee.checkin_stopped = False
        employee.checkin_paused_until = None
        employee.checkin_unanswered = 0
        employee.checkin_pause_offered_on = None
        return [Text("checkin_started")]

    # --- the leader ----------------------------------------------------------------------

    async def team(self, leader: Employee) -> list[Reply]:
        if leader.role not in (Role.LEADER, Role.HR, Role.ADMIN):
            return [Text("leaders_only")]
        staff = await self.people.staff_of(leader.id)
        if not staff:
            return [Text("team_empty")]
        return [Card("team", {"view": await self.team_view(leader, staff)})]

    async def team_view(self, leader: Employee, staff: list[Employee]) -> TeamView:
        calendar = self.calendar(leader)
        days_7 = self._last_working_days(calendar, WARN_WINDOW)
        days_30 = self._last_working_days(calendar, 30)
        rows = list(
            await self.session.scalars(
                select(CheckIn)
                .where(
                    CheckIn.employee_id.in_([p.id for p in staff]),
                    CheckIn.day >= days_30[0],
                    CheckIn.status == CheckInStatus.ANSWERED,
                )
                .order_by(CheckIn.day)
            )
        )
        names = {p.id: p.name for p in staff}
        named_rows = [r for r in rows if not r.anonymous]
        anonymous_rows = [r for r in rows if r.anonymous]
        named = []
        for person in staff:
            mine = {r.day: str(r.colour) for r in named_rows if r.employee_id == person.id}
            if not mine and await self._is_anonymous(person):
                continue
            week = "".join(SYMBOLS[mine.get(d)] for d in days_7)
            named.append(
                (Person(person.id, person.name), mine.get(self.today), week, Counter(mine.values()))
            )
        comments = [
            (r.id, names[r.employee_id], r.day, str(r.colour), _comment_text(r))
            for r in reversed(named_rows)
            if r.day >= days_7[0] and (r.comment or r.to_green) and r.acknowledged_at is None
        ][:10]
        anonymous_members = sum([await self._is_anonymous(p) for p in staff])

        def window(days: list[date]) -> tuple[Counter[str] | None, set[str]]:
            chosen = [r for r in anonymous_rows if r.day >= days[0]]
            people = {r.employee_id for r in chosen}
            if not may_show_aggregate(len(people)):
                return None, people
            return Counter(str(r.colour) for r in chosen), people

        today_counts, _ = window([self.today])
        week_counts, week_people = window(days_7)
        month_counts, _ = window(days_30)
        anonymous_comments = None
        if may_show_comments(len(week_people)):
            anonymous_comments = sorted(
                _comment_text(r)
                for r in anonymous_rows
                if r.day >= days_7[0] and (r.comment or r.to_green)
            )
        return TeamView(
            day=self.today,
            named=named,
            named_today=Counter(t for _p, t, _w, _m in named if t),
            anonymous_today=today_counts,
            anonymous_7=week_counts,
            anonymous_30=month_counts,
            anonymous_members=anonymous_members,
            comments=comments,
            anonymous_comments=anonymous_comments,
            units=await self._units_below(leader, days_7[0]),
        )

    async def _units_below(
        self, leader: Employee, since: date
    ) -> list[tuple[str, Counter[str] | None]]:
        """Totals per unit in the leader's part of the tree, with the subtraction rule."""
        units = {u.id: u for u in await self.session.scalars(select(Unit))}
        below: dict[str, list[str]] = {}
        for unit in units.values():
            if unit.parent_id is not None:
                below.setdefault(unit.parent_id, []).append(unit.id)
        tree = [leader.unit_id]
        for unit_id in tree:
            tree += sorted(below.get(unit_id, []))
        if len(tree) < 2:
            return []
        answers = (
            await self.session.execute(
                select(CheckIn.unit_id, CheckIn.employee_id, CheckIn.colour).where(
                    CheckIn.unit_id.in_(tree),
                    CheckIn.day >= since,
                    CheckIn.status == CheckInStatus.ANSWERED,
                )
            )
        ).all()
        people: dict[str, set[str]] = {u: set() for u in tree}
        colours: dict[str, Counter[str]] = {u: Counter() for u in tree}
        for unit_id, employee_id, colour in answers:
            at: str | None = unit_id
            while at is not None and at in people:  # counts roll up to every unit above
                people[at].add(employee_id)
                colours[at][str(colour)] += 1
                at = units[at].parent_id if at != leader.unit_id else None
        parents = {u: (units[u].parent_id if u != leader.unit_id else None) for u in tree}
        shown = visible_units({u: len(people[u]) for u in tree}, parents)
        return [(units[u].name, colours[u] if u in shown else None) for u in tree]

    async def _is_anonymous(self, person: Employee) -> bool:
        unit = await self.people.unit(person.unit_id)
        return bool(unit and unit.checkin_anonymous)

    def _last_working_days(self, calendar: WorkCalendar, n: int) -> list[date]:
        """The last n working days up to today, oldest first."""
        days: list[date] = []
        day = self.today
        while len(days) < n and (self.today - day).days < 3 * n + 14:
            if calendar.is_working_day(day):
                days.append(day)
            day -= timedelta(days=1)
        return list(reversed(days)) or [self.today]

    async def leader_action(
        self, leader: Employee, checkin_id: int, action: str, message: str | None
    ) -> list[Reply]:
        row = await self.session.get(CheckIn, checkin_id)
        employee = await self.people.get(row.employee_id) if row else None
        if row is None or employee is None or row.anonymous or employee.leader_id != leader.id:
            log.warning("refused check-in action=%s id=%s actor=%s", action, checkin_id, leader.id)
            return [Text("not_allowed")]
        if action == "reply":
            said = (message or "").strip()
            if not said:
                return [Text("checkin_reply_empty")]
            row.reply, row.replied_at = said[:1000], self.now
            prefix = f"checkin-reply:{row.id}:"
            key = f"{prefix}{await self.outbox.next_version(prefix)}"
            await self._send(
                employee.id,
                Text("checkin_reply", {"name": leader.name, "day": row.day, "message": said}),
                key,
            )
            done = "checkin_reply_sent"
        else:
            if row.acknowledged_at is not None:
                return [Text("already_done")]
            await self._send(
                employee.id,
                Text("checkin_seen", {"name": leader.name, "day": row.day}),
                f"checkin-seen:{row.id}",
            )
            done = "checkin_ack_done"
        if row.acknowledged_at is None:
            row.acknowledged_at, row.acknowledged_by = self.now, leader.id
        return [Text(done, {"name": employee.name})]

    async def set_digest_time(self, leader: Employee, at: time | None) -> list[Reply]:
        if leader.role not in (Role.LEADER, Role.HR, Role.ADMIN):
            return [Text("leaders_only")]
        if at is None:
            return [Text("followup_morning_bad")]
        leader.checkin_digest_time = at
        return [Text("checkin_digest_time_set", {"time": at.strftime("%H:%M")})]

    async def set_red_ping(self, leader: Employee, on: bool) -> list[Reply]:
        if leader.role not in (Role.LEADER, Role.HR, Role.ADMIN):
            return [Text("leaders_only")]
        leader.checkin_red_ping = on
        return [Text("checkin_red_ping_on" if on else "checkin_red_ping_off")]

    async def digests_due(self) -> int:
        """Each leader's day in one message at their time, with early warnings; none when
        nobody answered."""
        today = self.today
        at = func.coalesce(
            Employee.checkin_digest_time, literal(self.settings.checkin_digest_time, Time())
        )
        has_staff = exists().where(
            and_(
                _Staff.leader_id == Employee.id,
                _Staff.status == EmploymentStatus.ACTIVE,
            )
        )
        leaders = list(
            await self.session.scalars(
                select(Employee).where(
                    Employee.status == EmploymentStatus.ACTIVE,
                    or_(Employee.checkin_digest_on.is_(None), Employee.checkin_digest_on < today),
                    at <= literal(self.local_time, Time()),
                    has_staff,
                )
            )
        )
        sent = 0
        for leader in leaders:
            leader.checkin_digest_on = today
            if not self.calendar(leader).is_working_day(today):
                continue
            staff = await self.people.staff_of(leader.id)
            view = await self.team_view(leader, staff)
            answered = sum(view.named_today.values()) + sum((view.anonymous_today or {}).values())
            if answered:
                await self._send(
                    leader.id,
                    Card("checkin_digest", {"view": view}),
                    f"checkin-digest:{leader.id}:{today}",
                )
                sent += 1
            sent += await self._warnings(leader, staff)
        return sent

    async def _warnings(self, leader: Employee, staff: list[Employee]) -> int:
        """A nudge, never a verdict: a person's run of hard days (named mode), a team's swing."""
        calendar = self.calendar(leader)
        days_7 = self._last_working_days(calendar, WARN_WINDOW)
        days_30 = self._last_working_days(calendar, 30)
        rows = list(
            await self.session.scalars(
                select(CheckIn).where(
                    CheckIn.employee_id.in_([p.id for p in staff]),
                    CheckIn.day >= days_30[0],
                    CheckIn.status == CheckInStatus.ANSWERED,
                )
            )
        )
        sent = 0
        for person in staff:
            week = [
                r.colour
                for r in rows
                if r.employee_id == person.id and not r.anonymous and r.day >= days_7[0]
            ]
            reds = week.count(Colour.RED)
            hard = reds + week.count(Colour.YELLOW)
            if (reds >= WARN_REDS or hard >= WARN_NOT_GREEN) and await self._nudge(
                leader, person.id, "person"
            ):
                await self._send(
                    leader.id,
                    Text("checkin_warn_person", {"name": person.name, "reds": reds, "hard": hard}),
                    f"checkin-warn:{leader.id}:{person.id}:{self.today}",
                )
                sent += 1
        week_rows = [r for r in rows if r.day >= days_7[0]]
        if may_show_aggregate(len({r.employee_id for r in week_rows})):
            share_7 = _hard_share(week_rows)
            share_30 = _hard_share(rows)
            if (
                share_7 >= SWING_FLOOR
                and share_7 - share_30 >= SWING_RISE
                and await self._nudge(leader, f"team:{leader.id}", "team")
            ):
                await self._send(
                    leader.id,
                    Text(
                        "checkin_warn_team",
                        {"week": round(share_7 * 100), "month": round(share_30 * 100)},
                    ),
                    f"checkin-warn:{leader.id}:team:{self.today}",
                )
                sent += 1
        return sent

    async def _nudge(self, leader: Employee, subject: str, kind: str) -> bool:
        """True (and remembered) unless the same nudge went out in the last week."""
        recent = await self.session.scalar(
            select(Nudge.id).where(
                Nudge.leader_id == leader.id,
                Nudge.subject_id == subject,
                Nudge.kind == kind,
                Nudge.sent_on > self.today - NUDGE_QUIET,
            )
        )
        if recent is not None:
            return False
        self.session.add(
            Nudge(leader_id=leader.id, subject_id=subject, kind=kind, sent_on=self.today)
        )
        return True

    # --- skulderklap ---------------------------------------------------------------------

    async def kudos_choices(self, sender: Employee, rest: str) -> list[Reply]:
        colleagues = await self._colleagues(sender)
        if not colleagues:
            return [Text("kudos_nobody")]
        if rest.strip():
            first, _, message = rest.strip().partition(" ")
            matches = [c for c in colleagues if c.name.casefold().split()[0] == first.casefold()]
            if len(matches) == 1 and message.strip():
                return await self.send_kudos(sender, matches[0].id, message, tell_leader=False)
        return [Card("kudos", {"colleagues": [(c.id, c.name) for c in colleagues]})]

    async def _colleagues(self, sender: Employee) -> list[Employee]:
        rows = await self.session.scalars(
            select(Employee)
            .where(
                Employee.unit_id == sender.unit_id,
                Employee.status == EmploymentStatus.ACTIVE,
                Employee.id != sender.id,
            )
            .order_by(Employee.name)
        )
        return list(rows)

    async def send_kudos(
        self, sender: Employee, recipient_id: str, message: str, tell_leader: bool
    ) -> list[Reply]:
        recipient = await self.people.get(recipient_id)
        said = message.strip()[:500]
        if (
            recipient is None
            or recipient.id == sender.id
            or recipient.status != EmploymentStatus.ACTIVE
        ):
            return [Text("kudos_unknown")]
        if not said:
            return [Text("kudos_empty")]
        kudos = Kudos(
            sender_id=sender.id,
            recipient_id=recipient.id,
            text=said,
            tell_leader=tell_leader,
            created_at=self.now,
        )
        self.session.add(kudos)
        await self.session.flush()
        await self._send(
            recipient.id,
            Text("kudos_received", {"name": sender.name, "message": said}),
            f"kudos:{kudos.id}",
        )
        if tell_leader and recipient.leader_id and recipient.leader_id != sender.id:
            await self._send(
                recipient.leader_id,
                Text(
                    "kudos_to_leader",
                    {"sender": sender.name, "name": recipient.name, "message": said},
                ),
                f"kudos:{kudos.id}:leader",
            )
        return [Text("kudos_sent", {"name": recipient.name})]

    # --- team day colour (Varde) -----------------------------------------------------------

    async def team_day_card(self, leader: Employee) -> list[Reply]:
        if leader.role not in (Role.LEADER, Role.HR, Role.ADMIN):
            return [Text("leaders_only")]
        unit = await self.people.unit(leader.unit_id)
        assert unit is not None
        return [Card("team_day", {"unit": unit.id, "settings": _team_day_settings(unit)})]

    async def set_team_day(self, leader: Employee, values: dict[str, Any]) -> list[Reply]:
        unit = await self.people.unit(leader.unit_id)
        if unit is None or leader.role not in (Role.LEADER, Role.ADMIN):
            return [Text("leaders_only")]
        for name, value in values.items():
            setattr(unit, name, value)
        return [Text("team_day_saved", {"unit": unit.name})]

    async def team_day_due(self) -> int:
        """Each working morning, present members of a unit with thresholds hear the day's colour."""
        if self.local_time < self.settings.team_day_time:
            return 0
        today = self.today
        units = list(
            await self.session.scalars(
                select(Unit).where(
                    or_(Unit.day_yellow_absent.is_not(None), Unit.day_red_percent.is_not(None)),
                    or_(Unit.day_colour_on.is_(None), Unit.day_colour_on < today),
                )
            )
        )
        sent = 0
        for unit in units:
            unit.day_colour_on = today
            members = list(
                await self.session.scalars(
                    select(Employee)
                    .where(Employee.unit_id == unit.id, Employee.status == EmploymentStatus.ACTIVE)
                    .order_by(Employee.name)
                )
            )
            working = [m for m in members if self.calendar(m).is_working_day(today)]
            if not working:
                continue
            away = await self._away_today([m.id for m in working])
            colour = day_colour(unit, len(away), len(working))
            if colour == "green":
                continue
            names = ", ".join(m.name for m in working if m.id in away) if unit.day_names else ""
            drops = (unit.day_red_drops if colour == "red" else unit.day_yellow_drops) or ""
            for member in working:
                if member.id in away:
                    continue
                await self._send(
                    member.id,
                    Text(
                        f"team_day_{colour}_named" if names else f"team_day_{colour}",
                        {
                            "drops": drops or "—",
                            "away": len(away),
                            "of": len(working),
                            "names": names,
                        },
                    ),
                    f"team-day:{unit.id}:{today}:{member.id}",
                )
                sent += 1
        return sent


def day_colour(unit: Unit, away: int, working: int) -> str:
    """Varde's staffing rule: red from a share absent, yellow from a number absent."""
    if (
        unit.day_red_percent is not None
        and working
        and away * 100 >= unit.day_red_percent * working
    ):
        return "red"
    if unit.day_yellow_absent is not None and away >= unit.day_yellow_absent:
        return "yellow"
    return "green"


def checkin_key(employee_id: str, day: date) -> str:
    return f"checkin:{employee_id}:{day.isoformat()}"


def _comment_text(row: CheckIn) -> str:
    return " · ".join(x for x in (row.comment, row.to_green and f"→ {row.to_green}") if x)


def _hard_share(rows: list[CheckIn]) -> float:
    if not rows:
        return 0.0
    return sum(r.colour in (Colour.YELLOW, Colour.RED) for r in rows) / len(rows)


def _team_day_settings(unit: Unit) -> dict[str, Any]:
    return {
        "day_yellow_absent": unit.day_yellow_absent,
        "day_red_percent": unit.day_red_percent,
        "day_yellow_drops": unit.day_yellow_drops,
        "day_red_drops": unit.day_red_drops,
        "day_names": unit.day_names,
    }
