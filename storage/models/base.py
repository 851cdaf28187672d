"""The declarative base, naming convention and column shapes every model shares."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated

from sqlalchemy import (
    BigInteger,
    Enum,
    ForeignKey,
    MetaData,
    String,
)
from sqlalchemy.orm import DeclarativeBase, mapped_column

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


def enum_column(cls: type[enum.Enum]) -> Enum:
    # Stored as plain strings so that adding a member needs no PostgreSQL ALTER TYPE.
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} id={getattr(self, 'id', None)!r}>"
