"""What each typed command (or command button) starts: a table from intent to handler.

A handler gets the turn's features, the employee and the words after the command, and returns
a dialog step: a new dialog's first question, or replies with no dialog.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from dialogs import checkin, emergency, fit, sick
from dialogs.commands import COLOUR_OF, Intent
from dialogs.dates import parse_day, parse_time_of_day
from dialogs.flow import Step
from dialogs.help import help_replies
from dialogs.replies import Card, CardName, Reply, Text
from dialogs.sick import SickKind
from rules.access import is_leader
from services.features import Features
from storage.models import AbsenceKind, Employee

Handler = Callable[[Features, Employee, str], Awaitable[Step]]


def _replies(answer: Callable[[Features, Employee, str], Awaitable[list[Reply]]]) -> Handler:
    """A command that only answers: no dialog follows."""

    async def handler(f: Features, employee: Employee, rest: str) -> Step:
        return Step(None, await answer(f, employee, rest))

    return handler


async def _say(key: str) -> list[Reply]:
    return [Text(key)]


async def _help(f: Features, employee: Employee, _rest: str) -> Step:
    return Step(None, help_replies(leader=is_leader(employee.role), outlook=f.outlook.offered))


def _sick(
    going_home: bool = False, kind: SickKind = SickKind.FULL, first: Reply | None = None
) -> Handler:
    """The quick report (or going home sick); `first` is said before its card."""

    async def handler(f: Features, employee: Employee, rest: str) -> Step:
        open_now = await f.work.store.absences.open_sickness_for(employee.id, f.work.today)
        # Someone partly back may fall fully ill again: that is a new report, not a repeat; and
        # a period the leader registered joins the employee's own report (services.ledger).
        relapse = open_now is not None and (
            open_now.kind == AbsenceKind.PARTLY_SICK or open_now.reported_by != employee.id
        )
        if open_now is not None and not relapse:
            return Step(
                None,
                [Text("already_sick", {"since": open_now.first_day}), Card(CardName.OFFER_FIT)],
            )
        # "syg i morgen", "syg på fredag": the quick card from that day
        day = parse_day(rest, f.work.today) if rest and not going_home else None
        if day is not None and not sick.WINDOW.contains(day, f.work.today):
            day = None
        step = sick.start(f.work.today, going_home=going_home, kind=kind, first_day=day)
        return Step(step.state, [first, *step.replies]) if first else step

    return handler


async def _greeting(_f: Features, employee: Employee, _rest: str) -> Step:
    first_name = employee.name.split()[0] if employee.name else ""
    return Step(None, [Text("small_talk_greeting", {"name": first_name})])


async def _fit(f: Features, employee: Employee, _rest: str) -> Step:
    open_now = await f.work.store.absences.open_sickness_for(employee.id, f.work.today)
    if open_now is None:
        return Step(None, [Text("fit_nothing_open")])
    return fit.start(open_now.first_day, employee.fte, f.work.today)


async def _emergency(f: Features, employee: Employee, _rest: str) -> Step:
    # Only days still free in the ledger are offered; none free: what is registered instead.
    free, refusal = await f.absences.free_for_emergency(employee, emergency.days(f.work.today))
    return emergency.start(free, f.work.today) if free else Step(None, refusal)


def _colour(intent: Intent) -> Handler:
    async def handler(f: Features, employee: Employee, rest: str) -> Step:
        if await f.checkins.away_today(employee):
            return Step(None, [Text("checkin_absent")])
        return checkin.answer_colour(COLOUR_OF[intent], rest, f.work.today)

    return handler


INTENTS: dict[Intent, Handler] = {
    Intent.HELP: _help,
    Intent.SICK: _sick(),
    Intent.SICK_SAID: _sick(first=Text("sick_no_reason_needed")),
    Intent.CHILD_SICK: _sick(kind=SickKind.CHILD),
    Intent.GOING_HOME_SICK: _sick(going_home=True),
    Intent.GREETING: _greeting,
    Intent.THANKS: _replies(lambda _f, _e, _r: _say("small_talk_thanks")),
    Intent.NOTHING_TO_UNDO: _replies(lambda _f, _e, _r: _say("nothing_to_undo")),
    Intent.FIT: _fit,
    Intent.EMERGENCY_DAY: _emergency,
    Intent.STATUS: _replies(lambda f, e, _r: f.absences.status(e)),
    Intent.REGISTER_SICK: _replies(lambda f, e, _r: f.leader.on_behalf_choices(e, "sick")),
    Intent.REGISTER_FIT: _replies(lambda f, e, _r: f.leader.on_behalf_choices(e, "fit")),
    Intent.FOLLOWUPS: _replies(lambda f, e, _r: f.followups.open_for(e)),
    Intent.DIGEST_ON: _replies(lambda f, e, _r: f.followups.set_digest(e, True)),
    Intent.DIGEST_OFF: _replies(lambda f, e, _r: f.followups.set_digest(e, False)),
    Intent.FOLLOWUP_MORNING: _replies(lambda f, e, rest: f.followups.set_morning(e, rest)),
    Intent.CHECKIN_GREEN: _colour(Intent.CHECKIN_GREEN),
    Intent.CHECKIN_YELLOW: _colour(Intent.CHECKIN_YELLOW),
    Intent.CHECKIN_RED: _colour(Intent.CHECKIN_RED),
    Intent.CHECKIN_PAUSE: _replies(
        lambda f, e, rest: f.checkins.pause(e, checkin.pause_until(rest, f.work.today))
    ),
    Intent.CHECKIN_STOP: _replies(lambda f, e, _r: f.checkins.stop(e)),
    Intent.CHECKIN_START: _replies(lambda f, e, _r: f.checkins.start(e)),
    Intent.TEAM: _replies(lambda f, e, _r: f.checkins.team(e)),
    Intent.KUDOS: _replies(lambda f, e, rest: f.kudos.kudos_choices(e, rest)),
    Intent.TEAM_DAY: _replies(lambda f, e, _r: f.team_day.team_day_card(e)),
    Intent.PRIVACY: _replies(lambda f, e, _r: f.privacy.notice(e)),
    Intent.CHECKIN_TIME: _replies(
        lambda f, e, rest: f.checkins.set_checkin_time(e, parse_time_of_day(rest))
    ),
    Intent.CHECKIN_DIGEST_TIME: _replies(
        lambda f, e, rest: f.checkins.set_digest_time(e, parse_time_of_day(rest))
    ),
    Intent.RED_PING_ON: _replies(lambda f, e, _r: f.checkins.set_red_ping(e, True)),
    Intent.RED_PING_OFF: _replies(lambda f, e, _r: f.checkins.set_red_ping(e, False)),
    Intent.OUTLOOK_ON: _replies(lambda f, e, _r: f.outlook.choose(e, True)),
    Intent.OUTLOOK_OFF: _replies(lambda f, e, _r: f.outlook.choose(e, False)),
}
