"""Steps the end-to-end tests share: a sick report typed as a person would, check-in days and
prompts, and absence history for the tab."""

from __future__ import annotations

import asyncio
from datetime import date, datetime

from sqlalchemy import func, select

from storage.models import (
    Absence,
    AbsenceKind,
    AbsenceStatus,
    CheckIn,
    CheckInStatus,
    OutboxMessage,
    OutboxStatus,
    Unit,
)
from tests.conftest import COPENHAGEN
from tests.e2e.teams import Teams, card_text

QUESTION = "Hvordan har din arbejdsdag været?"


async def report_sick(
    teams: Teams, who: str, note: str = "spring over", first: str = "i dag"
) -> None:
    await teams.say(who, "syg")
    await teams.say(who, "1")
    await teams.say(who, first)
    await teams.say(who, "ved ikke")
    await teams.say(who, note)
    await teams.say(who, "send")
    await delivered(teams)


async def delivered(teams: Teams) -> None:
    """Until the outbox has sent what can go now: the receipt comes just after the reply."""
    waiting = select(func.count()).where(
        OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING)),
        OutboxMessage.last_error.is_(None),  # parked or retried later: not now
    )
    sessions = getattr(teams.bot, "sessions", None)
    if sessions is None:  # servers in other processes (test_two_processes): nothing to ask
        return
    for _ in range(500):
        async with sessions() as session:
            if not await session.scalar(waiting):
                return
        await asyncio.sleep(0.01)


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=COPENHAGEN)


def prompts(teams: Teams, who: str) -> list[dict]:
    return [
        c
        for c in teams.cards_to(who)
        if QUESTION in card_text(c) or "How was your working day?" in card_text(c)
    ]


async def answered(bot, employee_id: str, day: date, colour: str, comment: str | None = None):
    async with bot.sessions.begin() as session:
        session.add(
            CheckIn(
                employee_id=employee_id,
                unit_id="Solgården",
                day=day,
                status=CheckInStatus.ANSWERED,
                anonymous=bool(
                    await session.scalar(
                        select(Unit.checkin_anonymous).where(Unit.id == "Solgården")
                    )
                ),
                colour=colour,
                comment=comment,
            )
        )


def closed_period(
    who: str, first: date, last: date, key: str, kind: AbsenceKind = AbsenceKind.SICK
) -> Absence:
    """A past period as the ledger holds it: a partial one at 50 %."""
    return Absence(
        employee_id=who,
        kind=kind,
        status=AbsenceStatus.CLOSED,
        first_day=first,
        last_day=last,
        partial_percent_off=50 if kind == AbsenceKind.PARTLY_SICK else None,
        reported_by=who,
        channel="chat",
        source_key=key,
        created_at=datetime(2026, 1, 1, tzinfo=COPENHAGEN),
    )


async def seed_absences(bot) -> None:
    async with bot.sessions.begin() as session:
        for n, (who, first, last, kind) in enumerate(
            [
                ("e1", date(2026, 3, 2), date(2026, 3, 4), AbsenceKind.SICK),
                ("e1", date(2026, 9, 7), date(2026, 9, 18), AbsenceKind.PARTLY_SICK),
                ("d1", date(2026, 10, 5), date(2026, 11, 13), AbsenceKind.SICK),
                ("e2", date(2026, 6, 1), date(2026, 6, 1), AbsenceKind.CHILD_SICK),
            ]
        ):
            session.add(closed_period(who, first, last, f"seed-{n}", kind))


async def periods(bot, who: str = "e1") -> list[Absence]:
    """A person's absence periods in the order they were written."""
    async with bot.sessions() as session:
        rows = await session.scalars(
            select(Absence).where(Absence.employee_id == who).order_by(Absence.id)
        )
        return list(rows)
