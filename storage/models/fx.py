"""Exchange rates into a team's base currency."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import (
    Base,
    created_at,
    currency_code,
    intpk,
    team_fk,
)


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
