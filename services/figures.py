"""The units' sick-absence figures: the nightly refresh, the unit tree with figures rolled up
(what the Organisation page shows), and Viborg's nudge when a unit's last month swings."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from dialogs.replies import Text
from rules.access import sees_everyone
from rules.anonymity import visible_units
from rules.figures import (
    Month,
    Spell,
    Staff,
    UnitMonths,
    months_back,
    months_from,
    partial_share,
    roll_up,
    unit_months,
)
from services import keys
from services.work import Work
from storage.insight import UnitNode, UnitSums
from storage.models import AbsenceKind, Employee, UnitMonth, UnitTotal

TREND_MONTHS = 24


@dataclass
class UnitRow:
    id: str
    name: str
    depth: int
    shown: bool
    staff: int
    percent: float | None = None
    per_fte: float | None = None
    periods: list[int] = field(default_factory=lambda: [0, 0, 0])
    target: float | None = None
    swing: bool = False
    trend: list[tuple[date, float | None]] = field(default_factory=list)


@dataclass(frozen=True)
class UnitTree:
    units: dict[str, UnitNode]
    children: dict[str, list[str]]

    def roots(self) -> list[str]:
        """The units at the top: no parent, or one not in the tree."""
        return sorted(u for u in self.units if self.units[u].parent_id not in self.units)

    def roots_for(self, viewer: Employee) -> list[str]:
        """Where a viewer's Organisation page starts: HR at the top, a leader at their unit."""
        return self.roots() if sees_everyone(viewer.role) else [viewer.unit_id]

    def walk(self, roots: list[str]) -> list[tuple[str, int]]:
        """Each unit under the roots with its depth, children by name."""
        order: list[tuple[str, int]] = []

        def visit(unit_id: str, depth: int) -> None:
            order.append((unit_id, depth))
            for child in sorted(self.children.get(unit_id, []), key=lambda c: self.units[c].name):
                visit(child, depth + 1)

        for root in roots:
            visit(root, 0)
        return order


class Figures:
    def __init__(self, work: Work) -> None:
        self.work = work
        self.figures = work.store.figures
        self.tab = work.store.insight
        self.people = work.store.people
        self.notifier = work.notifier

    # --- the nightly refresh -------------------------------------------------------------

    async def refresh(self) -> int:
        """Recompute every unit's monthly figures and their sums up the tree (the nightly job;
        `naervaer figures refresh`)."""
        today = self.work.today
        months = months_back(today, TREND_MONTHS)
        window = months[0]
        staff = [
            Staff(e.id, e.unit_id, e.fte, e.workdays, e.start_date, e.left_on)
            for e in await self.figures.staff_since(window)
        ]
        fte = {s.id: s.fte for s in staff}
        spells = [
            Spell(
                p.employee_id,
                p.first_day,
                p.last_day,
                str(p.kind),
                partial_share(
                    p.partial_percent_off, p.partial_hours_off, fte.get(p.employee_id, 1.0)
                )
                if p.kind == AbsenceKind.PARTLY_SICK
                else 1.0,
            )
            for p in await self.figures.sickness_since(window)
        ]
        figures = unit_months(staff, spells, months, today, self.work.config.timezone)
        await self.figures.replace_months(
            window,
            [
                UnitMonth(
                    unit_id=unit_id,
                    month=month,
                    lost_days=m.lost,
                    planned_days=m.planned,
                    periods_short=m.periods[0],
                    periods_medium=m.periods[1],
                    periods_long=m.periods[2],
                    staff=m.staff,
                    fte=m.fte,
                    computed_at=self.work.now,
                )
                for (unit_id, month), m in figures.items()
            ],
        )
        await self._store_totals(figures, months)
        return len(figures)

    async def _store_totals(self, figures: UnitMonths, months: list[date]) -> None:
        """Each unit with the units below it added in: what the Organisation page reads."""
        tree = await self.tree()
        own: dict[str, dict[date, Month]] = {}
        for (unit_id, month), m in figures.items():
            own.setdefault(unit_id, {})[month] = m
        totals = roll_up(own, tree.children, tree.roots(), months)
        await self.figures.replace_totals(
            [
                UnitTotal(
                    unit_id=unit_id,
                    staff=total.staff,
                    fte=total.fte,
                    lost_days=total.year.lost,
                    planned_days=total.year.planned,
                    periods_short=total.year.periods[0],
                    periods_medium=total.year.periods[1],
                    periods_long=total.year.periods[2],
                    swing=total.swing,
                    first_month=months[0],
                    trend=total.trend,
                    computed_at=self.work.now,
                )
                for unit_id, total in totals.items()
            ]
        )

    async def nightly(self) -> bool:
        """Refresh the figures once a day (the first tick after midnight), then nudge on swings
        (the job runs under the figures lock)."""
        last = await self.figures.last_computed()
        tz = self.work.config.timezone
        if last is not None and last.astimezone(tz).date() >= self.work.today:
            return False
        await self.refresh()
        await self.swing_nudges()
        return True

    async def computed_at(self) -> datetime | None:
        return await self.figures.last_computed()

    # --- the unit tree -------------------------------------------------------------------

    async def tree(self) -> UnitTree:
        units = {u.id: u for u in await self.figures.units()}
        children: dict[str, list[str]] = {}
        for unit in units.values():
            if unit.parent_id in units:
                children.setdefault(unit.parent_id, []).append(unit.id)
        return UnitTree(units, children)

    async def rows(self, tree: UnitTree, roots: list[str]) -> list[UnitRow]:
        """The units under the roots with their figures rolled up (by the nightly job); units
        too small to be anonymous (or that subtraction would reveal) show no figures."""
        order = tree.walk(roots)
        totals = await self.figures.totals([u for u, _d in order])
        headcount = {u: totals[u].staff if u in totals else 0 for u, _d in order}
        shown = visible_units(headcount, {u: tree.units[u].parent_id for u, _d in order})
        rows: list[UnitRow] = []
        for unit_id, depth in order:
            unit = tree.units[unit_id]
            row = UnitRow(unit_id, unit.name, depth, unit_id in shown, headcount[unit_id])
            row.target = unit.target_percent
            if row.shown:
                _fill(row, totals[unit_id])
            rows.append(row)
        return rows

    # --- Viborg's pop-up -----------------------------------------------------------------

    async def swing_nudges(self) -> int:
        """A unit whose last month is clearly above its level tells its leader and the leader
        above, once per month."""
        tree = await self.tree()
        sent = 0
        last_month = months_back(self.work.today, 2)[0]
        for unit_id in tree.units:
            leader = await self._leader_of(unit_id)
            if leader is None:
                continue
            # As the leader sees it on the Organisation page.
            rows = [r for r in await self.rows(tree, tree.roots_for(leader)) if r.id == unit_id]
            if not rows or not rows[0].swing:
                continue
            above = await self.people.get(leader.leader_id)
            # An away leader's mail is read by the deputy standing in, as with every digest.
            readers = [await self.work.org.acting_for(p) for p in (leader, above) if p]
            for who in {r.id: r for r in readers if r is not None}.values():
                sent += await self._nudge(who, rows[0], last_month)
        return sent

    async def _nudge(self, who: Employee, row: UnitRow, last_month: date) -> int:
        subject = keys.unit_month(row.id, last_month)
        if await self.work.store.nudges.ever_sent(who.id, subject):
            return 0
        await self.work.store.nudges.record(who.id, subject, "unit_swing", self.work.today)
        percent = next((p for m, p in row.trend if m == last_month), None) or 0.0
        lang = await self.notifier.language_for(who.id)
        month_names = self.notifier.render.text(lang, "tab_month_names").split(",")
        month = f"{month_names[last_month.month - 1]} {last_month.year}"
        shown = f"{percent:.1f}".replace(".", "," if lang == "da" else ".")
        await self.notifier.send(
            who.id,
            Text("tab_swing_message", {"unit": row.name, "month": month, "percent": shown}),
            keys.unit_swing(row.id, last_month, who.id),
        )
        return 1

    async def _leader_of(self, unit_id: str) -> Employee | None:
        """The leader most of the unit's staff report to."""
        staff = await self.people.members_of(unit_id)
        counts = Counter(e.leader_id for e in staff if e.leader_id)
        if not counts:
            return None
        return await self.people.get(counts.most_common(1)[0][0])


def _fill(row: UnitRow, total: UnitSums) -> None:
    """The last twelve months' figures, the trend, and whether the last complete month swings,
    as the nightly job summed them."""
    row.percent = 100 * total.lost_days / total.planned_days if total.planned_days else None
    row.per_fte = total.lost_days / total.fte if total.fte else None
    row.periods = [total.periods_short, total.periods_medium, total.periods_long]
    row.trend = list(zip(_months(total.first_month, len(total.trend)), total.trend, strict=True))
    row.swing = total.swing


@cache
def _months(first: date, count: int) -> tuple[date, ...]:
    return tuple(months_from(first, count))  # the same for every unit of a computation
