"""The daily follow-up run looks only at whom can change, and stores exactly what the full
evaluation would have stored, day after day (issue 17)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import select, update

from bot.app import features_opener, service_config
from bot.settings import Settings
from rules.absence_kinds import AbsenceKind, AbsenceStatus
from rules.policy import POLICY_DIR, load_policies
from storage.followup_watch import FollowUpWatchRepository, Wake
from storage.models import Absence, Employee, EmploymentStatus, FollowUpRecord, FollowUpWatch, Unit
from storage.models.followup_watch import MARKED
from tests.conftest import COPENHAGEN

# A Monday before a quarter begins: Lemvig's yearly total calls for Q4 with nothing written.
START = date(2026, 9, 21)
KINDS = (AbsenceKind.SICK, AbsenceKind.SICK, AbsenceKind.PARTLY_SICK, AbsenceKind.CHILD_SICK)
Stored = dict[str, tuple[object, ...]]


def _morning(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 6, 0, tzinfo=COPENHAGEN)


def _absence(who: str, first: date, last: date | None, rng: random.Random) -> Absence:
    expected = first + timedelta(days=rng.choice((3, 20, 70))) if rng.random() < 0.3 else None
    return Absence(
        employee_id=who,
        kind=rng.choice(KINDS),
        status=AbsenceStatus.OPEN if last is None else AbsenceStatus.CLOSED,
        first_day=first,
        last_day=last,
        expected_return=expected,
        reported_by=who,
        channel="chat",
        source_key=f"{who}-{first}",
        created_at=_morning(first),
    )


async def _organisation(sessions, rng: random.Random, people: int) -> list[str]:
    """A unit for every policy there is (u0 follows the default), people with 2 years of
    history, some still absent."""
    policies = sorted(load_policies(POLICY_DIR))
    ids = [f"p{n}" for n in range(people)]
    async with sessions.begin() as session:
        session.add(Unit(id="u0", name="Enhed 0"))
        for n, policy in enumerate(policies, start=1):
            session.add(Unit(id=f"u{n}", name=f"Enhed {n}", policy_id=policy))
        await session.flush()
        for n, who in enumerate(ids):
            session.add(
                Employee(
                    id=who,
                    name=who,
                    unit_id=f"u{n % (len(policies) + 1)}",
                    workdays="1234" if n % 7 == 0 else "12345",
                    start_date=START - timedelta(days=rng.randint(20, 3000)),
                )
            )
        await session.flush()
        for who in ids:
            day = START - timedelta(days=730)
            while True:
                day += timedelta(days=int(rng.expovariate(1 / 45)) + 2)
                last = day + timedelta(days=rng.choice((0, 1, 2, 4, 9, 16, 30, 45)))
                if day >= START:
                    break
                session.add(_absence(who, day, None if last >= START else last, rng))
                day = last
    return ids


async def _events_of_the_day(sessions, day: date, ids: list[str], rng: random.Random) -> None:
    """What a day brings: sick reports, fit reports, a late report of an old period, a move
    to another unit, someone leaving."""
    async with sessions.begin() as session:
        for who in ids:
            absences = list(
                await session.scalars(
                    select(Absence).where(Absence.employee_id == who).order_by(Absence.first_day)
                )
            )
            latest = absences[-1] if absences else None
            if latest is not None and latest.last_day is None:
                # Fit again (the last day was yesterday), sooner after a short absence.
                if rng.random() < (0.25 if len(latest.source_key) % 3 else 0.04):
                    latest.last_day = max(latest.first_day, day - timedelta(days=1))
                    latest.status = AbsenceStatus.CLOSED
            elif rng.random() < 0.06:
                session.add(_absence(who, day, None, rng))
            elif rng.random() < 0.01 and (latest is None or latest.last_day < day - timedelta(9)):
                first = day - timedelta(days=rng.randint(3, 8))
                session.add(_absence(who, first, first + timedelta(days=1), rng))
        if rng.random() < 0.1:
            mover = rng.choice(ids)
            await session.execute(
                update(Employee).where(Employee.id == mover).values(unit_id=f"u{rng.randint(0, 3)}")
            )
        if day == START + timedelta(days=20):
            await session.execute(
                update(Employee).where(Employee.id == ids[1]).values(status=EmploymentStatus.LEFT)
            )


def _row(f) -> tuple[object, ...]:  # type: ignore[no-untyped-def]
    why = f.why.model_dump(mode="json") if hasattr(f.why, "model_dump") else f.why
    return (f.employee_id, f.rule_id, f.occurrence, f.due_on, f.deadline_on, why)


async def _full_evaluation(sessions, open_features, day: date, expected: Stored) -> None:
    """What the full evaluation finds due today, employee by employee (the path before)."""
    async with sessions() as session:
        f = open_features(session, _morning(day))
        for employee in await f.work.store.absence_history.active_staff():
            for followup in await f.followups.evaluation.due_for(employee):
                expected.setdefault(followup.key, _row(followup))


async def _stored(sessions) -> Stored:
    async with sessions() as session:
        return {r.key: _row(r) for r in await session.scalars(select(FollowUpRecord))}


async def test_daily_run_stores_what_the_full_evaluation_would_over_six_weeks(sessions):
    rng = random.Random(17)
    ids = await _organisation(sessions, rng, people=36)
    open_features = features_opener(service_config(Settings()))
    expected: Stored = {}
    looked_at = []
    for offset in range(42):
        day = START + timedelta(days=offset)
        if offset:
            await _events_of_the_day(sessions, day, ids, rng)
        async with sessions() as session:
            looked_at.append(
                len(await open_features(session, _morning(day)).followups.evaluation.watch.due(day))
            )
        await _full_evaluation(sessions, open_features, day, expected)
        async with sessions.begin() as session:
            await open_features(session, _morning(day)).followups.evaluation.daily()
        stored = await _stored(sessions)
        assert stored == expected, day
    assert len(expected) > 50
    # It did look at fewer than everyone on most days (the point of it).
    assert sorted(looked_at)[len(looked_at) // 2] < len(ids) // 2


async def test_a_policy_change_evaluates_everyone_again(sessions):
    rng = random.Random(3)
    ids = await _organisation(sessions, rng, people=12)
    open_features = features_opener(service_config(Settings()))
    async with sessions.begin() as session:
        await open_features(session, _morning(START)).followups.evaluation.daily()
    async with sessions.begin() as session:
        policy = sorted(load_policies(POLICY_DIR))[-1]
        await session.execute(update(Unit).where(Unit.id == "u0").values(policy_id=policy))
    expected: Stored = {}
    await _full_evaluation(sessions, open_features, START, expected)
    async with sessions.begin() as session:
        await open_features(session, _morning(START)).followups.evaluation.daily()
    stored = await _stored(sessions)
    # Everything the new policy finds is stored at once, beside what the old one found.
    assert expected and all(stored.get(key) == row for key, row in expected.items())
    assert any(key.split(":")[1] == policy for key in stored if key.startswith(ids[0] + ":"))


async def test_writing_an_absence_marks_the_person_and_acknowledging_does_not(sessions):
    rng = random.Random(5)
    await _organisation(sessions, rng, people=2)
    later = START + timedelta(days=9)
    async with sessions.begin() as session:
        await session.execute(update(FollowUpWatch).values(wake_on=later))
    async with sessions.begin() as session:  # the leader acknowledges: nothing the engine reads
        absence = await session.scalar(select(Absence).where(Absence.employee_id == "p0"))
        assert absence is not None
        absence.acknowledged_at = _morning(START)
    async with sessions() as session:
        assert not any(w.marked for w in await FollowUpWatchRepository(session).due(later))
    async with sessions.begin() as session:  # a new estimate of the return: read by the rules
        absence = await session.scalar(select(Absence).where(Absence.employee_id == "p0"))
        assert absence is not None
        absence.expected_return = START + timedelta(days=100)
    async with sessions() as session:
        watched = {w.employee_id: w for w in await FollowUpWatchRepository(session).due(later)}
    assert watched["p0"].marked and not watched["p1"].marked


async def test_a_mark_made_while_the_run_evaluates_is_kept(sessions):
    rng = random.Random(8)
    await _organisation(sessions, rng, people=1)
    async with sessions() as session:
        before = await FollowUpWatchRepository(session).due(START)
    async with sessions.begin() as session:  # a turn writes meanwhile
        session.add(_absence("p0", START + timedelta(days=3), None, rng))
    async with sessions.begin() as session:
        await FollowUpWatchRepository(session).set_wakes(
            [Wake(w.employee_id, START + timedelta(days=5), w.marks) for w in before]
        )
    async with sessions() as session:
        row = await session.get(FollowUpWatch, "p0")
        assert row is not None and row.wake_on == MARKED
