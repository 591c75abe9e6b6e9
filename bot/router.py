"""Turns one message from a known employee into dialog steps and desk actions.

Typed words and card buttons meet here: a button submits the same token a person could type,
so every dialog is driven by text. Dialog state is loaded and saved in the turn's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, TypeAdapter, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from bot import cards
from bot.checkin_cards import CheckInAnswer, CheckInLeaderAction, KudosSubmit, TeamDaySubmit
from bot.checkin_desk import CheckInDesk
from bot.desk import DeskSettings, LeaderDesk
from bot.followup_desk import FollowUpDesk
from bot.privacy_desk import PrivacyDesk
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
from rules.policy import Policy
from storage.absences import DialogStateRepository
from storage.models import AbsenceKind, Employee, Role

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
    def __init__(
        self, settings: DeskSettings, policies: Mapping[str, Policy], default_policy: str
    ) -> None:
        self.settings = settings
        self.policies = policies
        self.default_policy = default_policy

    async def message(
        self,
        session: AsyncSession,
        employee: Employee,
        text: str,
        value: dict[str, Any] | None,
        now: datetime,
        turn_key: str,
    ) -> Outcome:
        desk = CheckInDesk(session, now, self.settings)
        states = DialogStateRepository(session)
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
                    replies = await desk.act(
                        employee, submit.absence_id, submit.action, submit.message, turn_key
                    )
                    absence = await desk.absences.get(submit.absence_id)
                    if absence is not None and submit.action == "mark_partial":
                        await self._evaluate(desk, absence.employee_id)
                    return Outcome(replies, enqueued=desk.enqueued)
                case cards.OtherTasksAnswer():
                    replies = await desk.answer_other_tasks(
                        employee, submit.absence_id, submit.answer, submit.typed
                    )
                    return Outcome(replies, enqueued=desk.enqueued)
                case cards.OnBehalf():
                    replies = await desk.on_behalf(employee, submit.what, submit.employee, turn_key)
                    await self._evaluate(desk, submit.employee)
                    return Outcome(replies, enqueued=desk.enqueued)
                case cards.FollowUpAction():
                    followups = self.followups(session, now)
                    replies = await followups.act_on_followup(employee, submit)
                    return Outcome(replies, enqueued=followups.enqueued)
                case CheckInAnswer():
                    if submit.day != desk.today:
                        return Outcome([Text("checkin_old")])
                    if await desk.away_today(employee):
                        return Outcome([Text("checkin_absent")])
                    step = checkin.answer_colour(submit.colour, submit.comment or "", desk.today)
                    return await self._finish(desk, states, employee, step, now, turn_key)
                case CheckInLeaderAction():
                    replies = await desk.leader_action(
                        employee, submit.checkin_id, submit.action, submit.message
                    )
                    return Outcome(replies, enqueued=desk.enqueued)
                case KudosSubmit():
                    replies = await desk.send_kudos(
                        employee, submit.recipient, submit.message, submit.tell_leader
                    )
                    return Outcome(replies, enqueued=desk.enqueued)
                case TeamDaySubmit():
                    values = submit.model_dump(exclude={"kind"})
                    return Outcome(await desk.set_team_day(employee, values))
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
            step = await self._start(desk, employee, intent)
            step = Step(state, step.replies)
        elif intent is not None:
            step = await self._start(desk, employee, intent, rest)
        elif state is not None:
            step = _answer(state, text, desk.today)
        else:
            return Outcome([Text("not_understood", {"text": text.strip()[:80]})])
        return await self._finish(desk, states, employee, step, now, turn_key, language)

    async def _finish(
        self,
        desk: CheckInDesk,
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
            replies += await self._apply(desk, employee, effect, turn_key)
        if any(isinstance(e, (ReportSick, ReportFit, RequestEmergencyDay)) for e in step.effects):
            await self._evaluate(desk, employee.id)
        return Outcome(replies, language, desk.enqueued)

    def followups(self, session: AsyncSession, now: datetime) -> FollowUpDesk:
        return FollowUpDesk(session, now, self.settings, self.policies, self.default_policy)

    async def _evaluate(self, desk: LeaderDesk, employee_id: str) -> None:
        """Every absence event re-evaluates that one employee's follow-ups (incremental)."""
        employee = await desk.people.get(employee_id)
        if employee is not None:
            await self.followups(desk.session, desk.now).evaluate_employee(employee)

    async def _start(
        self, desk: CheckInDesk, employee: Employee, intent: Intent, rest: str = ""
    ) -> Step:
        match intent:
            case Intent.HELP:
                leads = employee.role in (Role.LEADER, Role.HR, Role.ADMIN)
                return Step(None, help_replies(leader=leads))
            case Intent.SICK | Intent.GOING_HOME_SICK:
                open_now = await desk.absences.open_sickness_for(employee.id, desk.today)
                # Someone partly back may fall fully ill again: that is a new report, not a repeat.
                relapse = open_now is not None and open_now.kind == AbsenceKind.PARTLY_SICK
                if open_now is not None and not relapse:
                    return Step(
                        None,
                        [Text("already_sick", {"since": open_now.first_day}), Card("offer_fit")],
                    )
                return sick.start(desk.today, going_home=intent == Intent.GOING_HOME_SICK)
            case Intent.FIT:
                open_now = await desk.absences.open_sickness_for(employee.id, desk.today)
                if open_now is None:
                    return Step(None, [Text("fit_nothing_open")])
                return fit.start(open_now.first_day, employee.fte)
            case Intent.EMERGENCY_DAY:
                return emergency.start()
            case Intent.STATUS:
                return Step(None, await desk.status(employee))
            case Intent.REGISTER_SICK:
                return Step(None, await desk.on_behalf_choices(employee, "sick"))
            case Intent.REGISTER_FIT:
                return Step(None, await desk.on_behalf_choices(employee, "fit"))
            case Intent.FOLLOWUPS:
                return Step(None, await self.followups(desk.session, desk.now).open_for(employee))
            case Intent.DIGEST_ON | Intent.DIGEST_OFF:
                followups = self.followups(desk.session, desk.now)
                return Step(None, await followups.set_digest(employee, intent == Intent.DIGEST_ON))
            case Intent.FOLLOWUP_MORNING:
                followups = self.followups(desk.session, desk.now)
                return Step(None, await followups.set_morning(employee, rest))
            case Intent.CHECKIN_GREEN | Intent.CHECKIN_YELLOW | Intent.CHECKIN_RED:
                if await desk.away_today(employee):
                    return Step(None, [Text("checkin_absent")])
                return checkin.answer_colour(COLOUR_OF[intent], rest, desk.today)
            case Intent.CHECKIN_PAUSE:
                return Step(None, await desk.pause(employee, checkin.pause_until(rest, desk.today)))
            case Intent.CHECKIN_STOP:
                return Step(None, await desk.stop(employee))
            case Intent.CHECKIN_START:
                return Step(None, await desk.start(employee))
            case Intent.TEAM:
                return Step(None, await desk.team(employee))
            case Intent.KUDOS:
                return Step(None, await desk.kudos_choices(employee, rest))
            case Intent.TEAM_DAY:
                return Step(None, await desk.team_day_card(employee))
            case Intent.PRIVACY:
                privacy = PrivacyDesk(desk.session, desk.now, self.settings)
                return Step(None, await privacy.notice(employee))
            case Intent.CHECKIN_TIME:
                return Step(None, await desk.set_checkin_time(employee, parse_time_of_day(rest)))
            case Intent.CHECKIN_DIGEST_TIME:
                return Step(None, await desk.set_digest_time(employee, parse_time_of_day(rest)))
            case Intent.RED_PING_ON | Intent.RED_PING_OFF:
                return Step(None, await desk.set_red_ping(employee, intent == Intent.RED_PING_ON))
        raise AssertionError(intent)

    async def _apply(
        self, desk: CheckInDesk, employee: Employee, effect: object, turn_key: str
    ) -> list[Reply]:
        match effect:
            case AnswerCheckIn():
                return await desk.answer(employee, effect)
            case SayToGreen():
                return await desk.say_to_green(employee, effect)
            case ReportSick():
                key = f"sick:{employee.id}:{effect.first_day.isoformat()}"
                return await desk.report_sick(employee, effect, key)
            case ReportFit():
                return await desk.report_fit(employee, effect)
            case RequestEmergencyDay():
                # A declined day may be asked for again: one request per confirming turn.
                key = f"emergency:{employee.id}:{effect.day.isoformat()}:{turn_key}"
                return await desk.request_emergency_day(employee, effect, key)
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
