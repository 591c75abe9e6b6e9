"""Two real server processes on one PostgreSQL deliver a shared outbox exactly once."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
from collections import Counter
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import func, select

from storage.db import create_engine, session_factory
from storage.models import OutboxMessage, OutboxSenderBeat, OutboxStatus
from tests.conftest import empty_postgres, free_port
from tests.connector_stub import ConnectorStub, TeamsLimits
from tests.scheduler.test_outbox import enqueue, make_people, statuses

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def postgres_url() -> str:
    return await empty_postgres()


Server = tuple[str, subprocess.Popen[bytes], Path]


def spawn(env: dict[str, str], log: Path) -> Server:
    """`naervaer serve` in a process of its own on a free port, its output in `log`."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve"],
        cwd=ROOT,
        env={**os.environ, **env, "NAERVAER_PORT": str(port)},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    return f"http://127.0.0.1:{port}", process, log


async def ended(process: subprocess.Popen[bytes], seconds: float) -> None:
    """Wait for a process to exit without blocking the loop: the connector stub runs on it, and
    a stub that cannot answer would keep the stopping process's last sends in the air."""
    await asyncio.to_thread(process.wait, seconds)


async def until_metric(url: str, name: str, value: float, seconds: float = 30) -> None:
    """Poll a server's /metrics until `name` shows `value`."""
    async with aiohttp.ClientSession() as http:
        for _ in range(int(seconds / 0.1)):
            async with http.get(f"{url}/metrics") as r:
                for line in (await r.text()).splitlines():
                    if line.startswith(f"{name} ") and float(line.split()[1]) == value:
                        return
            await asyncio.sleep(0.1)
    raise AssertionError(f"{name} never showed {value} at {url}")


async def in_hand(sessions, pid: int) -> list[str]:
    """Titles of the cards a process (by pid) had claimed and not recorded as sent."""
    async with sessions() as session:
        rows = await session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.status == OutboxStatus.SENDING,
                OutboxMessage.claimed_by.startswith(f"{socket.gethostname()[:40]}-{pid}-"),
            )
        )
        return [r.payload["attachments"][0]["content"]["body"][0]["text"] for r in rows]


async def wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(300):
            if process.poll() is not None:
                raise AssertionError(f"server exited:\n{log.read_text()}")
            try:
                async with http.get(f"{url}/readyz") as r:
                    if r.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"server not ready:\n{log.read_text()}")


async def test_two_server_processes_send_each_message_once(postgres_url, tmp_path):
    # The stub holds both replicas to Teams' limits for one app (50/s, 7/s per conversation).
    async with ConnectorStub(limits=TeamsLimits()) as stub:
        servers = []
        try:
            # Both start at once, so both try to migrate: the advisory lock must hold.
            for n in range(2):
                env = {"NAERVAER_DATABASE_URL": postgres_url, "NAERVAER_OUTBOX_RATE": "40"}
                servers.append(spawn(env, tmp_path / f"server{n}.log"))
            for url, process, log in servers:
                await wait_ready(url, process, log)
            for url, _process, _log in servers:
                await until_metric(url, "naervaer_outbox_senders", 2)

            engine = create_engine(postgres_url)
            sessions = session_factory(engine)
            try:
                people = await make_people(sessions, stub, 300)
                stub.fail_next(100, 429, retry_after=1)
                await enqueue(sessions, [(f"m{i}", people[i % 300]) for i in range(2000)])
                async with sessions() as session:
                    senders = await session.scalar(select(func.count(OutboxSenderBeat.worker)))
                await stub.wait_for(
                    lambda s: len(set(s.texts())) >= 2000, timeout=150, interval=0.5
                )
                await asyncio.sleep(0.5)  # would a late duplicate still arrive?
                assert (await statuses(sessions)) == Counter({"sent": 2000})
                async with sessions() as session:
                    workers = await session.scalar(
                        select(func.count(func.distinct(OutboxMessage.claimed_by)))
                    )
            finally:
                await engine.dispose()
        finally:
            for _url, process, _log in servers:
                process.terminate()
                await ended(process, 10)
        delivered = Counter(stub.texts())
        assert len(delivered) == 2000 and set(delivered.values()) == {1}
        # The 100 scripted 429s, and the replicas shared one budget: each sending at the full rate
        # would have drawn hundreds of 429s from the 50/s limit. A few may still come when a
        # replica joins or leaves, until the others see it at their next beat.
        rejected = sum(1 for call in stub.calls if call.status == 429)
        assert rejected - stub.throttled == 100
        assert stub.throttled <= 40
        assert workers == 2 and senders == 2  # both processes took a share


async def test_two_processes_remind_each_follow_up_once_even_after_a_kill(postgres_url, tmp_path):
    """The daily evaluation and the dispatch run in both processes; one is killed mid-way."""
    from zoneinfo import ZoneInfo

    from scheduler.clock import SystemClock
    from storage.models import (
        Absence,
        AbsenceKind,
        AbsenceStatus,
        Employee,
        ReachStatus,
        TeamsUser,
        Unit,
    )

    today = SystemClock().now().astimezone(ZoneInfo("Europe/Copenhagen")).date()
    async with ConnectorStub() as stub:
        env = {
            "NAERVAER_DATABASE_URL": postgres_url,
            "NAERVAER_TICK_SECONDS": "0.3",
            "NAERVAER_FOLLOWUP_MORNING": "00:00",
            "NAERVAER_DEFAULT_POLICY": "norddjurs",
            # Long enough that a live process never loses a row it is sending (on a loaded
            # 2-core machine a send and its record can take seconds), short enough to wait for.
            "NAERVAER_OUTBOX_LEASE_SECONDS": "10",
        }

        def start(n: int) -> Server:
            return spawn(env, tmp_path / f"server{n}.log")

        # The schema first, so the organisation can go in before any tick evaluates it.
        first = start(0)
        await wait_ready(*first)
        first[1].terminate()
        await ended(first[1], 10)
        engine = create_engine(postgres_url)
        sessions = session_factory(engine)
        leaders, staff = 30, 10
        async with sessions.begin() as session:
            session.add(Unit(id="U", name="U"))
            await session.flush()
            for n in range(leaders):
                session.add(Employee(id=f"l{n}", name=f"Leder {n}", unit_id="U"))
            await session.flush()
            for n in range(leaders):
                session.add(
                    TeamsUser(
                        teams_user_id=f"29:l{n}",
                        tenant_id="t",
                        employee_id=f"l{n}",
                        service_url=stub.base_url,
                        conversation_id=f"a:l{n}",
                        status=ReachStatus.ACTIVE,
                        last_seen=SystemClock().now(),
                    )
                )
                for m in range(staff):
                    session.add(
                        Employee(
                            id=f"e{n}-{m}",
                            name=f"Medarbejder {n}-{m}",
                            unit_id="U",
                            leader_id=f"l{n}",
                        )
                    )
            await session.flush()
            for n in range(leaders):
                for m in range(staff):
                    session.add(
                        Absence(
                            employee_id=f"e{n}-{m}",
                            kind=AbsenceKind.SICK,
                            status=AbsenceStatus.OPEN,
                            first_day=today,
                            reported_by=f"e{n}-{m}",
                            channel="chat",
                            source_key=f"seed-{n}-{m}",
                            created_at=SystemClock().now(),
                            acknowledged_at=SystemClock().now(),
                        )
                    )
        servers = [start(1), start(2)]
        total = leaders * staff

        def cards_sent(s: ConnectorStub) -> list[str]:
            return [
                c.body["attachments"][0]["content"]["body"][0]["text"]
                for c in s.sent()
                if c.body.get("attachments")
                # Only follow-up cards: a daily check-in may come due while the test runs.
                and c.body["attachments"][0]["content"]["body"][0]["text"].startswith("Opfølgning")
            ]

        try:
            for server in servers:
                await wait_ready(*server)
            await stub.wait_for(lambda s: len(cards_sent(s)) >= total // 4, timeout=60)
            # A stop (SIGTERM) mid-dispatch: what is on the wire is recorded, the rest handed back.
            stopped = servers[0][1]
            stopped.terminate()
            await ended(stopped, 20)
            assert max(Counter(cards_sent(stub)).values()) == 1
            left = await in_hand(sessions, stopped.pid)
            servers.append(start(3))
            await stub.wait_for(lambda s: len(cards_sent(s)) >= total // 2, timeout=60)
            # A kill (SIGKILL) mid-dispatch: no goodbye at all.
            killed = servers[1][1]
            killed.kill()
            await ended(killed, 10)
            held = await in_hand(sessions, killed.pid)
            servers.append(start(4))
            await stub.wait_for(lambda s: len(set(cards_sent(s))) >= total, timeout=90)
            await asyncio.sleep(1.0)  # would a late duplicate still arrive?
        finally:
            for _url, process, _log in servers:
                if process.poll() is None:
                    process.terminate()
                    await ended(process, 10)
            await engine.dispose()
        titles = Counter(cards_sent(stub))
        assert len(titles) == total  # none lost
        resent = {t for t, n in titles.items() if n > 1}
        print(
            f"follow-up cards: {len(titles)}, held by the killed process: {len(held)}, "
            f"left unrecorded by the stopped one: {len(left)}, resent: {len(resent)}"
        )
        # A stop (SIGTERM) records everything that was on the wire. Only a message the killed
        # process had in hand can arrive twice: sent but never recorded, and the Bot Connector
        # has no idempotency key to ask.
        assert left == []
        assert resent <= set(held) and max(titles.values()) <= 2


class Alternating:
    """Teams behind a load balancer: each activity goes to the next server in turn."""

    def __init__(self, urls: list[str], http: aiohttp.ClientSession) -> None:
        self.urls = urls
        self.http = http
        self.turn = 0

    async def post(self, activity: dict) -> aiohttp.ClientResponse:
        url = self.urls[self.turn % len(self.urls)]
        self.turn += 1
        async with self.http.post(f"{url}/api/messages", json=activity) as response:
            await response.read()
            return response


async def test_two_processes_share_dialogs_jobs_and_the_outbox(postgres_url, tmp_path):
    """Dialog turns land on either process; prompts and reports still go out once each."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from sqlalchemy import update

    from storage.models import Employee
    from tests.bot.test_cli import DATA, naervaer
    from tests.e2e.helpers import report_sick
    from tests.e2e.teams import Teams, card_text

    local = datetime.now(ZoneInfo("Europe/Copenhagen"))
    if local.hour == 23 and local.minute >= 57:  # today's check-in time must stay today's
        await asyncio.sleep((timedelta(days=1) - timedelta(hours=23, minutes=local.minute)).seconds)
        local = datetime.now(ZoneInfo("Europe/Copenhagen"))
    # A minute ago, but never yesterday: at 00:00 a time of 23:59 has not come yet today.
    local = max(local - timedelta(minutes=1), local.replace(hour=0, minute=0))
    env = {
        "NAERVAER_DATABASE_URL": postgres_url,
        "NAERVAER_TICK_SECONDS": "0.3",
        "NAERVAER_CHECKIN_TIME": local.strftime("%H:%M"),
        "NAERVAER_LOG_FORMAT": "json",
    }
    assert naervaer("org", "import", str(DATA / "small_org.csv"), env=env).returncode == 0
    engine = create_engine(postgres_url)
    async with engine.begin() as conn:  # everyone is asked now, whatever the time of day
        await conn.execute(update(Employee).values(checkin_time=None))
    await engine.dispose()
    async with ConnectorStub() as stub, aiohttp.ClientSession() as http:
        servers = []
        try:
            for n in range(2):
                servers.append(spawn(env, tmp_path / f"server{n}.log"))
            for server in servers:
                await wait_ready(*server)
            teams = Teams(Alternating([url for url, _p, _l in servers], http), stub)
            people = ("chef", "lars", "dorte", "emma", "ali", "mette", "hanne")
            for who in people:  # as hello(), but keeping every call the stub records
                await teams.say(who, "hjælp")
            await report_sick(teams, "dorte")  # six turns, alternating between the processes
            assert teams.texts_to("dorte")[-2].startswith(
                "Tak. Lars Jensen (din leder) har fået besked"
            )

            def prompts(who: str) -> int:
                return sum(
                    "Hvordan har din arbejdsdag været?" in card_text(c)
                    or "How was your working day?" in card_text(c)
                    for c in teams.cards_to(who)
                )

            await stub.wait_for(
                lambda _s: (
                    all(prompts(p) >= 1 for p in people if p != "dorte")
                    and any("Dorte Nielsen" in card_text(c) for c in teams.cards_to("lars"))
                ),
                timeout=30,
            )
            await asyncio.sleep(1.5)  # several more ticks in both processes
            # One each, though both processes tick; Dorte only if the first tick came before
            # her sick report.
            counts = {p: prompts(p) for p in people}
            assert counts.pop("dorte") <= 1 and set(counts.values()) == {1}, counts
            sick_cards = [c for c in teams.cards_to("lars") if "Dorte Nielsen" in card_text(c)]
            assert len(sick_cards) == 1
            async with http.get(f"{servers[0][0]}/metrics") as response:
                metrics = await response.text()
            assert 'naervaer_outbox_depth{status="pending"} 0.0' in metrics
            for _url, _process, log in servers:
                for line in log.read_text().splitlines():
                    if line.startswith("{"):
                        record = json.loads(line)
                        assert {"time", "level", "logger", "message"} <= set(record)
                        assert "Dorte" not in line and "Emma" not in line
        finally:
            for _url, process, _log in servers:
                process.terminate()
                await ended(process, 10)
