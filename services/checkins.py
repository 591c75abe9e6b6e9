"""The daily check-in: ask once per working day, record the answer, show leaders their team
within the anonymity rules, a daily digest and early warnings.

Everything that reaches someone goes through the outbox in the same transaction as the row
that records it, and every job is idempotent: a check-in row per person and day, a digest day
per leader, and outbox keys, so ticks may repeat or run in two processes (under an advisory
lock) without a second message. What a leader may see of the team (the team card and the
digest) is services/team_view.py; skulderklap and the team day colour are features of their own
(services/skulderklap.py, services/team_day.py).
"""

from __future__ import annotations

import logging
from datetime import date, time
from typing import Any

from dialogs.checkin import AnswerCheckIn, SayToGreen
from dialogs.replies import Card, CardName, Reply, Text
from rules.access import is_leader
from rules.anonymity import may_show_aggregate
from rules.calendar import WorkCalendar
from rules.checkin import (
    NUDGE_QUIET,
    Colour,
    hard_days,
    hard_share,
    offers_pause,
    team_swings,
    too_late_to_ask,
)
from rules.language import language_of
from services import keys
from services.team_view import TeamViews, windows
from services.work import Work
from storage.checkins import DuePrompt
from storage.models import CheckIn, CheckInStatus, Employee

log = logging.getLogger("naervaer.checkin")


def local_time(work: Work) -> time:
    """The wall-clock time of the unit of work, in the configured zone."""
    return work.now.astimezone(work.config.timezone).time().replace(tzinfo=None)


class CheckIns:
    def __init__(self, work: Work) -> None:
        self.work = work
        self.now = work.now
        self.config = work.config
        self.people = work.store.people
        self.checkins = work.store.checkins
        self.nudges = work.store.nudges
        self.outbox = work.store.outbox
        self.notifier = work.notifier
        self.team_views = TeamViews(work)
        self.holidays = WorkCalendar("1234567", work.config.timezone)

    @property
    def local_time(self) -> time:
        return local_time(self.work)

    # --- the prompt ----------------------------------------------------------------------

    async def prompt_due(self) -> int:
        """Ask everyone whose check-in time has come today and who has not been asked."""
        today, now = self.work.today, self.local_time
        if self.holidays.is_public_holiday(today):
            return 0
        due = await self.checkins.due_for_prompt(today, now, self.config.checkin_time)
        if not due:
            return 0
        away = await self.people.away_on([p.employee_id for p in due], today)
        skipped = {
            p.employee_id for p in due if p.employee_id in away or too_late_to_ask(p.at, now)
        }
        asked = [p for p in due if p.employee_id not in skipped]
        messages = await self._prompts(today, asked)
        await self.checkins.record_prompts(today, self.now, due, skipped)
        await self.outbox.enqueue_many(messages, self.now)
        await self.checkins.count_unanswered([p.employee_id for p in asked])
        offered = [p.employee_id for p in asked if offers_pause(p.unanswered, p.pause_offered_on)]
        await self.checkins.pause_offered(offered, today)
        self.notifier.enqueued += len(messages)
        return len(messages)

    async def _prompts(
        self, today: date, asked: list[DuePrompt]
    ) -> list[tuple[str, str, dict[str, Any]]]:
        """Each person's card: the day's question, or once after many unanswered, a pause."""
        languages = await self._languages([p.employee_id for p in asked])
        # Rendered once per language, mode and leader: a morning has few of those, many people.
        payloads: dict[tuple[str, bool, str, str], dict[str, Any]] = {}
        messages = []
        for p in asked:
            lang = languages[p.employee_id]
            if offers_pause(p.unanswered, p.pause_offered_on):
                payload = self.notifier.render.activity(Card(CardName.CHECKIN_OFFER_PAUSE), lang)
            else:
                leader, deputy = await self.seen_by(p.leader_id, p.employee_id)
                cache = (lang, p.anonymous, leader, deputy)
                if cache not in payloads:
                    params = self._card_params(today, p.anonymous, leader, deputy)
                    card = Card(CardName.CHECKIN, params)
                    payloads[cache] = self.notifier.render.activity(card, lang)
                payload = payloads[cache]
            messages.append((keys.checkin(p.employee_id, today), p.employee_id, payload))
        return messages

    async def seen_by(self, leader_id: str | None, employee_id: str) -> tuple[str, str]:
        """Who reads a named answer: the leader, and the leader's deputy while standing in
        (the digest goes to them then); never the person themself as their own deputy."""
        leader = await self.people.get(leader_id)
        if leader is None:
            return "", ""
        deputy = await self.people.get(leader.deputy_id)
        return leader.name, deputy.name if deputy and deputy.id != employee_id else ""

    def _card_params(
        self, day: date, anonymous: bool, leader: str, deputy: str, answer: CheckIn | None = None
    ) -> dict[str, Any]:
        return {
            "day": day,
            "anonymous": anonymous,
            "leader": leader,
            "deputy": deputy,
            "colour": str(answer.colour) if answer and answer.colour else None,
            "comment": answer.comment if answer else None,
            "to_green": answer.to_green if answer else None,
        }

    async def _languages(self, ids: list[str]) -> dict[str, str]:
        """The language of each person, in bulk (the org file's locale, else Teams')."""
        found = await self.people.locales(ids)
        return {i: language_of(found.get(i), self.config.default_locale) for i in ids}

    # --- answers -------------------------------------------------------------------------

    async def answer(self, employee: Employee, effect: AnswerCheckIn) -> list[Reply]:
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
        await self.checkins.save(row)
        await self.refresh_card(employee, row)
        if row.colour == Colour.RED and old_colour != Colour.RED:
            await self._red_ping(employee, row)
        if row.colour == Colour.GREEN:
            return [Text("checkin_thanks_green" if first_answer else "checkin_changed")]
        leader, deputy = await self.seen_by(employee.leader_id, employee.id)
        params = {
            "day": self.work.today,
            "anonymous": row.anonymous,
            "leader": leader,
            "deputy": deputy,
        }
        return [Card(CardName.CHECKIN_TO_GREEN, params)]

    async def away_today(self, employee: Employee) -> bool:
        """An absence or akutdag covers today: never asked how work was."""
        return bool(await self.people.away_on([employee.id], self.work.today))

    async def say_to_green(self, employee: Employee, effect: SayToGreen) -> list[Reply]:
        row = await self.checkins.of_day(employee.id, effect.day)
        if row is None or row.colour in (None, Colour.GREEN):
            return [Text("checkin_old")]
        row.to_green = effect.text.strip() or None
        await self.checkins.save(row)
        await self.refresh_card(employee, row)
        return []

    async def _today_row(self, employee: Employee) -> CheckIn:
        row = await self.checkins.of_day(employee.id, self.work.today)
        if row is None:
            # Answered before being asked (or on an extra day): the answer is the check-in.
            unit = await self.people.unit(employee.unit_id)
            row = CheckIn(
                employee_id=employee.id,
                unit_id=employee.unit_id,
                day=self.work.today,
                status=CheckInStatus.ANSWERED,
                anonymous=bool(unit and unit.checkin_anonymous),
            )
        return row

    async def refresh_card(self, employee: Employee, row: CheckIn) -> None:
        """The prompt card shows the answer, in place; a text answer updates it too."""
        if row.prompted_at is None:
            return
        leader, deputy = await self.seen_by(employee.leader_id, employee.id)
        params = self._card_params(row.day, row.anonymous, leader, deputy, row)
        prompt = keys.checkin(employee.id, row.day)
        version = await self.outbox.next_version(keys.versions(prompt))
        await self.notifier.send(
            employee.id,
            Card(CardName.CHECKIN, params),
            keys.version(prompt, version),
            replaces_key=prompt,
        )

    async def _red_ping(self, employee: Employee, row: CheckIn) -> None:
        if row.anonymous or employee.leader_id is None:
            return
        leader = await self.people.get(employee.leader_id)
        if leader is None or not leader.checkin_red_ping:
            return
        # The leader's choice, read by whoever acts for the leader today (the deputy while
        # standing in; nobody when both are away).
        reader = await self.work.org.acting_for(leader)
        if reader is None or reader.id == employee.id:
            return
        await self.notifier.send(
            reader.id,
            Text("checkin_red_ping", {"name": employee.name, "comment": row.comment or "—"}),
            keys.checkin_red(row.id),
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
        return [Text("checkin_time_set", {"time": at})]

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
        """The leader's team; a deputy standing in also sees the team of the leader away."""
        replies: list[Reply] = []
        for lead in await self.work.org.standing_in_for(leader):
            staff = [p for p in await self.people.staff_of(lead.id) if p.id != leader.id]
            if staff:
                replies.append(Card(CardName.TEAM, {"view": await self.team_views.of(lead, staff)}))
        if not is_leader(leader.role):
            return replies or [Text("leaders_only")]
        staff = await self.people.staff_of(leader.id)
        if staff:
            replies.insert(
                0, Card(CardName.TEAM, {"view": await self.team_views.of(leader, staff)})
            )
        return replies or [Text("team_empty")]

    async def leader_action(
        self, leader: Employee, checkin_id: int, action: str, message: str | None
    ) -> list[Reply]:
        row = await self.checkins.get(checkin_id)
        employee = await self.people.get(row.employee_id) if row else None
        if (
            row is None
            or employee is None
            or row.anonymous
            or not await self.work.org.may_act_for(leader, employee.id, None)
        ):
            log.warning("refused check-in action=%s id=%s actor=%s", action, checkin_id, leader.id)
            return [Text("not_allowed")]
        if action == "reply":
            said = (message or "").strip()
            if not said:
                return [Text("checkin_reply_empty")]
            row.reply, row.replied_at = said[:1000], self.now
            version = await self.outbox.next_version(keys.checkin_replies(row.id))
            await self.notifier.send(
                employee.id,
                Text("checkin_reply", {"name": leader.name, "day": row.day, "message": said}),
                keys.checkin_reply(row.id, version),
            )
            done = "checkin_reply_sent"
        else:
            if row.acknowledged_at is not None:
                return [Text("already_done")]
            await self.notifier.send(
                employee.id,
                Text("checkin_seen", {"name": leader.name, "day": row.day}),
                keys.checkin_seen(row.id),
            )
            done = "checkin_ack_done"
        if row.acknowledged_at is None:
            row.acknowledged_at, row.acknowledged_by = self.now, leader.id
        return [Text(done, {"name": employee.name})]

    async def set_digest_time(self, leader: Employee, at: time | None) -> list[Reply]:
        if not is_leader(leader.role):
            return [Text("leaders_only")]
        if at is None:
            return [Text("followup_morning_bad")]
        leader.checkin_digest_time = at
        return [Text("checkin_digest_time_set", {"time": at})]

    async def set_red_ping(self, leader: Employee, on: bool) -> list[Reply]:
        if not is_leader(leader.role):
            return [Text("leaders_only")]
        leader.checkin_red_ping = on
        return [Text("checkin_red_ping_on" if on else "checkin_red_ping_off")]

    # --- the digest and early warnings ---------------------------------------------------

    async def digests_due(self) -> int:
        """Each leader's day in one message at their time, with early warnings; none when
        nobody answered."""
        today = self.work.today
        leaders = await self.checkins.leaders_due_digest(
            today, self.local_time, self.config.checkin_digest_time
        )
        sent = 0
        for leader in leaders:
            leader.checkin_digest_on = today
            # An away leader's team is read by the deputy standing in, or by nobody that day.
            reader = await self.work.org.acting_for(leader)
            if reader is None or not self.work.calendar(reader).is_working_day(today):
                continue
            staff = await self.people.staff_of(leader.id)
            view = await self.team_views.of(leader, staff)
            answered = sum(view.named_today.values()) + sum((view.anonymous_today or {}).values())
            if answered:
                await self.notifier.send(
                    reader.id,
                    Card(CardName.CHECKIN_DIGEST, {"view": view}),
                    keys.checkin_digest(leader.id, today),
                )
                sent += 1
            sent += await self._warnings(leader, staff, reader)
        return sent

    async def _warnings(self, leader: Employee, staff: list[Employee], reader: Employee) -> int:
        """A nudge, never a verdict: a person's run of hard days (named mode), a team's swing."""
        days_7, days_30 = windows(self.work, leader)
        rows = await self.checkins.answered_since([p.id for p in staff], days_30[0])
        week_rows = [r for r in rows if r.day >= days_7[0]]
        sent = 0
        for person in staff:
            days = hard_days(
                r.colour for r in week_rows if r.employee_id == person.id and not r.anonymous
            )
            mine = person.id == reader.id  # a deputy is not warned about themselves
            if days.warns and not mine and await self._nudge(leader, person.id, "person"):
                await self.notifier.send(
                    reader.id,
                    Text(
                        "checkin_warn_person",
                        {"name": person.name, "reds": days.reds, "hard": days.hard},
                    ),
                    keys.checkin_warning(leader.id, person.id, self.work.today),
                )
                sent += 1
        if not may_show_aggregate(len({r.employee_id for r in week_rows})):
            return sent
        share_7 = hard_share([r.colour for r in week_rows])
        share_30 = hard_share([r.colour for r in rows])
        if team_swings(share_7, share_30) and await self._nudge(
            leader, f"team:{leader.id}", "team"
        ):
            await self.notifier.send(
                reader.id,
                Text(
                    "checkin_warn_team",
                    {"week": round(share_7 * 100), "month": round(share_30 * 100)},
                ),
                keys.checkin_warning(leader.id, "team", self.work.today),
            )
            sent += 1
        return sent

    async def _nudge(self, leader: Employee, subject: str, kind: str) -> bool:
        """True (and remembered) unless the same nudge went out in the last week."""
        today = self.work.today
        if await self.nudges.sent_since(leader.id, subject, kind, today - NUDGE_QUIET):
            return False
        await self.nudges.record(leader.id, subject, kind, today)
        return True
