"""Install the Teams app for everyone who lacks it (issue 19): `naervaer teams install` and an
option on the org sync. A proactive message reaches only people with the app; once installed,
Teams sends the bot its installationUpdate and the welcome follows as for a manual install.

Who lacks it: active people with an Entra object id, no working Teams address and no install
recorded. Graph's 409 (already installed) counts as done; throttling is waited out by the
client; a few installs run at once, well inside Graph's per-app limits."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from scheduler.clock import Clock
from services.directory import AppInstaller, GraphRefused
from storage import db
from storage.graph import Installs

log = logging.getLogger("naervaer.app_install")

AT_ONCE = 8


@dataclass
class InstallResult:
    lacking: int = 0
    installed: int = 0
    already: int = 0
    failed: dict[str, str] = field(default_factory=dict)  # object id -> Graph's answer
    dry_run: bool = False

    def summary(self) -> str:
        if self.dry_run:
            return f"Dry run: would install the Teams app for {self.lacking} people."
        text = (
            f"Teams app: {self.installed} installed, {self.already} had it already, "
            f"{len(self.failed)} failed (of {self.lacking} without it)."
        )
        return text


class AppInstalls:
    def __init__(
        self, sessions: db.Sessions, installer: AppInstaller, app_id: str, clock: Clock
    ) -> None:
        self.sessions = sessions
        self.installer = installer
        self.app_id = app_id
        self.clock = clock

    async def run(self, *, dry_run: bool = False) -> InstallResult:
        async with self.sessions() as session:
            lacking = await Installs(session).lacking(self.app_id)
        result = InstallResult(lacking=len(lacking), dry_run=dry_run)
        if dry_run or not lacking:
            return result
        gate = asyncio.Semaphore(AT_ONCE)

        async def install(user_id: str) -> None:
            async with gate:
                try:
                    fresh = await self.installer.install_app(user_id, self.app_id)
                except GraphRefused as refused:
                    result.failed[user_id] = str(refused)
                    return
            if fresh:
                result.installed += 1
            else:
                result.already += 1

        await asyncio.gather(*(install(user_id) for user_id in lacking))
        done = [user_id for user_id in lacking if user_id not in result.failed]
        async with self.sessions.begin() as session:
            await Installs(session).record(done, self.app_id, self.clock.now())
        log.info("app install: %s", result.summary())
        return result
