"""The organisation from Entra ID (issue 19): `naervaer org sync` and the scheduled job.

A run reads users/delta (everything the first time, or when the stored link has expired or the
selected properties changed; else the changes since the stored @odata.deltaLink), brings the
mirror up to date, turns the whole mirror into an organisation file (services.org_plan) and
applies it with the CSV import's code. The mirror, the feed's new link and the organisation are
written in one transaction: a problem (a manager cycle, an unknown leader) changes nothing,
and the next run reads the same changes again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from scheduler.clock import Clock
from services.directory import USER_PROPERTIES, DeltaExpired, Directory, UserChange, UserChanges
from services.org_plan import NO_OVERRIDES, Overrides, org_plan, parse_overrides, plan_changes
from storage import db
from storage.graph import Directory as Mirror
from storage.graph import Rollback, transaction, try_sync_lock
from storage.org_import import ImportReport, apply_org, read_org_text

log = logging.getLogger("naervaer.org_sync")


@dataclass(frozen=True)
class SyncOptions:
    timezone: ZoneInfo
    unit_attribute: str = "department"
    default_unit: str = "Uden afdeling"
    overrides: Path | None = None
    policies: Iterable[str] | None = None

    @property
    def select(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*USER_PROPERTIES, self.unit_attribute)))


@dataclass(frozen=True)
class SyncResult:
    full: bool
    users_changed: int
    report: ImportReport
    dry_run: bool = False
    busy: bool = False  # another process was syncing; this run did nothing
    changes: tuple[str, ...] = ()  # one line per change, for a dry run

    def summary(self) -> str:
        if self.busy:
            return "Another org sync is running; nothing done."
        if not self.full and not self.users_changed:
            return "Entra ID: no changes since the last sync."
        read = "full read" if self.full else "changes since the last sync"
        prefix = "Dry run, nothing changed. Would apply: " if self.dry_run else ""
        summary = f"Entra ID ({read}): {self.users_changed} users. {prefix}{self.report.summary()}"
        return "\n".join((summary, *self.changes))


def merge(users: dict[str, dict[str, Any]], changes: Sequence[UserChange]) -> dict[str, Any]:
    """Apply the feed's changes to the mirror in place; returns what changed (None: gone).
    Someone disabled keeps only their manager, so people below them reach the next leader up."""
    changed: dict[str, dict[str, Any] | None] = {}
    for change in changes:
        if change.removed:
            users.pop(change.id, None)
            changed[change.id] = None
            continue
        data = {**users.get(change.id, {}), **change.data}
        if data.get("accountEnabled") is False:
            data = {"accountEnabled": False, "manager": data.get("manager")}
        users[change.id] = changed[change.id] = data
    return changed


class OrgSync:
    def __init__(
        self, sessions: db.Sessions, directory: Directory, options: SyncOptions, clock: Clock
    ) -> None:
        self.sessions = sessions
        self.directory = directory
        self.options = options
        self.clock = clock

    async def run(self, *, dry_run: bool = False) -> SyncResult:
        """One sync; raises OrgImportError (nothing changed) when Entra's tree does not hold."""
        overrides = await self._overrides()
        changes = await self._read()
        today = self.clock.now().astimezone(self.options.timezone).date()

        async def work(session: db.Session) -> SyncResult:
            if not await try_sync_lock(session):
                return SyncResult(changes.full, 0, ImportReport(), dry_run, busy=True)
            result = await self._apply(Mirror(session), changes, overrides, today, dry_run)
            if dry_run:
                raise Rollback(result)
            return result

        result = await transaction(self.sessions, work)
        log.info("org sync: %s", result.summary())
        return result

    async def _overrides(self) -> Overrides:
        path = self.options.overrides
        if path is None:
            return NO_OVERRIDES
        return parse_overrides(await asyncio.to_thread(read_org_text, path))

    async def _read(self) -> UserChanges:
        select = self.options.select
        async with self.sessions() as session:
            feed = await Mirror(session).feed()
        link = feed.delta_link if feed is not None and feed.selected == ",".join(select) else None
        try:
            return await self.directory.user_changes(link, select)
        except DeltaExpired:
            log.info("org sync: the delta link has expired; reading everything again")
            return await self.directory.user_changes(None, select)

    async def _apply(
        self,
        mirror: Mirror,
        changes: UserChanges,
        overrides: Overrides,
        today: date,
        dry_run: bool = False,
    ) -> SyncResult:
        if not changes.full and not changes.users:
            # Nothing moved in Entra (most scheduled runs): no need to check the whole tree.
            await mirror.save({}, **self._feed(changes))
            return SyncResult(False, 0, ImportReport(), dry_run)
        users = {} if changes.full else await mirror.users()
        changed = merge(users, changes.users)
        plan = org_plan(
            users,
            overrides,
            await mirror.employee_ids(),
            attribute=self.options.unit_attribute,
            default_unit=self.options.default_unit,
            policies=self.options.policies,
        )
        listed = plan_changes(await mirror.people(), plan) if dry_run else []
        report = await apply_org(mirror.session, plan, today)
        saved: Mapping[str, dict[str, Any] | None] = users if changes.full else changed
        await mirror.save(saved, **self._feed(changes))
        return SyncResult(changes.full, len(changes.users), report, dry_run, False, tuple(listed))

    def _feed(self, changes: UserChanges) -> dict[str, Any]:
        return {
            "replace_all": changes.full,
            "delta_link": changes.delta_link,
            "selected": ",".join(self.options.select),
            "now": self.clock.now(),
        }
