"""Teams, their members and invitations."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    String,
    Time,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import (
    Base,
    created_at,
    currency_code,
    enum_column,
    intpk,
    short_text,
    team_fk,
)
from storage.models.enums import Role
from storage.types import UTCDateTime


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
    role: Mapped[Role] = mapped_column(enum_column(Role), default=Role.REP)
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
    role: Mapped[Role] = mapped_column(enum_column(Role))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    uses_left: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[created_at]
