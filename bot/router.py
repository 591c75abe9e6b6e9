"""Turns one message from a known employee into dialog steps and service calls.

Typed words and card buttons meet here: a button submits the same token a person could type,
so every dialog is driven by text. Dialog state is loaded and saved in the turn's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from bot import cards
from bot.checkin_cards import CheckInAnswer, CheckInLeaderAction, KudosSubmit, TeamDaySubmit
from dialogs import checkin, emergency, fit, sick
from dialogs.checkin import AnswerCheckIn, CheckInState, CheckInStep, SayToGreen
from dialogs.commands import COLOUR_OF, Intent, parse_command, rest_as_typed
from dialogs.dates import parse_time_of_day
from dialogs.emergency import EmergencyState, RequestEmergencyDay
from dialogs.fit import FitState, FitStep, ReportFit
from dialogs.flow import CANCEL_WORDS, Step, words
from dialogs.help import help_replies
from dialogs.replies import Card, Reply, Text
from dialogs.sick import ReportSick, SickState, SickStep
from rules.access import is_leader
from services import keys
from services.features import Features
from storage.absences import DialogStateRepository
from storage.models import AbsenceKind, Employee

ENGLISH_ALIASES = {
    "help",
    "sick",
    "i am sick",
    "fit",
    "i am fit",
    "going home sick",
    "emergency day",
    "register sick",
    "register fit",
    "green",
    "yellow",
    "red",
    "my team",
    "kudos",
    "team day",
    "privacy",
}
DialogState = SickState | FitState | EmergencyState | CheckInState
STATE_MODELS: dict[str, type[BaseModel]] = {
    "sick": SickState,
    "fit": FitState,
    "emergency": EmergencyState,
    "checkin": CheckInState,
}
# Steps where anything typed is the answer itself (a note, an amount), never a command.
FREE_TEXT_STEPS = {SickStep.NOTE, FitStep.AMOUNT, CheckInStep.TO_GREEN}
SUBMIT: TypeAdapter[Any] = TypeAdapter(
    Annotated[
        cards.CommandSubmit
        | cards.AnswerSubmit
        | cards.LeaderAction
        | cards.OtherTasksAnswer
        | cards.OnBehalf
        | cards.FollowUpAction
        | CheckInAnswer
        | CheckInLeaderAction
        | KudosSubmit
        | TeamDaySubmit,
        Field(discriminator="kind"),
    ]
)


@dataclass
class Outcome:
    replies: list[Reply]
    language: str | None = None  # the words themselves chose a language
    enqueued: int = 0


class Router:
    async def message(
        self,
        f: Features,
        employee: Employee,
        text: str,
        value: dict[str, Any] | None,
        now: datetime,
        turn_key: str,
    ) -> Outcome:
        states = f.work.store.dialog_states
        state = _state(await states.load(employee.id))
        intent: Intent | None = None
        rest = ""
        language = None
        if value is not None and "kind" in value:
            try:
                submit = SUBMIT.validate_python(value)
            except ValidationError:
                bad = "team_day_bad" if value.get("kind") == "team_day" else "not_understood_card"
                return Outcome([Text(bad)])
            match submit:
                case cards.CommandSubmit():
                    intent, text = submit.command, ""
                case cards.AnswerSubmit():
                    text = submit.said()
                    if state is None:
                        return Outcome([Text("nothing_pending")])
                    if submit.dialog is not None and (
                        submit.dialog != state.dialog or submit.step != state.step
                    ):
                        return Outcome([Text("old_card")])
                case cards.LeaderAction():
                    replies = await f.leader.act(
                        employee, submit.absence_id, submit.action, submit.message, turn_key
                    )
                    absence = await f.work.store.absences.get(submit.absence_id)
                    if absence is not None and submit.action == "mark_partial":
                        await self._evaluate(f, absence.employee_id)
                    return Outcome(replies, enqueued=f.work.enqueued)
                case cards.OtherTasksAnswer():
                    replies = await f.leader.answer_other_tasks(
                        employee, submit.absence_id, submit.answer, submit.typed
                    )
                    return Outcome(replies, enqueued=f.work.enqueued)
                case cards.OnBehalf():
                    replies = await f.leader.on_behalf(
                        employee, submit.what, submit.employee, turn_key
                    )
                    await self._evaluate(f, submit.employee)
                    return Outcome(replies, enqueued=f.work.enqueued)
                case cards.FollowUpAction():
                    followups = f.followups
                    replies = await followups.act_on_followup(employee, submit)
                    return Outcome(replies, enqueued=f.work.enqueued)
                case CheckInAnswer():
                    if submit.day != f.work.today:
                        return Outcome([Text("checkin_old")])
                    if await f.checkins.away_today(employee):
                        return Outcome([Text("checkin_absent")])
                    step = checkin.answer_colour(submit.colour, submit.comment or "", f.work.today)
                    return await self._finish(f, states, employee, step, now, turn_key)
                case CheckInLeaderAction():
                    replies = await f.checkins.leader_action(
                        employee, submit.checkin_id, submit.action, submit.message
                    )
                    return Outcome(replies, enqueued=f.work.enqueued)
                case KudosSubmit():
                    replies = await f.kudos.send_kudos(
                        employee, submit.recipient, submit.message, submit.tell_leader
                    )
                    return Outcome(replies, enqueued=f.work.enqueued)
                case TeamDaySubmit():
                    values = submit.model_dump(exclude={"kind"})
                    return Outcome(await f.team_day.set_team_day(employee, values))
        else:
            if not text.strip():
                return Outcome([Text("empty_message")])
            free_text = state is not None and getattr(state, "step", None) in FREE_TEXT_STEPS
            if free_text and getattr(state, "step", None) == CheckInStep.TO_GREEN:
                # The optional suggestion gives way to a bare command ("syg"), not to a sentence
                # that happens to start with one ("hjælp fra en kollega").
                free_text = parse_command(text)[1] != "" or parse_command(text)[0] is None
            if not free_text or words(text) in CANCEL_WORDS:
                intent, rest = parse_command(text)
                if intent is not None and " ".join(text.casefold().split()) in ENGLISH_ALIASES:
                    language = "en"
                if intent is None and state is None and words(text) in checkin.COLOUR_DIGITS:
                    # Outside a dialog, 1/2/3 answer the check-in (inside one they are choices).
                    intent = _COLOUR_INTENT[checkin.COLOUR_DIGITS[words(text)]]
                if intent in COLOUR_OF or intent == Intent.KUDOS:
                    rest = rest_as_typed(text)
                if intent == Intent.CHECKIN_STOP and state is not None:
                    intent, text = None, "fortryd"  # "stop" in a dialog means stop the dialog
        if intent in (Intent.HELP, Intent.STATUS) and state is not None:
            # A look at help or status mid-dialog does not throw the dialog away.
            step = await self._start(f, employee, intent)
            step = Step(state, step.replies)
        elif intent is not None:
            step = await self._start(f, employee, intent, rest)
        elif state is not None:
            step = _answer(state, text, f.work.today)
        else:
            return Outcome([Text("not_understood", {"text": text.strip()[:80]})])
        return await self._finish(f, states, employee, step, now, turn_key, language)

    async def _finish(
        self,
        f: Features,
        states: DialogStateRepository,
        employee: Employee,
        step: Step,
        now: datetime,
        turn_key: str,
        language: str | None = None,
    ) -> Outcome:
        await states.save(
            employee.id, step.state.model_dump(mode="json") if step.state else None, now
        )
        replies = list(step.replies)
        for effect in step.effects:
            replies += await self._apply(f, employee, effect, turn_key)
        if any(isinstance(e, (ReportSick, ReportFit, RequestEmergencyDay)) for e in step.effects):
            await self._evaluate(f, employee.id)
        return Outcome(replies, language, f.work.enqueued)

    async def _evaluate(self, f: Features, employee_id: str) -> None:
        """Every absence event re-evaluates that one employee's follow-ups (incremental)."""
        employee = await f.work.store.people.get(employee_id)
        if employee is not None:
            await f.followups.evaluate_employee(employee)

    async def _start(self, f: Features, employee: Employee, intent: Intent, rest: str = "") -> Step:
        match intent:
            case Intent.HELP:
                leads = is_leader(employee.role)
                return Step(None, help_replies(leader=leads))
            case Intent.SICK | Intent.GOING_HOME_SICK:
                open_now = await f.work.store.absences.open_sickness_for(employee.id, f.work.today)
                # Someone partly back may fall fully ill again: that is a new report, not a repeat.
                relapse = open_now is not None and open_now.kind == AbsenceKind.PARTLY_SICK
                if open_now is not None and not relapse:
                    return Step(
                        None,
                        [Text("already_sick", {"since": open_now.first_day}), Card("offer_fit")],
                    )
                return sick.start(f.work.today, going_home=intent == Intent.GOING_HOME_SICK)
            case Intent.FIT:
                open_now = await f.work.store.absences.open_sickness_for(employee.id, f.work.today)
                if open_now is None:
                    return Step(None, [Text("fit_nothing_open")])
                return fit.start(open_now.first_day, employee.fte)
            case Intent.EMERGENCY_DAY:
                return emergency.start()
            case Intent.STATUS:
                return Step(None, await f.absences.status(employee))
            case Intent.REGISTER_SICK:
                return Step(None, await f.leader.on_behalf_choices(employee, "sick"))
            case Intent.REGISTER_FIT:
                return Step(None, await f.leader.on_behalf_choices(employee, "fit"))
            case Intent.FOLLOWUPS:
                return Step(None, await f.followups.open_for(employee))
            case Intent.DIGEST_ON | Intent.DIGEST_OFF:
                followups = f.followups
                return Step(None, await followups.set_digest(employee, intent == Intent.DIGEST_ON))
            case Intent.FOLLOWUP_MORNING:
                followups = f.followups
                return Step(None, await followups.set_morning(employee, rest))
            case Intent.CHECKIN_GREEN | Intent.CHECKIN_YELLOW | Intent.CHECKIN_RED:
                if await f.checkins.away_today(employee):
                    return Step(None, [Text("checkin_absent")])
                return checkin.answer_colour(COLOUR_OF[intent], rest, f.work.today)
            case Intent.CHECKIN_PAUSE:
                return Step(
                    None, await f.checkins.pause(employee, checkin.pause_until(rest, f.work.today))
                )
            case Intent.CHECKIN_STOP:
                return Step(None, await f.checkins.stop(employee))
            case Intent.CHECKIN_START:
                return Step(None, await f.checkins.start(employee))
            case Intent.TEAM:
                return Step(None, await f.checkins.team(employee))
            case Intent.KUDOS:
                return Step(None, await f.kudos.kudos_choices(employee, rest))
            case Intent.TEAM_DAY:
                return Step(None, await f.team_day.team_day_card(employee))
            case Intent.PRIVACY:
                return Step(None, await f.privacy.notice(employee))
            case Intent.CHECKIN_TIME:
                return Step(
                    None, await f.checkins.set_checkin_time(employee, parse_time_of_day(rest))
                )
            case Intent.CHECKIN_DIGEST_TIME:
                return Step(
                    None, await f.checkins.set_digest_time(employee, parse_time_of_day(rest))
                )
            case Intent.RED_PING_ON | Intent.RED_PING_OFF:
                return Step(
                    None, await f.checkins.set_red_ping(employee, intent == Intent.RED_PING_ON)
                )
        raise AssertionError(intent)

    async def _apply(
        self, f: Features, employee: Employee, effect: object, turn_key: str
    ) -> list[Reply]:
        match effect:
            case AnswerCheckIn():
                return await f.checkins.answer(employee, effect)
            case SayToGreen():
                return await f.checkins.say_to_green(employee, effect)
            case ReportSick():
                key = keys.sick_report(employee.id, effect.first_day)
                return await f.absences.report_sick(employee, effect, key)
            case ReportFit():
                return await f.absences.report_fit(employee, effect)
            case RequestEmergencyDay():
                key = keys.emergency_request(employee.id, effect.day, turn_key)
                return await f.absences.request_emergency_day(employee, effect, key)
        raise AssertionError(effect)


_COLOUR_INTENT = {colour: intent for intent, colour in COLOUR_OF.items()}


def _state(raw: dict[str, Any] | None) -> DialogState | None:
    """A stored state, or None when it no longer fits the model (a deploy changed the dialog)."""
    if raw is None:
        return None
    model = STATE_MODELS.get(str(raw.get("dialog")))
    if model is None:
        return None
    try:
        return model.model_validate(raw)  # type: ignore[return-value]
    except ValidationError:
        return None


def _answer(state: DialogState, text: str, today: Any) -> Step:
    match state:
        case SickState():
            return sick.answer(state, text, today)
        case FitState():
            return fit.answer(state, text, today)
        case EmergencyState():
            return emergency.answer(state, text, today)
        case CheckInState():
            return checkin.answer(state, text, today)
    raise AssertionError(state)
