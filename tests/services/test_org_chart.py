"""The org chart and the notifier on a real database (SQLite and PostgreSQL), with no Teams."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from bot.app import service_config
from bot.settings import Settings
from dialogs.replies import Reply, Text
from rules.recipients import RoutedAs
from services.work import Work
from storage.models import Absence, AbsenceKind, AbsenceStatus, OutboxMessage
from storage.org_import import import_org_file
from storage.store import Store
from tests.builders import Org
from tests.conftest import SMALL_ORG


class PlainRenderer:
    """Renders a text reply as its key, so a test reads what was chosen, not how it looks."""

    def activity(self, reply: Reply, lang: str) -> dict[str, Any]:
        assert isinstance(reply, Text)
        return {"type": "message", "text": f"{lang}:{reply.key}"}

    def text(self, lang: str, key: str, **params: object) -> str:
        return f"{lang}:{key}"


def _work(clock, session) -> Work:
    return Work(Store(session), clock.now(), service_config(Settings()), PlainRenderer())


async def _arrange(sessions, clock) -> None:
    await import_org_file(sessions, SMALL_ORG, clock.now().date())


async def test_a_report_goes_to_the_leader_then_the_deputy_then_above(sessions, clock):
    await _arrange(sessions, clock)
    async with sessions.begin() as session:
        work = _work(clock, session)
        emma = await work.store.people.get("e1")
        assert emma is not None
        route = await work.org.route(emma, work.today)
        assert route is not None and (route.recipient_id, route.routed_as) == (
            "l1",
            RoutedAs.LEADER,
        )
        session.add(
            Absence(
                employee_id="l1",
                kind=AbsenceKind.SICK,
                status=AbsenceStatus.OPEN,
                first_day=date(2026, 11, 23),
                reported_by="l1",
                channel="chat",
                source_key="lars-sick",
                created_at=clock.now(),
            )
        )
        await session.flush()
        route = await work.org.route(emma, work.today)
        assert route is not None and (route.recipient_id, route.routed_as) == (
            "d1",
            RoutedAs.DEPUTY,
        )


async def test_the_deputy_acts_only_while_standing_in(sessions, clock):
    await _arrange(sessions, clock)
    async with sessions.begin() as session:
        work = _work(clock, session)
        dorte = await work.store.people.get("d1")
        assert dorte is not None
        assert not await work.org.may_act_for(dorte, "e1", None)
    await Org(sessions).person("l1", deputy_from=date(2026, 11, 23), deputy_to=date(2026, 11, 27))
    async with sessions.begin() as session:
        work = _work(clock, session)
        dorte = await work.store.people.get("d1")
        assert dorte is not None
        assert await work.org.may_act_for(dorte, "e1", None)
        assert not await work.org.may_act_for(dorte, "d1", None)  # nobody acts on their own


async def test_the_notifier_writes_in_the_recipients_language_once_per_key(sessions, clock):
    await _arrange(sessions, clock)
    await Org(sessions).reads_english("l1")
    async with sessions.begin() as session:
        work = _work(clock, session)
        await work.notifier.send("l1", Text("leader_fit"), "k1")
        await work.notifier.send("l1", Text("leader_fit"), "k1")
        await work.notifier.send("e1", Text("leader_fit"), "k2")
        assert work.enqueued == 2
    async with sessions() as session:
        rows = {m.idempotency_key: m for m in (await session.scalars(select(OutboxMessage))).all()}
    assert rows["k1"].payload["text"] == "en:leader_fit"
    assert rows["k2"].payload["text"] == "da:leader_fit"
