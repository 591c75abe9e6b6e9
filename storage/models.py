"""The tables. Only facts we are allowed to keep: never a cause or diagnosis of absence."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# The domain's own words live in rules/; the tables store them.
from rules.absence_kinds import AbsenceKind as AbsenceKind
from rules.absence_kinds import AbsenceStatus as AbsenceStatus
from rules.access import Role as Role
from rules.checkin import Colour as Colour

# Explicit constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (which has no zones) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use the clock")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, datetime: UTCDateTime}  # noqa: RUF012


class EmploymentStatus(enum.StrEnum):
    ACTIVE = "active"
    LEFT = "left"


class ReachStatus(enum.StrEnum):
    ACTIVE = "active"
    BLOCKED = "blocked"
    UNINSTALLED = "uninstalled"


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNREACHABLE = "unreachable"


def _enum(cls: type[enum.Enum]) -> Enum:
    # Plain strings in the database: readable, and no PostgreSQL ENUM types to migrate.
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), index=True)
    # Who gets a sick report when an employee has no leader (issue 4 falls back to HR after).
    fallback_contact_id: Mapped[str | None] = mapped_column(String(100))
    # The follow-up policy (a file in policies/); None inherits the parent unit's.
    policy_id: Mapped[str | None] = mapped_column(String(50))
    # Daily check-in: the unit's time (None: the installation's default) and whether answers
    # are shown with names (the default, and staff are told) or only as anonymous aggregates.
    checkin_time: Mapped[time | None] = mapped_column(Time)
    checkin_anonymous: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Team day colour (Varde): absent people that make a yellow day, percent absent that makes
    # a red day, what the team drops on such days, and whether the morning message names who.
    day_yellow_absent: Mapped[int | None] = mapped_column(Integer)
    day_red_percent: Mapped[int | None] = mapped_column(Integer)
    day_yellow_drops: Mapped[str | None] = mapped_column(Text)
    day_red_drops: Mapped[str | None] = mapped_column(Text)
    day_names: Mapped[bool] = mapped_column(default=False, server_default=false())
    day_colour_on: Mapped[date | None] = mapped_column(Date)  # the last morning it was sent
    # Måltal: the sick-absence percent the unit aims at (Varde 4.5, Viborg 4), on its charts.
    target_percent: Mapped[float | None] = mapped_column(Float)


class Employee(Base):
    __tablename__ = "employees"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    aad_object_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    leader_id: Mapped[str | None] = mapped_column(ForeignKey("employees.id"), index=True)
    # The deputy of *this* person as a leader (stedfortræder), optionally only for a period.
    deputy_id: Mapped[str | None] = mapped_column(ForeignKey("employees.id"))
    deputy_from: Mapped[date | None] = mapped_column(Date)
    deputy_to: Mapped[date | None] = mapped_column(Date)
    role: Mapped[Role] = mapped_column(_enum(Role), default=Role.EMPLOYEE)
    locale: Mapped[str | None] = mapped_column(String(20))
    # ISO weekday numbers as a string, "12345" = Monday to Friday.
    workdays: Mapped[str] = mapped_column(String(7), default="12345")
    checkin_time: Mapped[time | None] = mapped_column(Time)
    start_date: Mapped[date | None] = mapped_column(Date)
    fte: Mapped[float] = mapped_column(Float, default=1.0)
    status: Mapped[EmploymentStatus] = mapped_column(
        _enum(EmploymentStatus), default=EmploymentStatus.ACTIVE
    )
    left_on: Mapped[date | None] = mapped_column(Date)
    # A leader's choice: one daily digest of follow-ups instead of a card for each.
    followup_digest: Mapped[bool] = mapped_column(default=False, server_default=false())
    # A leader's own morning for follow-up reminders; None means the installation's default.
    followup_morning: Mapped[time | None] = mapped_column(Time)
    # The person's own choices about the daily check-in.
    checkin_stopped: Mapped[bool] = mapped_column(default=False, server_default=false())
    checkin_paused_until: Mapped[date | None] = mapped_column(Date)
    checkin_pause_offered_on: Mapped[date | None] = mapped_column(Date)
    # Prompts since the last answer: after 10, one question whether to pause.
    checkin_unanswered: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    checkin_digest_on: Mapped[date | None] = mapped_column(Date)
    # A leader's: when the day's check-in digest comes, and a ping at once for a red answer.
    checkin_digest_time: Mapped[time | None] = mapped_column(Time)
    checkin_red_ping: Mapped[bool] = mapped_column(default=False, server_default=false())


class TeamsUser(Base):
    """How to reach one Teams user: the conversation reference, kept fresh on every activity."""

    __tablename__ = "teams_users"
    __table_args__ = (UniqueConstraint("tenant_id", "teams_user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    teams_user_id: Mapped[str] = mapped_column(String(200))
    tenant_id: Mapped[str] = mapped_column(String(64), default="")
    aad_object_id: Mapped[str | None] = mapped_column(String(64), index=True)
    employee_id: Mapped[str | None] = mapped_column(ForeignKey("employees.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    service_url: Mapped[str] = mapped_column(String(500))
    channel_id: Mapped[str] = mapped_column(String(50), default="msteams")
    bot_id: Mapped[str | None] = mapped_column(String(200))
    conversation_id: Mapped[str | None] = mapped_column(String(500))
    locale: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[ReachStatus] = mapped_column(_enum(ReachStatus), default=ReachStatus.ACTIVE)
    status_reason: Mapped[str | None] = mapped_column(String(200))
    last_seen: Mapped[datetime]


class OutboxMessage(Base):
    """Everything the bot sends on its own initiative, stored before it is sent."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    recipient_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), index=True)
    payload: Mapped[dict[str, Any]]
    # When set, the payload replaces an earlier message (card updated in place).
    replaces_key: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[OutboxStatus] = mapped_column(_enum(OutboxStatus), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    activity_id: Mapped[str | None] = mapped_column(String(200))
    conversation_id: Mapped[str | None] = mapped_column(String(500))


class OutboxSenderBeat(Base):
    """A live outbox sender. Teams' limit is per app, so replicas count each other and share it."""

    __tablename__ = "outbox_senders"

    worker: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime]


class ProcessedActivity(Base):
    """Teams re-sends an activity it thinks timed out; this remembers what we already handled."""

    __tablename__ = "processed_activities"

    conversation_id: Mapped[str] = mapped_column(String(500), primary_key=True)
    activity_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(index=True)


class Absence(Base):
    """One absence period. Never a cause: illness is private, absence is shared."""

    __tablename__ = "absences"
    __table_args__ = (Index("ix_absences_employee_first_day", "employee_id", "first_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    kind: Mapped[AbsenceKind] = mapped_column(_enum(AbsenceKind))
    status: Mapped[AbsenceStatus] = mapped_column(_enum(AbsenceStatus))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date | None] = mapped_column(Date)
    expected_return: Mapped[date | None] = mapped_column(Date)
    going_home_sick: Mapped[bool] = mapped_column(default=False)
    # Partial periods: either hours per week off work or a percentage of normal hours off.
    partial_hours_off: Mapped[float | None] = mapped_column(Float)
    partial_percent_off: Mapped[int | None] = mapped_column(Integer)
    work_injury: Mapped[bool] = mapped_column(default=False)
    # An akutdag is paid with vacation, omsorgsdag or afspadsering; never a reason.
    paid_with: Mapped[str | None] = mapped_column(String(20))
    reported_by: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    channel: Mapped[str] = mapped_column(String(20))
    # Seen only by the people the report was routed to.
    note: Mapped[str | None] = mapped_column(Text)
    routed_to: Mapped[str | None] = mapped_column(ForeignKey("employees.id"))
    routed_as: Mapped[str | None] = mapped_column(String(20))
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[str | None] = mapped_column(String(100))
    # A double click or Teams' re-send carries the same key: one period, not two.
    source_key: Mapped[str] = mapped_column(String(300), unique=True)
    created_at: Mapped[datetime]


class AbsenceEvent(Base):
    """Routing, acknowledgement and action history of one absence period."""

    __tablename__ = "absence_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    absence_id: Mapped[int] = mapped_column(ForeignKey("absences.id"), index=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[str | None] = mapped_column(String(100))
    detail: Mapped[dict[str, Any]]


class DialogState(Base):
    """Where one person is in a conversation, so a restart or a second replica loses nothing."""

    __tablename__ = "dialog_states"

    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), primary_key=True)
    dialog: Mapped[str] = mapped_column(String(40))
    state: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]


class FollowUpStatus(enum.StrEnum):
    OPEN = "open"
    HELD = "held"
    SNOOZED = "snoozed"
    DISMISSED = "dismissed"


class FollowUpRecord(Base):
    """A follow-up the policy produced for one employee, and what the leader did about it."""

    __tablename__ = "followups"
    __table_args__ = (Index("ix_followups_status_due", "status", "due_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # employee:policy:rule:occurrence — evaluating again never makes a second one.
    key: Mapped[str] = mapped_column(String(300), unique=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), index=True)
    policy_id: Mapped[str] = mapped_column(String(50))
    rule_id: Mapped[str] = mapped_column(String(80))
    rule_kind: Mapped[str] = mapped_column(String(30))
    occurrence: Mapped[str] = mapped_column(String(40))
    due_on: Mapped[date] = mapped_column(Date)
    deadline_on: Mapped[date] = mapped_column(Date)
    recipient: Mapped[str] = mapped_column(String(10))
    guide: Mapped[str] = mapped_column(String(30))
    why: Mapped[dict[str, Any]]
    guidance: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    advis_employee: Mapped[bool] = mapped_column(default=False)
    status: Mapped[FollowUpStatus] = mapped_column(
        _enum(FollowUpStatus), default=FollowUpStatus.OPEN
    )
    snoozed_until: Mapped[date | None] = mapped_column(Date)
    held_on: Mapped[date | None] = mapped_column(Date)
    # Written by the leader for the leader; never shown to anyone else, never in summaries.
    private_note: Mapped[str | None] = mapped_column(Text)
    dismissed_reason: Mapped[str | None] = mapped_column(Text)
    acted_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]
    reminded_at: Mapped[datetime | None]
    reminded_to: Mapped[str | None] = mapped_column(String(100))
    overdue_reminded_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    employee_advised_at: Mapped[datetime | None]


class CheckInStatus(enum.StrEnum):
    PROMPTED = "prompted"
    ANSWERED = "answered"
    SKIPPED = "skipped"  # the day was decided against a prompt (absent, too late): never again


class CheckIn(Base):
    """One person's working day: asked once, answered (or not), maybe changed the same day."""

    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("employee_id", "day"),
        Index("ix_checkins_unit_day", "unit_id", "day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    # The unit on that day: figures stay where they belonged when someone moves.
    unit_id: Mapped[str] = mapped_column(String(100))
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[CheckInStatus] = mapped_column(_enum(CheckInStatus))
    # The unit's mode when asked: an answer given anonymously stays anonymous for good.
    anonymous: Mapped[bool] = mapped_column(default=False)
    colour: Mapped[Colour | None] = mapped_column(_enum(Colour))
    comment: Mapped[str | None] = mapped_column(Text)
    to_green: Mapped[str | None] = mapped_column(Text)
    prompted_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    # The leader saw it (one click) or answered the comment.
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[str | None] = mapped_column(String(100))
    reply: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[datetime | None]


class Kudos(Base):
    """A skulderklap from one colleague to another."""

    __tablename__ = "kudos"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sender_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), index=True)
    recipient_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    tell_leader: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]


class Nudge(Base):
    """An early warning sent to a leader; remembered so the same one is not repeated for a week."""

    __tablename__ = "nudges"
    __table_args__ = (Index("ix_nudges_leader_subject", "leader_id", "subject_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    leader_id: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    # An employee id (a person's streak) or a unit id (a team's swing).
    subject_id: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    sent_on: Mapped[date] = mapped_column(Date)


class UnitMonth(Base):
    """One unit's sick-absence figures for one month (its own staff, not the units below),
    computed each night from the absence periods: what the Organisation page and exports read."""

    __tablename__ = "unit_months"

    unit_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # the 1st
    lost_days: Mapped[float] = mapped_column(Float)  # dagsværk lost to sickness, FTE-weighted
    planned_days: Mapped[float] = mapped_column(Float)  # dagsværk planned, FTE-weighted
    # Sick periods that began this month, by length (seed 000's 0-9, 10-29, 30+ days).
    periods_short: Mapped[int] = mapped_column(Integer)
    periods_medium: Mapped[int] = mapped_column(Integer)
    periods_long: Mapped[int] = mapped_column(Integer)
    staff: Mapped[int] = mapped_column(Integer)
    fte: Mapped[float] = mapped_column(Float)
    computed_at: Mapped[datetime]


class AuditEntry(Base):
    """Who looked at whose individual data, what and when; HR reads it."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_id: Mapped[str] = mapped_column(String(100))
    subject_id: Mapped[str] = mapped_column(String(100), index=True)
    what: Mapped[str] = mapped_column(String(40))


class CheckInMonth(Base):
    """Check-in totals per unit and month: what is left of individual answers after retention
    (and of an erased person's answers), so figures over time stay right."""

    __tablename__ = "checkin_months"

    unit_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    green: Mapped[int] = mapped_column(Integer, default=0)
    yellow: Mapped[int] = mapped_column(Integer, default=0)
    red: Mapped[int] = mapped_column(Integer, default=0)


class RetentionRun(Base):
    """The days the retention job ran: once a day, whichever process gets there first."""

    __tablename__ = "retention_runs"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    at: Mapped[datetime]
