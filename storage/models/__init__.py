"""The tables, one module per aggregate. Only facts we are allowed to keep: never a cause or
diagnosis of absence. Everything is re-exported here, so `from storage.models import X` works."""

# The domain's own words live in rules/; the tables store them.
from rules.absence_kinds import AbsenceKind, AbsenceStatus
from rules.access import Role
from rules.checkin import Colour
from storage.models.absences import Absence, AbsenceEvent, DialogState
from storage.models.base import Base, UTCDateTime
from storage.models.checkins import CheckIn, CheckInMonth, CheckInStatus, Kudos, Nudge
from storage.models.figures import AuditEntry, RetentionRun, UnitMonth, UnitTotal
from storage.models.followup_watch import FollowUpRun, FollowUpWatch
from storage.models.followups import FollowUpRecord, FollowUpStatus
from storage.models.graph import (
    AppInstall,
    DirectorySync,
    DirectoryUser,
    FeedNotice,
    OutlookAbsence,
    OutlookChoice,
)
from storage.models.outbox import OutboxMessage, OutboxSenderBeat, OutboxStatus, ProcessedActivity
from storage.models.payroll import PayrollHandoff, PayrollImport, PayrollRun
from storage.models.people import Employee, EmploymentStatus, ReachStatus, TeamsUser, Unit

__all__ = [
    "Absence",
    "AbsenceEvent",
    "AbsenceKind",
    "AbsenceStatus",
    "AppInstall",
    "AuditEntry",
    "Base",
    "CheckIn",
    "CheckInMonth",
    "CheckInStatus",
    "Colour",
    "DialogState",
    "DirectorySync",
    "DirectoryUser",
    "Employee",
    "EmploymentStatus",
    "FeedNotice",
    "FollowUpRecord",
    "FollowUpRun",
    "FollowUpStatus",
    "FollowUpWatch",
    "Kudos",
    "Nudge",
    "OutboxMessage",
    "OutboxSenderBeat",
    "OutboxStatus",
    "OutlookAbsence",
    "OutlookChoice",
    "PayrollHandoff",
    "PayrollImport",
    "PayrollRun",
    "ProcessedActivity",
    "ReachStatus",
    "RetentionRun",
    "Role",
    "TeamsUser",
    "UTCDateTime",
    "Unit",
    "UnitMonth",
    "UnitTotal",
]
