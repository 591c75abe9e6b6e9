"""Turns one message from a known employee into dialog steps and service calls.

Typed words and card buttons meet here: a button submits the same token a person could type,
so every dialog is driven by text. Dialog state is loaded and saved in the turn's transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Union

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from bot import cards
from bot.cards.checkin import CheckInAnswer, CheckInLeaderAction, KudosSubmit, TeamDaySubmit
from bot.cards.quick import SickQuickSubmit
from bot.cards.submits import AbsenceChange
from bot.intents import INTENTS
from dialogs import checkin, emergency, fit, sick
from dialogs.checkin import AnswerCheckIn, CheckInState, CheckInStep, SayToGreen
from dialogs.commands import COLOUR_OF, Intent, language_chosen, parse_command, rest_as_typed
from dialogs.emergency import EmergencyState, RequestEmergencyDay
from dialogs.fit import FitState, FitStep, ReportFit
from dialogs.flow import CANCEL_WORDS, Step, words
from dialogs.replies import Reply, Text
from dialogs.sick import ReportSick, SickState, SickStep
from dialogs.understood import understood
from services import keys
from services.features import Features
from storage.models import Employee

DialogState = SickState | FitState | EmergencyState | CheckInState
STATE_MODELS: dict[str, type[BaseModel]] = {
    "sick": SickState,
    "fit": FitState,
    "emergency": EmergencyState,
    "checkin": CheckInState,
}
# Steps where anything typed is the answer itself (a note, an amount), never a command.
FREE_TEXT_STEPS = {SickStep.NOTE, FitStep.AMOUNT, CheckInStep.TO_GREEN}
KEEP_DIALOG = {Intent.HELP, Intent.STATUS, Intent.OUTLOOK_ON, Intent.OUTLOOK_OFF}


@dataclass
class Outcome:
    replies: list[Reply]
    language: str | None = None  # the words themselves chose a language
    enqueued: int = 0


@dataclass(frozen=True)
class Said:
    """One message from a known employee, with what the turn knows around it."""

    f: Features
    employee: Employee
    state: DialogState | None
    now: datetime
    turn_key: str


SubmitHandler = Callable[["Router", Said, Any], Awaitable[Outcome]]


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
        state = _state(await f.work.store.dialog_states.load(employee.id))
        said = Said(f, employee, state, now, turn_key)
        if value is not None and "kind" in value:
            try:
                submit = SUBMIT.validate_python(value)
            except ValidationError:
                bad = "team_day_bad" if value.get("kind") == "team_day" else "not_understood_card"
                return Outcome([Text(bad)])
            return await SUBMITS[type(submit)](self, said, submit)
        if not text.strip():
            return Outcome([Text("empty_message")])
        intent, rest, text = _read(text, state)
        language = language_chosen(text) if intent is not None else None
        return await self.route(said, intent, rest, text, language)

    async def route(
        self, said: Said, intent: Intent | None, rest: str, text: str, language: str | None = None
    ) -> Outcome:
        f, employee, state = said.f, said.employee, said.state
        if intent in KEEP_DIALOG and state is not None:
            # A look at help or status (or an Outlook choice) mid-dialog keeps the dialog.
            step = Step(state, (await INTENTS[intent](f, employee, "")).replies)
        elif intent is not None:
            step = await INTENTS[intent](f, employee, rest)
        elif state is not None:
            step = _answer(state, text, f.work.today)
        elif (free := understood(text)) is not None:  # "jeg har feber", "godmorgen", "tak"
            step = await INTENTS[free.intent](f, employee, "")
            language = language or free.language
        else:
            return Outcome([Text("not_understood", {"text": text.strip()[:80]})])
        return await self.finish(said, step, language)

    async def finish(self, said: Said, step: Step, language: str | None = None) -> Outcome:
        f, employee = said.f, said.employee
        await f.work.store.dialog_states.save(
            employee.id, step.state.model_dump(mode="json") if step.state else None, said.now
        )
        replies = list(step.replies)
        for effect in step.effects:
            replies += await _apply(f, employee, effect, said.turn_key)
        if any(isinstance(e, (ReportSick, ReportFit, RequestEmergencyDay)) for e in step.effects):
            await evaluate(f, employee.id)
        return Outcome(replies, language, f.work.enqueued)


async def evaluate(f: Features, employee_id: str) -> None:
    """Every absence event re-evaluates that one employee's follow-ups (incremental)."""
    employee = await f.work.store.people.get(employee_id)
    if employee is not None:
        await f.followups.evaluate_employee(employee)


def _read(text: str, state: DialogState | None) -> tuple[Intent | None, str, str]:
    """The command in typed words, what follows it, and the text a dialog should read."""
    step = getattr(state, "step", None)
    free_text = state is not None and step in FREE_TEXT_STEPS
    if free_text and step == CheckInStep.TO_GREEN:
        # The optional suggestion gives way to a bare command ("syg"), not to a sentence
        # that happens to start with one ("hjælp fra en kollega").
        free_text = parse_command(text)[1] != "" or parse_command(text)[0] is None
    if free_text and words(text) not in CANCEL_WORDS:
        return None, "", text
    intent, rest = parse_command(text)
    if intent is None and state is None and words(text) in checkin.COLOUR_DIGITS:
        # Outside a dialog, 1/2/3 answer the check-in (inside one they are choices).
        intent = _COLOUR_INTENT[checkin.COLOUR_DIGITS[words(text)]]
    if intent in COLOUR_OF or intent == Intent.KUDOS:
        rest = rest_as_typed(text)
    if intent == Intent.CHECKIN_STOP and state is not None:
        return None, rest, "fortryd"  # "stop" in a dialog means stop the dialog
    return intent, rest, text


async def _apply(f: Features, employee: Employee, effect: object, turn_key: str) -> list[Reply]:
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


# --- card submits, by their `kind` --------------------------------------------------------


async def _command(router: Router, said: Said, submit: cards.CommandSubmit) -> Outcome:
    return await router.route(said, submit.command, "", "")


async def _answer_submit(router: Router, said: Said, submit: cards.AnswerSubmit) -> Outcome:
    state = said.state
    if state is None:
        return Outcome([Text("nothing_pending")])
    if submit.dialog is not None and (submit.dialog != state.dialog or submit.step != state.step):
        return Outcome([Text("old_card")])
    return await router.route(said, None, "", submit.said())


async def _sick_quick(router: Router, said: Said, submit: SickQuickSubmit) -> Outcome:
    state = said.state
    if not isinstance(state, SickState) or state.step != SickStep.KIND:
        return Outcome([Text("nothing_pending" if state is None else "old_card")])
    return await router.finish(said, sick.send_card(state, submit.choice(), said.f.work.today))


async def _leader_action(_r: Router, said: Said, submit: cards.LeaderAction) -> Outcome:
    f = said.f
    replies = await f.leader.act(
        said.employee,
        submit.absence_id,
        submit.action,
        submit.message,
        said.turn_key,
        submit.amount,
    )
    absence = await f.work.store.absences.get(submit.absence_id)
    if absence is not None and submit.action in ("mark_partial", "undo_mark_partial"):
        await evaluate(f, absence.employee_id)
    return Outcome(replies, enqueued=f.work.enqueued)


async def _other_tasks(_r: Router, said: Said, submit: cards.OtherTasksAnswer) -> Outcome:
    replies = await said.f.leader.answer_other_tasks(
        said.employee, submit.absence_id, submit.answer, submit.typed
    )
    return Outcome(replies, enqueued=said.f.work.enqueued)


async def _on_behalf(_r: Router, said: Said, submit: cards.OnBehalf) -> Outcome:
    replies = await said.f.leader.on_behalf(
        said.employee, submit.what, submit.employee, said.turn_key
    )
    await evaluate(said.f, submit.employee)
    return Outcome(replies, enqueued=said.f.work.enqueued)


async def _absence_change(_r: Router, said: Said, submit: AbsenceChange) -> Outcome:
    f = said.f
    replies = await f.absences.corrections.change(
        said.employee, submit.absence_id, submit.change, submit.day
    )
    await evaluate(f, said.employee.id)
    return Outcome(replies, enqueued=f.work.enqueued)


async def _followup(_r: Router, said: Said, submit: cards.FollowUpAction) -> Outcome:
    replies = await said.f.followups.act_on_followup(said.employee, submit)
    return Outcome(replies, enqueued=said.f.work.enqueued)


async def _checkin_answer(router: Router, said: Said, submit: CheckInAnswer) -> Outcome:
    f = said.f
    if submit.day != f.work.today:
        return Outcome([Text("checkin_old")])
    if await f.checkins.away_today(said.employee):
        return Outcome([Text("checkin_absent")])
    step = checkin.answer_colour(submit.colour, submit.comment or "", f.work.today)
    return await router.finish(said, step)


async def _checkin_leader(_r: Router, said: Said, submit: CheckInLeaderAction) -> Outcome:
    replies = await said.f.checkins.leader_action(
        said.employee, submit.checkin_id, submit.action, submit.message
    )
    return Outcome(replies, enqueued=said.f.work.enqueued)


async def _kudos(_r: Router, said: Said, submit: KudosSubmit) -> Outcome:
    replies = await said.f.kudos.send_kudos(
        said.employee, submit.recipient, submit.message, submit.tell_leader
    )
    return Outcome(replies, enqueued=said.f.work.enqueued)


async def _team_day(_r: Router, said: Said, submit: TeamDaySubmit) -> Outcome:
    values = submit.model_dump(exclude={"kind"})
    return Outcome(await said.f.team_day.set_team_day(said.employee, values))


SUBMITS: dict[type[BaseModel], SubmitHandler] = {
    cards.CommandSubmit: _command,
    cards.AnswerSubmit: _answer_submit,
    SickQuickSubmit: _sick_quick,
    cards.LeaderAction: _leader_action,
    cards.OtherTasksAnswer: _other_tasks,
    cards.OnBehalf: _on_behalf,
    AbsenceChange: _absence_change,
    cards.FollowUpAction: _followup,
    CheckInAnswer: _checkin_answer,
    CheckInLeaderAction: _checkin_leader,
    KudosSubmit: _kudos,
    TeamDaySubmit: _team_day,
}
# The payload models are the table's keys: a new submit kind is one entry above.
SUBMIT: TypeAdapter[Any] = TypeAdapter(
    Annotated[Union[tuple(SUBMITS)], Field(discriminator="kind")]  # type: ignore[arg-type]  # noqa: UP007
)


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
