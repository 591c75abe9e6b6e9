"""One unit of work (a turn or a job run): its repositories, its moment, the configuration,
and the notifier and org chart every feature composes."""

from __future__ import annotations

from datetime import date, datetime

from rules.calendar import WorkCalendar
from services.config import Config
from services.notifier import Notifier, Renderer
from services.org import OrgChart
from storage.models import Employee
from storage.store import Store


class Work:
    def __init__(self, store: Store, now: datetime, config: Config, render: Renderer) -> None:
        self.store = store
        self.now = now
        self.config = config
        self.notifier = Notifier(store, now, config.default_locale, render)
        self.org = OrgChart(store, self.today)

    @property
    def today(self) -> date:
        return self.now.astimezone(self.config.timezone).date()

    @property
    def enqueued(self) -> int:
        return self.notifier.enqueued

    def calendar(self, employee: Employee | None) -> WorkCalendar:
        """A person's working days (Monday to Friday when unknown) with Danish holidays."""
        return WorkCalendar(employee.workdays if employee else "12345", self.config.timezone)
