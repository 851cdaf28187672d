"""A team's own lists: pipeline stages, lead sources, campaigns and products."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import (
    Base,
    created_at,
    currency_code,
    enum_column,
    intpk,
    money,
    short_text,
    team_fk,
)
from storage.models.enums import StageKind


class Stage(Base):
    __tablename__ = "stages"

    id: Mapped[intpk]
    team_id: Mapped[team_fk]
    position: Mapped[int]
    # Default stages carry a code so the bot can show them in the user's language.
    code: Mapped[str | None] = mapped_column(String(40))
    name: Mapped[short_text]
    probability: Mapped[int]
    kind: Mapped[StageKind] = mapped_column(enum_column(StageKind), default=StageKind.OPEN)

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


class Product(Base):
    __tablename__ = "products"

    id: Mapped[intpk]
    team_id: Mapped[team_fk]
    name: Mapped[short_text]
    unit_price: Mapped[money]
    currency: Mapped[currency_code]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
