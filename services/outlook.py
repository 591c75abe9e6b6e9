"""Outlook while sick (issue 19; NAERVAER_OUTLOOK_WHILE_SICK=opt-in|opt-out, and each person's
own word): colleagues and mail senders see that someone is away, never why.

For an open absence period: an all-day "Fraværende" event shown as out of office for the
expected days, and scheduled automatic replies with a neutral text ("Jeg er fraværende og
vender tilbage …"). On raskmelding the event is shortened to the last day away (removed if that
has passed) and the replies end; on withdrawal both go. The job compares what Outlook should
show with what it was last told (storage.outlook: stored before and after every call, so the
table is this feature's outbox) and makes the calls that close the gap; a failed call is
tried again on the next tick, a few times.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from rules.absence_kinds import AbsenceStatus
from rules.language import language_of
from scheduler.clock import Clock
from services.directory import AutomaticReplies, GraphRefused, Outlook
from storage import db
from storage.graph import OUTLOOK_LOCK, held
from storage.outlook import OutlookCase, OutlookRecords

log = logging.getLogger("naervaer.outlook")

MAX_TRIES = 8
# (language, key, params) -> the user text; bot/ passes its text table in.
Words = Callable[..., str]


@dataclass(frozen=True)
class Shown:
    event_until: date | None  # the event covers first_day..event_until; None: no event
    replies_until: date | None  # automatic replies through this day; None: off


def wanted(case: OutlookCase, today: date) -> Shown:
    """What Outlook should show for the period now."""
    if not case.wanted or case.status not in (AbsenceStatus.OPEN, AbsenceStatus.CLOSED):
        return Shown(None, None)
    if case.status == AbsenceStatus.CLOSED:
        last = case.last_day
        return Shown(last if last is not None and last >= today else None, None)
    if case.last_day is not None:
        until = case.last_day
    elif case.expected_return is not None:
        until = case.expected_return - timedelta(days=1)
    else:
        until = today  # no end known: one day at a time
    until = max(until, case.first_day, today)
    return Shown(until, until)


def settled(case: OutlookCase) -> bool:
    """Nothing more will change for the period once Outlook shows what it should."""
    return case.status != AbsenceStatus.OPEN or not case.wanted


class OutlookWhileSick:
    def __init__(
        self,
        sessions: db.Sessions,
        outlook: Outlook,
        clock: Clock,
        timezone: ZoneInfo,
        words: Words,
        default_on: bool,
        default_locale: str = "da-DK",
    ) -> None:
        self.sessions = sessions
        self.outlook = outlook
        self.clock = clock
        self.timezone = timezone
        self.words = words
        self.default_on = default_on
        self.default_locale = default_locale

    async def choose(self, employee_id: str, enabled: bool) -> None:
        """The person's own word ("outlook fra" / "outlook til")."""
        async with self.sessions.begin() as session:
            await OutlookRecords(session).choose(employee_id, enabled, self.clock.now())

    async def reconcile(self) -> int:
        """Bring every period's Outlook in line; returns how many were touched. One process at
        a time, so that two never create the same event."""
        async with held(self.sessions, OUTLOOK_LOCK) as mine:
            return await self._reconcile() if mine else 0

    async def _reconcile(self) -> int:
        today = self.clock.now().astimezone(self.timezone).date()
        async with self.sessions() as session:
            cases = await OutlookRecords(session).cases(self.default_on)
        touched = 0
        for case in cases:
            shown = wanted(case, today)
            in_line = (case.shown_until, case.replies_until) == (
                shown.event_until,
                shown.replies_until,
            )
            if in_line and (shown.event_until is None or case.event_id is not None):
                if settled(case):
                    await self._record(case, case.event_id, shown, True)
                continue
            touched += await self._apply(case, shown)
        async with self.sessions.begin() as session:
            await OutlookRecords(session).forget_settled()
        return touched

    async def _apply(self, case: OutlookCase, shown: Shown) -> int:
        if case.aad_object_id is None:
            await self._record(case, None, Shown(None, None), True, "no Entra object id")
            return 0
        try:
            event_id = await self._event(case, case.aad_object_id, shown.event_until)
            if shown.replies_until != case.replies_until:
                await self.outlook.set_automatic_replies(
                    case.aad_object_id, self._replies(case, shown.replies_until)
                )
        except (GraphRefused, OSError) as error:
            give_up = isinstance(error, GraphRefused) and error.status < 500
            log.warning("outlook for period %s: %s", case.absence_id, error)
            done = give_up or case.tries + 1 >= MAX_TRIES
            await self._record(case, case.event_id, self._as_was(case), done, str(error))
            return 0
        await self._record(case, event_id, shown, settled(case))
        return 1

    async def _event(self, case: OutlookCase, user: str, until: date | None) -> str | None:
        if until is None:
            if case.event_id is not None:
                await self.outlook.delete_event(user, case.event_id)
            return None
        if case.event_id is None:
            subject = self.words(self._lang(case), "graph_outlook_subject")
            key = f"naervaer-absence-{case.absence_id}"
            return await self.outlook.create_absence_event(
                user, case.first_day, until, subject, key
            )
        if until != case.shown_until:
            await self.outlook.move_event_end(user, case.event_id, case.first_day, until)
        return case.event_id

    def _replies(self, case: OutlookCase, until: date | None) -> AutomaticReplies | None:
        if until is None:
            return None
        back = case.expected_return or until + timedelta(days=1)
        lang = self._lang(case)
        message = self.words(lang, "graph_outlook_reply", back=back)
        return AutomaticReplies(case.first_day, until, message)

    def _lang(self, case: OutlookCase) -> str:
        return language_of(case.locale, self.default_locale)

    @staticmethod
    def _as_was(case: OutlookCase) -> Shown:
        return Shown(case.shown_until, case.replies_until)

    async def _record(
        self,
        case: OutlookCase,
        event_id: str | None,
        shown: Shown,
        done: bool,
        problem: str | None = None,
    ) -> None:
        async with self.sessions.begin() as session:
            await OutlookRecords(session).record(
                case,
                event_id=event_id,
                shown_until=shown.event_until if event_id else None,
                replies_until=shown.replies_until,
                done=done,
                problem=problem,
            )
