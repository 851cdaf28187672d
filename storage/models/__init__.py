"""SQLAlchemy models of the CRM domain."""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import Annotated, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import UTCDateTime, utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

intpk = Annotated[int, mapped_column(primary_key=True)]
# Numbers users see and buttons carry: a deleted row's id must never name a new one
# (PostgreSQL sequences never go back; SQLite needs AUTOINCREMENT for that).
NEVER_REUSED_IDS = {"sqlite_autoincrement": True}
created_at = Annotated[datetime, mapped_column(UTCDateTime(), default=utcnow)]
team_fk = Annotated[int, mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)]
user_fk = Annotated[int, mapped_column(ForeignKey("users.id"))]
# Money is a count of minor units: SQLite stores Numeric as a float and loses digits.
money = Annotated[int, mapped_column(BigInteger, default=0)]
currency_code = Annotated[str, mapped_column(String(3))]
short_text = Annotated[str, mapped_column(String(200))]


def _enum(cls: type[enum.Enum]) -> Enum:
    # Stored as plain strings so that adding a member needs no PostgreSQL ALTER TYPE.
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} id={getattr(self, 'id', None)!r}>"


class Role(enum.StrEnum):
    REP = "rep"
    MANAGER = "manager"
    ADMIN = "admin"


class StageKind(enum.StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class Result(enum.StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class Rating(enum.StrEnum):
    COLD = "cold"
    WARM = "warm"
    HOT = "hot"


class DealType(enum.StrEnum):
    NEW_CUSTOMER = "new_customer"
    EXISTING_CUSTOMER = "existing_customer"


class LeadStatus(enum.StrEnum):
    NEW = "new"
    WORKING = "working"
    CONVERTED = "converted"
    DISQUALIFIED = "disqualified"


class ActivityKind(enum.StrEnum):
    CALL = "call"
    MEETING = "meeting"
    NOTE = "note"


class OutboxStatus(enum.StrEnum):
    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"
    # Nothing to say (quiet mode, or the deal closed meanwhile): done, nothing sent.
    SKIPPED = "skipped"


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[intpk]
    name: Mapped[short_text]
    currency: Mapped[currency_code] = mapped_column(default="VND")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Ho_Chi_Minh")
    language: Mapped[str] = mapped_column(String(8), default="vi")
    stale_days: Mapped[int] = mapped_column(default=14)
    # Days before the close date on which a reminder goes out, e.g. "7,1,0".
    reminder_offsets: Mapped[str] = mapped_column(String(40), default="7,1,0")
    group_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[created_at]


class User(Base):
    __tablename__ = "users"

    id: Mapped[intpk]
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    name: Mapped[short_text]
    role: Mapped[Role] = mapped_column(_enum(Role), default=Role.REP)
    team_id: Mapped[team_fk]
    language: Mapped[str | None] = mapped_column(String(8))
    timezone: Mapped[str | None] = mapped_column(String(64))
    digest_time: Mapped[time] = mapped_column(Time, default=time(8, 0))
    # ISO weekdays (1 = Monday) on which the digest is sent.
    digest_days: Mapped[str] = mapped_column(String(20), default="1,2,3,4,5")
    digest_only_when_due: Mapped[bool] = mapped_column(Boolean, default=False)
    gregorian_years: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[created_at]

    team: Mapped[Team] = relationship(lazy="raise")


class Invite(Base):
    __tablename__ = "invites"

    id: Mapped[intpk]
    code: Mapped[str] = mapped_column(String(40), unique=True)
    team_id: Mapped[team_fk]
    role: Mapped[Role] = mapped_column(_enum(Role))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    uses_left: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[created_at]


class Stage(Base):
    __tablename__ = "stages"

    id: Mapped[intpk]
    team_id: Mapped[team_fk]
    position: Mapped[int]
    # Default stages carry a code so the bot can show them in the user's language.
    code: Mapped[str | None] = mapped_column(String(40))
    name: Mapped[short_text]
    probability: Mapped[int]
    kind: Mapped[StageKind] = mapped_column(_enum(StageKind), default=StageKind.OPEN)

    __table_args__ = (CheckConstraint("probability BETWEEN 0 AND 100", name="probability"),)


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[intpk]
    team_id: Mapped[team_fk]
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str | None] = mapped_column(String(40))
    name: Mapped[short_text]


class Campaign(Base):
    __tablename__ = "campaigns"

    id: Mapped[intpk]
    team_id: Mapped[team_fk]
    name: Mapped[short_text]
    search_name: Mapped[short_text] = mapped_column(index=True)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[created_at]


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[intpk]
    team_id: Mapped[team_fk]
    owner_id: Mapped[user_fk] = mapped_column(index=True)
    name: Mapped[short_text]
    search_name: Mapped[short_text]
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[created_at]

    __table_args__ = (
        Index("ix_accounts_team_search", "team_id", "search_name"),
        NEVER_REUSED_IDS,
    )


class Contact(Base):
    __tablename__ = "contacts"

    id: Mapped[intpk]
    team_id: Mapped[team_fk]
    owner_id: Mapped[user_fk] = mapped_column(index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    name: Mapped[short_text]
    search_name: Mapped[short_text]
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[created_at]

    __table_args__ = (
        Index("ix_contacts_team_phone", "team_id", "phone"),
        Index("ix_contacts_team_email", "team_id", "email"),
        NEVER_REUSED_IDS,
    )


class Lead(Base):
    __tablename__ = "leads"
    __table_args__ = NEVER_REUSED_IDS

    id: Mapped[intpk]
    team_id: Mapped[team_fk]
    owner_id: Mapped[user_fk] = mapped_column(index=True)
    person_name: Mapped[short_text]
    company_name: Mapped[str | None] = mapped_column(String(200))
    search_name: Mapped[str] = mapped_column(String(420))
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"))
    status: Mapped[LeadStatus] = mapped_column(_enum(LeadStatus), default=LeadStatus.NEW)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    created_at: Mapped[created_at]


class Product(Base):
    __tablename__ = "products"

    id: Mapped[intpk]
    team_id: Mapped[team_fk]
    name: Mapped[short_text]
    unit_price: Mapped[money]
    currency: Mapped[currency_code]
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Opportunity(Base):
    __tablename__ = "opportunities"

    id: Mapped[intpk]
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    owner_id: Mapped[user_fk]
    name: Mapped[short_text]
    search_name: Mapped[short_text]
    amount: Mapped[money]
    currency: Mapped[currency_code]
    close_date: Mapped[date] = mapped_column(Date)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))
    probability: Mapped[int]
    probability_overridden: Mapped[bool] = mapped_column(Boolean, default=False)
    result: Mapped[Result] = mapped_column(_enum(Result), default=Result.OPEN)
    lost_reason: Mapped[str | None] = mapped_column(String(500))
    rating: Mapped[Rating | None] = mapped_column(_enum(Rating))
    deal_type: Mapped[DealType | None] = mapped_column(_enum(DealType))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[created_at]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    stage_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The day it was won or lost in the team's time zone: wins are counted by it, not by
    # the close date the rep expected.
    closed_on: Mapped[date | None] = mapped_column(Date)

    lines: Mapped[list[OpportunityLine]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="OpportunityLine.id"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it as is
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint("probability BETWEEN 0 AND 100", name="probability"),
        # Covering indexes for the pipeline totals and the "my deals by close date" lists.
        Index(
            "ix_opps_team_pipeline",
            "team_id",
            "result",
            "stage_id",
            "currency",
            "amount",
            "probability",
        ),
        Index("ix_opps_owner_close", "owner_id", "result", "close_date"),
        Index("ix_opps_team_close", "team_id", "result", "close_date"),
        # The digest's stuck deals: open deals by how long since their last stage change.
        Index("ix_opps_team_stale", "team_id", "result", "stage_changed_at"),
        # Wins and losses by the month they happened in.
        Index("ix_opps_team_closed_on", "team_id", "result", "closed_on"),
        NEVER_REUSED_IDS,
    )

    @property
    def expected_revenue(self) -> int:
        """Amount weighted by probability, in minor units, rounded half up."""
        return (self.amount * self.probability + 50) // 100


class OpportunityLine(Base):
    __tablename__ = "opportunity_lines"

    id: Mapped[intpk]
    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunities.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int]
    unit_price: Mapped[money]

    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
    )


class Activity(Base):
    __tablename__ = "activities"

    id: Mapped[intpk]
    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunities.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[user_fk]
    kind: Mapped[ActivityKind] = mapped_column(_enum(ActivityKind))
    text: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class StageChange(Base):
    __tablename__ = "stage_changes"

    id: Mapped[intpk]
    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunities.id", ondelete="CASCADE"), index=True
    )
    from_stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id"))
    to_stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))
    changed_by_id: Mapped[user_fk]
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    amount: Mapped[money]
    currency: Mapped[currency_code]
    probability: Mapped[int]


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


class OutboxEntry(Base):
    """A scheduled sending, claimed before it is sent so it goes out once."""

    __tablename__ = "outbox"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(60), default="")
    local_date: Mapped[date] = mapped_column(Date)
    status: Mapped[OutboxStatus] = mapped_column(_enum(OutboxStatus), default=OutboxStatus.CLAIMED)
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


class ExchangeRate(Base):
    """What one unit of ``currency`` is worth in the team's base currency, from a date on."""

    __tablename__ = "exchange_rates"

    id: Mapped[intpk]
    team_id: Mapped[team_fk]
    currency: Mapped[currency_code]
    # The base the rate was set against: a rate is ignored once the team's currency changes.
    base_currency: Mapped[currency_code]
    # Base units per unit × 10^9 (storage.fx.RATE_SCALE): SQLite would round a Numeric.
    rate_scaled: Mapped[int] = mapped_column(BigInteger)
    valid_from: Mapped[date] = mapped_column(Date)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[created_at]

    __table_args__ = (
        UniqueConstraint("team_id", "currency", "valid_from"),
        CheckConstraint("rate_scaled > 0", name="rate_positive"),
    )


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
    state: Mapped[InboxState] = mapped_column(_enum(InboxState), default=InboxState.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_inbox_state_order", "state", "order_key", "id"),)
