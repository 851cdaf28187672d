"""Accounts, contacts and leads: who the team sells to."""

from __future__ import annotations

from sqlalchemy import (
    ForeignKey,
    Index,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import (
    NEVER_REUSED_IDS,
    Base,
    created_at,
    enum_column,
    intpk,
    short_text,
    team_fk,
    user_fk,
)
from storage.models.enums import LeadStatus


class _Party:
    """The columns a company and a person share: a team's, found by name, reachable."""

    id: Mapped[intpk]
    team_id: Mapped[team_fk]
    owner_id: Mapped[user_fk] = mapped_column(index=True)
    name: Mapped[short_text]
    search_name: Mapped[short_text]
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[created_at]


class Account(_Party, Base):
    __tablename__ = "accounts"

    __table_args__ = (
        Index("ix_accounts_team_search", "team_id", "search_name"),
        NEVER_REUSED_IDS,
    )


class Contact(_Party, Base):
    __tablename__ = "contacts"

    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)

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
    status: Mapped[LeadStatus] = mapped_column(enum_column(LeadStatus), default=LeadStatus.NEW)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    created_at: Mapped[created_at]
