"""Rows that make writes safe and sendings reliable: audit, keys, outbox, drafts, inbox."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import (
    Base,
    created_at,
    enum_column,
    intpk,
    team_fk,
    user_fk,
)
from storage.types import UTCDateTime, utcnow


class AuditEntry(Base):
    """Append-only: who changed which field of what, from what to what."""

    __tablename__ = "audit_log"

    id: Mapped[intpk]
    team_id: Mapped[team_fk]
    user_id: Mapped[user_fk]
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int]
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)


class ProcessedKey(Base):
    """An idempotency key already used, and what the write it guarded produced."""

    __tablename__ = "processed_keys"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    entity: Mapped[str | None] = mapped_column(String(40))
    entity_id: Mapped[int | None]
    created_at: Mapped[created_at]


class OutboxStatus(enum.StrEnum):
    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"
    # Nothing to say (quiet mode, or the deal closed meanwhile): done, nothing sent.
    SKIPPED = "skipped"


class OutboxEntry(Base):
    """A scheduled sending, claimed before it is sent so it goes out once."""

    __tablename__ = "outbox"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(60), default="")
    local_date: Mapped[date] = mapped_column(Date)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus), default=OutboxStatus.CLAIMED
    )
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # How many leading messages of a sending in several parts (a long digest) went out:
    # a retry sends only the rest.
    parts_sent: Mapped[int] = mapped_column(default=0, server_default="0")

    __table_args__ = (UniqueConstraint("user_id", "kind", "subject", "local_date"),)


class Draft(Base):
    """A conversation's partial input and current step, written with every answer."""

    __tablename__ = "drafts"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    flow: Mapped[str] = mapped_column(String(40))
    step: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expiry_notified: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (UniqueConstraint("user_id", "flow"),)


class InboxState(enum.StrEnum):
    PENDING = "pending"
    ANSWERED = "answered"  # a reply reached the chat; handling had not finished
    DONE = "done"
    DROPPED = "dropped"


class InboxUpdate(Base):
    """An update from Telegram, stored before Telegram is told it arrived.

    ``key`` is the update's idempotency key (bot and update id): the processed key
    written in the same transaction as an update's effects says they happened, and
    ``state`` says whether handling (replies included) finished.
    """

    __tablename__ = "inbox"

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(120), unique=True)
    update_id: Mapped[int] = mapped_column(BigInteger)
    # The user (else chat) whose updates must be handled one after another.
    order_key: Mapped[int] = mapped_column(BigInteger, default=0)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[InboxState] = mapped_column(enum_column(InboxState), default=InboxState.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_inbox_state_order", "state", "order_key", "id"),)
