"""People and places: units, employees and their Teams addresses."""

from __future__ import annotations

import enum
from datetime import date, datetime, time

from sqlalchemy import (
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from rules.access import Role
from storage.models.base import Base, enum_type


class EmploymentStatus(enum.StrEnum):
    ACTIVE = "active"
    LEFT = "left"


class ReachStatus(enum.StrEnum):
    ACTIVE = "active"
    BLOCKED = "blocked"
    UNINSTALLED = "uninstalled"


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), index=True)
    # Who gets a sick report when an employee has no leader (issue 4 falls back to HR after).
    fallback_contact_id: Mapped[str | None] = mapped_column(String(100))
    # Who plans the unit's shifts: told that someone is absent and until when, never why.
    planner_id: Mapped[str | None] = mapped_column(String(100))
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
    role: Mapped[Role] = mapped_column(enum_type(Role), default=Role.EMPLOYEE)
    locale: Mapped[str | None] = mapped_column(String(20))
    # ISO weekday numbers as a string, "12345" = Monday to Friday.
    workdays: Mapped[str] = mapped_column(String(7), default="12345")
    checkin_time: Mapped[time | None] = mapped_column(Time)
    start_date: Mapped[date | None] = mapped_column(Date)
    fte: Mapped[float] = mapped_column(Float, default=1.0)
    status: Mapped[EmploymentStatus] = mapped_column(
        enum_type(EmploymentStatus), default=EmploymentStatus.ACTIVE
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
    status: Mapped[ReachStatus] = mapped_column(enum_type(ReachStatus), default=ReachStatus.ACTIVE)
    status_reason: Mapped[str | None] = mapped_column(String(200))
    last_seen: Mapped[datetime]
