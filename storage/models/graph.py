"""What naervaer keeps for Entra ID and Graph (issue 19): a mirror of the directory's users,
where each incremental read (delta) left off, to whom the app was installed, the activity feed's
notices and what Outlook shows while someone is away.

People and periods are named by id without a foreign key: these rows are working state that
their own jobs clear (sent notices after the message retention, settled Outlook periods), and
they must never stand in the way of erasing a person or a period."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class DirectoryUser(Base):
    """One Entra user as the last read left them: their Graph properties by Graph name, the
    manager's object id under "manager". Someone disabled keeps only what the tree needs (their
    manager, so people below them reach the next leader up)."""

    __tablename__ = "directory_users"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the Entra object id
    data: Mapped[dict[str, Any]]


class DirectorySync(Base):
    """Where the last read of one delta feed ended (its @odata.deltaLink) and what it selected:
    a delta link only carries on the same $select."""

    __tablename__ = "directory_sync"

    feed: Mapped[str] = mapped_column(String(50), primary_key=True)
    delta_link: Mapped[str] = mapped_column(Text)
    selected: Mapped[str] = mapped_column(String(500))
    synced_at: Mapped[datetime]


class AppInstall(Base):
    """The Teams app installed for a person through Graph (or found already there)."""

    __tablename__ = "app_installs"

    aad_object_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    app_id: Mapped[str] = mapped_column(String(100))
    installed_at: Mapped[datetime]


class FeedNotice(Base):
    """A notice for a leader's Teams activity feed (NAERVAER_LEADER_NOTICES=feed|both), stored
    before it is sent, once per outbox message it stands for (the same key)."""

    __tablename__ = "feed_notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    notice_key: Mapped[str] = mapped_column(String(200), unique=True)
    recipient_id: Mapped[str] = mapped_column(String(100), index=True)
    notification: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    tries: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime]
    sent_on: Mapped[datetime | None]
    problem: Mapped[str | None] = mapped_column(Text)


class OutlookChoice(Base):
    """A person's own word on Outlook while sick (NAERVAER_OUTLOOK_WHILE_SICK): on or off."""

    __tablename__ = "outlook_choices"

    employee_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    enabled: Mapped[bool]
    chosen_at: Mapped[datetime]


class OutlookAbsence(Base):
    """What the person's Outlook shows for one absence period: the all-day "Fraværende" event
    (shown as out of office) through `shown_until`, and automatic replies until `replies_until`
    (None: off). The job makes it match the period; `done` once the period is over and it does."""

    __tablename__ = "outlook_absences"

    absence_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[str] = mapped_column(String(100), index=True)
    event_id: Mapped[str | None] = mapped_column(String(300))
    shown_until: Mapped[date | None] = mapped_column(Date)
    replies_until: Mapped[date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(default=False)
    tries: Mapped[int] = mapped_column(Integer, default=0)
    problem: Mapped[str | None] = mapped_column(Text)
