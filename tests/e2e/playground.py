"""The Microsoft 365 Agents Playground as a person's Teams, driven through its web page.

One Playground process per persona (manifest/playground/<persona>/), each on its own port,
started from the pinned install in manifest/playground/node_modules (`make install`). A Chat is
one persona's open chat page in Chromium: it types, presses buttons by their visible title and
reads what naervaer answered, as the page shows it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.texts import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
PLAYGROUND = ROOT / "manifest" / "playground"
CLI = PLAYGROUND / "node_modules" / "@microsoft" / "m365agentsplayground" / "cli.js"
CHROMIUM = Path("/usr/bin/chromium")
NODE = shutil.which("node")
SHOTS = ROOT / "out" / "playground"
WAIT = 15.0  # seconds for an answer; a turn takes well under one here

# Every bot message in the page, in order: its whole text, and whether it is a card.
_MESSAGES = """() => [...document.querySelectorAll('.fai-OutputCard')].map((e) => ({
  text: e.innerText.trim(),
  card: !!e.querySelector('.ac-adaptiveCard'),
}))"""

_ELSEWHERE = re.compile(r"^https?://(?!127\.0\.0\.1[:/]|localhost[:/])")

# What naervaer says when it refuses something a person pressed or typed: the literal part of
# each text (placeholders cut away), in both languages. A key another change removed is skipped.
REFUSAL_KEYS = (
    "internal_error",
    "not_understood",
    "not_understood_card",
    "not_allowed",
    "bad_date",
    "fit_day_after_start",
    "fit_until_again",
    "sick_return_again",
    "emergency_again",
    "already_done",
    "date_empty",
    "fit_until_empty",
    "sick_quick_again",
    "ledger_not_yours",
    "ledger_withdraw_too_late",
    "ledger_undo_too_late",
    "ledger_partial_amount_bad",
    "ledger_pick_first_day",
    "ledger_pick_return",
    "ledger_leader_nothing_to_do",
    "ledger_no_emergency_on_sick",
)


def _fragment(template: str) -> str:
    """The longest literal run of a text template, as the page shows it (no markdown)."""
    parts = re.split(r"\{\w+\}", template.replace("**", ""))
    return max((p.strip(' "“”.—') for p in parts), key=len)


def refusals() -> dict[str, str]:
    found = {}
    for texts in LANGUAGES.values():
        for key in REFUSAL_KEYS:
            if key in texts:
                found[_fragment(texts[key])] = key
    return {fragment: key for fragment, key in found.items() if len(fragment) >= 10}


def missing_tools() -> str | None:
    """Why the walk cannot run here, or None."""
    if NODE is None:
        return "Node.js missing (the Playground is an npm package)"
    if not CLI.exists():
        return f"{CLI.relative_to(ROOT)} missing: `make install` installs the pinned Playground"
    if not CHROMIUM.exists():
        return "Chromium missing: `make test` installs it (apt-get install chromium)"
    return None


@contextlib.asynccontextmanager
async def playground(persona: str, bot_url: str, port: int, log: Path) -> AsyncIterator[str]:
    """The real Playground for one persona, until the block ends; yields its page address."""
    env = {
        **os.environ,
        "TEAMSAPPTESTER_BROWSER": "none",
        "TEAMSAPPTESTER_PORT": str(port),
        "M365_AGENTS_PLAYGROUND_LOGFILE": str(log),
    }
    process = await asyncio.create_subprocess_exec(
        str(NODE),
        str(CLI),
        *("-e", f"{bot_url}/api/messages", "-c", "msteams", "--dt", "-p", str(port)),
        cwd=PLAYGROUND / persona,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), 30)
        assert b"Listening on" in line, f"the Playground did not start: {line!r}"
        yield f"http://127.0.0.1:{port}"
    finally:
        if process.returncode is None:
            process.terminate()
        await process.wait()


@dataclass
class Message:
    text: str
    card: bool


@dataclass
class Chat:
    """One persona's chat page: what it typed and pressed, and what naervaer answered."""

    persona: str
    page: Any
    taps: int = 0  # buttons pressed
    typed: int = 0  # messages typed and sent
    # What the chat showed before the current step: answers are what is new or changed since.
    before: list[Message] = field(default_factory=list)

    async def messages(self) -> list[Message]:
        return [Message(**m) for m in await self.page.evaluate(_MESSAGES)]

    async def open(self, url: str) -> None:
        # Offline as CI is: the page's web fonts from a CDN are refused at once, not looked up.
        await self.page.route(_ELSEWHERE, lambda route: route.abort())
        await self.page.goto(url, wait_until="domcontentloaded")
        await self.page.locator("[role=textbox][contenteditable=true]").first.wait_for()
        # Opening the page installs the app: the welcome and the help card come by themselves.
        self.before = []
        await self.wait_for(["naervaer"])
        self.before = await self.settle()

    async def settle(self, quiet: float = 0.8) -> list[Message]:
        """The messages once nothing new has come for `quiet` seconds (a turn may answer twice)."""
        last, stable = await self.messages(), time.monotonic()
        while time.monotonic() - stable < quiet:
            await asyncio.sleep(0.1)
            now = await self.messages()
            if now != last:
                last, stable = now, time.monotonic()
        return last

    async def say(self, text: str) -> None:
        box = self.page.locator("[role=textbox][contenteditable=true]").first
        await box.click()
        await self.page.keyboard.type(text)
        await self.page.keyboard.press("Enter")
        self.typed += 1

    async def press(self, title: str, within: str | None = None) -> None:
        """The newest visible button with exactly this title (on a card holding `within`)."""
        cards = self.page.locator(".fai-OutputCard .ac-adaptiveCard")
        for index in reversed(range(await cards.count())):
            card = cards.nth(index)
            if within and within not in await card.inner_text():
                continue
            buttons = card.get_by_role("button", name=title, exact=True)
            for n in reversed(range(await buttons.count())):
                if await buttons.nth(n).is_visible():
                    await buttons.nth(n).click()
                    self.taps += 1
                    return
        offered = await self.page.locator(
            ".fai-OutputCard .ac-adaptiveCard button"
        ).all_inner_texts()
        raise AssertionError(f"{self.persona}: no button {title!r}; offered: {offered[-12:]}")

    async def fill(self, label: str, value: str) -> None:
        """The newest visible input whose placeholder or label is `label` ("date": a date field)."""
        if label == "date":
            await self.page.locator(".ac-adaptiveCard input[type=date]").last.fill(value)
            return
        field_ = self.page.locator(
            f'.ac-adaptiveCard input[placeholder="{label}"], '
            f'.ac-adaptiveCard textarea[placeholder="{label}"], '
            f'.ac-adaptiveCard input[aria-label="{label}"], '
            f'.ac-adaptiveCard textarea[aria-label="{label}"]'
        )
        await field_.last.fill(value)
        # The unfolded card grows below the chat's fold; the screenshot should show the field.
        await field_.last.evaluate("(e) => e.closest('.ac-adaptiveCard').scrollIntoView(false)")

    def fresh(self, now: list[Message], since: list[Message]) -> list[Message]:
        """Messages that are new, or changed in place (a card updated after a press)."""
        return [m for i, m in enumerate(now) if i >= len(since) or since[i] != m]

    async def wait_for(self, expect: list[str]) -> list[Message]:
        """New or changed bot messages, once every expected text is among them."""
        before = self.before
        end = time.monotonic() + WAIT
        while True:
            fresh = self.fresh(await self.messages(), before)
            text = "\n".join(m.text for m in fresh)
            if fresh and all(e in text for e in expect):
                return fresh
            if refused(fresh):
                raise AssertionError(
                    f"{self.persona}: refused while waiting for {expect}: {refused(fresh)}"
                )
            if time.monotonic() > end:
                got = [m.text[:200] for m in fresh] or "nothing new"
                raise AssertionError(f"{self.persona}: waited for {expect}, got {got}")
            await asyncio.sleep(0.1)

    async def shot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        await self.page.screenshot(path=str(path))
        return path


def refused(messages: list[Message]) -> list[str]:
    """The refusals among these messages, by text key, with the words that gave them away."""
    found = refusals()
    return [
        f"{key}: {m.text[:160]!r}"
        for m in messages
        for fragment, key in found.items()
        if fragment in m.text
    ]


async def broken_cards(page: Any) -> list[str]:
    """Cards the Playground could not render: an error in place of the card, or nothing."""
    return await page.evaluate(
        """() => [...document.querySelectorAll('.fai-OutputCard')]
          .filter((e) => e.innerText.trim() === ''
             || /Unable to render|not supported|render error|Error rendering/i.test(e.innerText))
          .map((e) => e.innerText.trim().slice(0, 160) || '(empty message)')"""
    )
