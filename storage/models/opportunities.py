"""Opportunities with their product lines, activities and stage history."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import (
    NEVER_REUSED_IDS,
    Base,
    created_at,
    currency_code,
    enum_column,
    intpk,
    money,
    short_text,
    user_fk,
)
from storage.models.enums import ActivityKind, DealType, Rating, Result
from storage.types import UTCDateTime, utcnow


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
    result: Mapped[Result] = mapped_column(enum_column(Result), default=Result.OPEN)
    lost_reason: Mapped[str | None] = mapped_column(String(500))
    rating: Mapped[Rating | None] = mapped_column(enum_column(Rating))
    deal_type: Mapped[DealType | None] = mapped_column(enum_column(DealType))
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
    kind: Mapped[ActivityKind] = mapped_column(enum_column(ActivityKind))
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
