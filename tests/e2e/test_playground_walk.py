"""The chat as people live it: the real Agents Playground in Chromium, clicking through naervaer.

Three Playgrounds (employee Alex, leader Megan, English Adele; manifest/playground/) talk to the
real server with the demo municipality (its two years of history too), a fresh SQLite database
and a frozen clock. The walk
(tests/e2e/walk_steps.py) types and presses buttons by their visible titles. It fails when a
pressed button is refused, a card does not render, or a text disagrees with the database.
Screenshots of every step go to out/playground/ (not committed).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import JOB_KEYS
from bot.cli_demo import create_demo_town
from bot.settings import Settings
from bot.texts import LANGUAGES, format_value
from rules.absence_kinds import AbsenceKind, AbsenceStatus
from scheduler.clock import FrozenClock
from storage.models import Absence, CheckIn, CheckInStatus
from tests.conftest import COPENHAGEN, PG_REQUIRED, RunningBot, free_port, start_bot
from tests.e2e.playground import (
    SHOTS,
    Chat,
    broken_cards,
    missing_tools,
    playground,
    refused,
)
from tests.e2e.walk_steps import PERSONAS, START, WALK, Step

MISSING = missing_tools()
# Where the tools are missing the walk is skipped, except in CI (NAERVAER_REQUIRE_PG=1, as
# `make test` sets it), where `make install` and `make test` must have installed them.
pytestmark = pytest.mark.skipif(MISSING is not None and not PG_REQUIRED, reason=MISSING or "")


@contextlib.asynccontextmanager
async def demo_bot(tmp_path: Path, clock: FrozenClock) -> AsyncIterator[RunningBot]:
    """`naervaer demo` in this process: the demo municipality in a fresh database, the server."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'walk.db'}"
    # Tests type faster than people: the per-user turn limit has its own test.
    settings = Settings(_env_file=None, database_url=url, port=free_port(), turns_per_minute=600)  # type: ignore[call-arg]
    assert await create_demo_town(settings, clock.now()) is not None
    runner, running = await start_bot(settings, clock)
    try:
        yield running
    finally:
        await running.http.close()
        await runner.cleanup()


@dataclass
class Walk:
    bot: RunningBot
    clock: FrozenClock
    chats: dict[str, Chat]
    done: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    timers: dict[str, dict[str, float]] = field(default_factory=dict)
    t0: float = field(default_factory=time.monotonic)

    def today(self) -> date:
        return self.clock.now().astimezone(COPENHAGEN).date()

    def words(self, who: str, texts: tuple[str, ...]) -> list[str]:
        lang = PERSONAS[who][2]
        days = {
            "today": self.today(),
            "tomorrow": self.today() + timedelta(days=1),
            "yesterday": self.today() - timedelta(days=1),
        }
        return [
            text.format(**{k: format_value(lang, v) for k, v in days.items()}) for text in texts
        ]

    async def step(self, number: int, step: Step) -> None:
        if step.needs and not any(step.needs in text for text in LANGUAGES["da"].values()):
            self.pending.append(f"{number:02d} {step.who} {step.do} {step.arg!r}")
            return
        chat = self.chats[step.who]
        if step.starts:
            self.timers[step.starts] = {
                "start": time.monotonic(),
                "taps": chat.taps,
                "typed": chat.typed,
            }
        for other in self.chats.values():
            other.before = await other.messages()
        await self.act(chat, step)
        await self.answers(step)
        if step.stops:
            timer = self.timers[step.stops]
            timer["seconds"] = time.monotonic() - timer["start"]
            timer["taps"] = chat.taps - timer["taps"]
            timer["typed"] = chat.typed - timer["typed"]
        await self.verify(number, step)
        print(f"{number:02d} {time.monotonic() - self.t0:6.1f}s {step.who} {step.do} {step.arg}")

    async def act(self, chat: Chat, step: Step) -> None:
        if step.do == "say":
            await chat.say(step.arg)
        elif step.do in ("press", "open"):
            await chat.press(
                step.arg, self.words(step.who, (step.within,))[0] if step.within else None
            )
        elif step.do == "fill":
            await chat.fill(step.into or "", step.arg)
        elif step.do == "at":
            self.clock.set(datetime.fromisoformat(step.arg).replace(tzinfo=COPENHAGEN))
        elif step.do == "job":
            await self.bot.app[next(k for k, name in JOB_KEYS.items() if name == step.arg)]()
        else:
            raise AssertionError(f"unknown step kind {step.do!r}")

    async def answers(self, step: Step) -> None:
        """Wait for every expected text, in the person's chat and in the others'."""
        if step.do in ("press", "say", "job") or step.expect:
            await self.chats[step.who].wait_for(self.words(step.who, step.expect))
        for who, texts in step.tell:
            await self.chats[who].wait_for(self.words(who, texts))

    async def verify(self, number: int, step: Step) -> None:
        involved = {step.who, *dict(step.tell)}
        settled = await asyncio.gather(
            *(c.settle(0.4 if who in involved else 0.0) for who, c in self.chats.items())
        )
        problems = []
        for (who, chat), now in zip(self.chats.items(), settled, strict=True):
            problems += [f"{who}: {p}" for p in refused(chat.fresh(now, chat.before))]
            problems += [f"{who}: card not rendered: {p}" for p in await broken_cards(chat.page)]
        name = f"{number:02d}-{step.who}-{step.do}-{slug(step.arg)}"
        if step.do != "at":  # the clock moved; nothing to see
            await self.chats[step.who].shot(name)
        for who, _texts in step.tell:
            await self.chats[who].shot(f"{name}-{who}")
        assert not problems, f"step {name}: {problems}"
        if step.check:
            await CHECKS[step.check](self)
        self.done.append(name)


def slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")[:30] or "x"


# --- the database, as the texts claim it ------------------------------------------------------


async def absences(walk: Walk, employee: str) -> list[Absence]:
    """The person's periods from the walk's first day on: the demo's history ends before it."""
    async with walk.bot.sessions() as session:
        rows = await session.scalars(
            select(Absence)
            .where(Absence.employee_id == employee, Absence.first_day >= START.date())
            .order_by(Absence.id)
        )
        return list(rows)


async def card_shows(walk: Walk, who: str, *texts: str) -> None:
    shown = "\n".join(m.text for m in await walk.chats[who].messages())
    for text in texts:
        assert text in shown, f"{who}'s chat does not show {text!r}"


async def sick_today(walk: Walk, person: str, name: str) -> None:
    open_ = [a for a in await absences(walk, PERSONAS[person][1]) if a.status == AbsenceStatus.OPEN]
    assert len(open_) == 1, open_
    assert open_[0].first_day == walk.today() and open_[0].kind == AbsenceKind.SICK
    # The leader's card names the person and the first day the database holds.
    await card_shows(walk, "megan", name, str(format_value("da", open_[0].first_day)))


async def alex_fit_today(walk: Walk) -> None:
    sick = [a for a in await absences(walk, "demo-alex") if a.kind != AbsenceKind.EMERGENCY_DAY]
    assert [a.status for a in sick] == [AbsenceStatus.CLOSED]
    assert sick[0].last_day == walk.today() - timedelta(days=1)


async def adele_partly_fit(walk: Walk) -> None:
    partial = [a for a in await absences(walk, "demo-adele") if a.kind == AbsenceKind.PARTLY_SICK]
    assert len(partial) == 1, partial
    assert partial[0].first_day == walk.today()
    assert partial[0].last_day == date(2026, 12, 9) and partial[0].partial_percent_off == 50


async def alex_nothing_open(walk: Walk) -> None:
    rows = await absences(walk, "demo-alex")
    assert not [a for a in rows if a.status == AbsenceStatus.OPEN], rows


async def alex_emergency_approved(walk: Walk) -> None:
    days = [a for a in await absences(walk, "demo-alex") if a.kind == AbsenceKind.EMERGENCY_DAY]
    assert len(days) == 1 and days[0].first_day == walk.today() + timedelta(days=1)
    assert days[0].status not in (AbsenceStatus.REQUESTED, AbsenceStatus.DECLINED)


async def alex_checked_in(walk: Walk) -> None:
    async with walk.bot.sessions() as session:
        row = await session.scalar(
            select(CheckIn).where(CheckIn.employee_id == "demo-alex", CheckIn.day == walk.today())
        )
    assert row is not None and row.status == CheckInStatus.ANSWERED and row.colour == "green"


CHECKS: dict[str, Callable[[Walk], Awaitable[None]]] = {
    "alex_sick_today": lambda walk: sick_today(walk, "alex", "Alex Wilber"),
    "adele_sick_today": lambda walk: sick_today(walk, "adele", "Adele Vance"),
    "alex_fit_today": alex_fit_today,
    "adele_partly_fit": adele_partly_fit,
    "alex_nothing_open": alex_nothing_open,
    "alex_emergency_approved": alex_emergency_approved,
    "alex_checked_in": alex_checked_in,
}


# --- the walk -----------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def browser() -> AsyncIterator[object]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield chromium
        finally:
            await chromium.close()


async def open_chats(
    stack: contextlib.AsyncExitStack, chromium: Any, bot_url: str, logs: Path
) -> dict[str, Chat]:
    """Each persona's Playground (started in parallel) and chat page, side by side."""

    async def start(who: str, folder: str) -> str:
        return await stack.enter_async_context(
            playground(folder, bot_url, free_port(), logs / f"{who}.log")
        )

    async with asyncio.TaskGroup() as group:
        urls = {who: group.create_task(start(who, p[0])) for who, p in PERSONAS.items()}
    chats = {
        who: Chat(who, await chromium.new_page(viewport={"width": 1100, "height": 900}))
        for who in PERSONAS
    }
    for who, chat in chats.items():
        await chat.open(urls[who].result())
    for who, chat in chats.items():
        await chat.shot(f"00-{who}-open")
    return chats


async def test_the_main_flows_in_the_playground(tmp_path: Path) -> None:
    assert MISSING is None, MISSING
    started = time.monotonic()
    clock = FrozenClock(START)
    for old in SHOTS.glob("*.png") if SHOTS.exists() else []:
        old.unlink()
    async with contextlib.AsyncExitStack() as stack:
        bot = await stack.enter_async_context(demo_bot(tmp_path, clock))
        chromium = await stack.enter_async_context(browser())
        chats = await open_chats(stack, chromium, bot.url, tmp_path)
        setup = time.monotonic() - started
        walk = Walk(bot, clock, chats)
        for number, step in enumerate(WALK, start=1):
            await walk.step(number, step)
    print(
        f"\nPlayground walk: {len(walk.done)} steps in {time.monotonic() - walk.t0:.0f} s "
        f"(setup {setup:.0f} s), screenshots in {SHOTS}; pending (not built yet): "
        f"{walk.pending or 'none'}"
    )
    for name, timer in walk.timers.items():
        print(
            f"{name}: {timer['typed']:.0f} typed + {timer['taps']:.0f} tapped, "
            f"{timer['seconds']:.1f} s to the receipt"
        )
