"""The server's Graph jobs: the org sync every NAERVAER_ORG_SYNC_MINUTES (then, if asked, the
app installed for whoever lacks it). What is off, and why, is said once at start; a permission
Graph refuses is said once, naming the permission."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.graph.entra import EntraDirectory
from bot.graph.feed import tab_link, with_leader_feed
from bot.graph.outlook import GraphOutlook
from bot.graph.wiring import graph_client, sync_options
from bot.settings import Settings
from bot.texts import t
from scheduler.clock import Clock
from scheduler.outbox import Deliver
from services.app_install import AppInstalls
from services.directory import GraphRefused
from services.leader_feed import FeedSender
from services.org_sync import OrgSync
from services.outlook import OutlookWhileSick
from storage import db
from storage.org_import import OrgImportError

log = logging.getLogger("naervaer.graph")

PERMISSIONS = {
    "org-sync": "User.Read.All",
    "app-install": "TeamsAppInstallation.ReadWriteSelfForUser.All",
    "activity-feed": "TeamsActivity.Send",
    "outlook": "Calendars.ReadWrite and MailboxSettings.ReadWrite",
}


class GraphJobs:
    def __init__(self, settings: Settings, sessions: db.Sessions, clock: Clock) -> None:
        self.settings = settings
        self.client = graph_client(settings)
        self.sessions = sessions
        self.clock = clock
        self._refused: set[str] = set()
        self.feed_mode = settings.leader_notices if self.client is not None else "chat"
        self.feed = (
            FeedSender(
                sessions,
                EntraDirectory(self.client),
                clock,
                keep=timedelta(days=settings.retention_message_days),
            )
            if self.client is not None and self.feed_mode != "chat"
            else None
        )
        self._feed_task: asyncio.Task[None] | None = None
        self.outlook = self._outlook()

    def _outlook(self) -> OutlookWhileSick | None:
        mode = self.settings.outlook_while_sick
        if self.client is None or mode == "off":
            return None
        return OutlookWhileSick(
            self.sessions,
            GraphOutlook(self.client, self.settings.timezone),
            self.clock,
            ZoneInfo(self.settings.timezone),
            t,
            default_on=mode == "opt-out",
            default_locale=self.settings.default_locale,
        )

    def jobs(self) -> list[tuple[str, timedelta, Callable[[], Awaitable[None]]]]:
        """The Graph jobs to schedule; what is off, and why, is said here, once."""
        if self.client is None:
            log.info("Microsoft Graph not configured: org sync, app install and feed are off")
            if self.settings.leader_notices != "chat":
                log.warning("NAERVAER_LEADER_NOTICES needs Graph: leaders' notices stay in chat")
            return []
        jobs: list[tuple[str, timedelta, Callable[[], Awaitable[None]]]] = []
        if self.feed is not None:
            jobs.append(
                ("leader-feed", timedelta(seconds=self.settings.tick_seconds), self.send_feed)
            )
        if self.outlook is not None:  # reconciles what Outlook shows with who is away now
            jobs.append(
                ("outlook", timedelta(seconds=self.settings.tick_seconds), self.show_in_outlook)
            )
        minutes = self.settings.org_sync_minutes
        if not minutes:
            log.info("org sync from Entra ID is off (NAERVAER_ORG_SYNC_MINUTES=0)")
            return jobs
        if self.settings.org_sync_install and not self.settings.teams_app_catalog_id:
            log.warning("app install after org sync is off: NAERVAER_TEAMS_APP_CATALOG_ID unset")
        return [*jobs, ("org-sync", timedelta(minutes=minutes), self.sync)]

    def feed_delivery(self, deliver: Deliver) -> Deliver:
        """The outbox's delivery, with leaders' notices kept for the feed as configured."""
        link = tab_link(self.settings)
        return with_leader_feed(
            deliver, self.feed_mode, self.sessions, self.clock, link, self.wake_feed
        )

    def wake_feed(self) -> None:
        """Send what is due now rather than at the next tick (the tick catches any missed)."""
        if self._feed_task is None or self._feed_task.done():
            self._feed_task = asyncio.get_running_loop().create_task(self.send_feed())

    async def send_feed(self) -> None:
        if self.feed is None:
            return
        try:
            while await self.feed.send_due():
                pass
        except GraphRefused as refused:
            self._say_refused("activity-feed", refused)

    async def sync(self) -> None:
        assert self.client is not None
        directory = EntraDirectory(self.client)
        org = OrgSync(self.sessions, directory, sync_options(self.settings), self.clock)
        try:
            await org.run()
        except OrgImportError as error:
            # The problems name people; the command shows them to an operator.
            log.error(
                "org sync refused, nothing changed: %s problems (see `naervaer org sync --dry-run`)",
                len(error.problems),
            )
            return
        except GraphRefused as refused:
            self._say_refused("org-sync", refused)
            return
        app_id = self.settings.teams_app_catalog_id
        if self.settings.org_sync_install and app_id:
            try:
                await AppInstalls(self.sessions, directory, app_id, self.clock).run()
            except GraphRefused as refused:
                self._say_refused("app-install", refused)

    def _say_refused(self, feature: str, refused: GraphRefused) -> None:
        if refused.status == 403 and feature not in self._refused:
            self._refused.add(feature)
            log.error("%s: Graph refused (403); grant %s", feature, PERMISSIONS[feature])
        elif refused.status != 403:
            log.warning("%s: Graph answered %s %s", feature, refused.status, refused.code)

    async def show_in_outlook(self) -> None:
        if self.outlook is None:
            return
        try:
            await self.outlook.reconcile()
        except GraphRefused as refused:
            self._say_refused("outlook", refused)

    async def close(self) -> None:
        if self._feed_task is not None:
            await asyncio.gather(self._feed_task, return_exceptions=True)
        if self.client is not None:
            await self.client.close()
