"""One unit of work's repositories, all on the same session (one turn or one job)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.absences import AbsenceRepository, DialogStateRepository
from storage.access_export import AccessExportRepository
from storage.checkins import CheckInRepository, KudosRepository, NudgeRepository
from storage.followup_records import FollowUpRecordRepository
from storage.followups import AbsenceHistoryRepository, FollowUpRepository
from storage.insight import (
    AuditRepository,
    FiguresRepository,
    InsightRepository,
    PersonalDataRepository,
)
from storage.locks import Lock, try_lock
from storage.outbox import OutboxRepository
from storage.outlook import OutlookRecords
from storage.payroll import PayrollRepository
from storage.people import PeopleRepository, UnitRepository
from storage.privacy import ErasureRepository, RetentionRepository
from storage.teams import TeamsUserRepository


class Store:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self.people = PeopleRepository(session)
        self.units = UnitRepository(session)
        self.absences = AbsenceRepository(session)
        self.absence_history = AbsenceHistoryRepository(session)
        self.dialog_states = DialogStateRepository(session)
        self.followups = FollowUpRepository(session)
        self.followup_records = FollowUpRecordRepository(session)
        self.checkins = CheckInRepository(session)
        self.kudos = KudosRepository(session)
        self.nudges = NudgeRepository(session)
        self.insight = InsightRepository(session)
        self.figures = FiguresRepository(session)
        self.audit = AuditRepository(session)
        self.personal_data = PersonalDataRepository(session)
        self.access_export = AccessExportRepository(session)
        self.erasure = ErasureRepository(session)
        self.retention = RetentionRepository(session)
        self.outbox = OutboxRepository(session)
        self.outlook = OutlookRecords(session)
        self.payroll = PayrollRepository(session)
        self.teams_users = TeamsUserRepository(session)

    async def try_lock(self, lock: Lock) -> bool:
        return await try_lock(self._session, lock)
