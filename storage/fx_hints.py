"""A rate of the right order for /fx examples and hints: the stored one, else a typical one."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from functools import cache
from pathlib import Path

from sqlalchemy import select

from storage.fx import RATE_SCALE, Unconverted
from storage.models import ExchangeRate
from storage.uow import UnitOfWork

TYPICAL_RATES = Path(__file__).with_name("typical_rates.json")


@cache
def _per_usd() -> dict[str, Decimal]:
    data = json.loads(TYPICAL_RATES.read_text(encoding="utf-8"))
    return {code: Decimal(str(value)) for code, value in data.items() if not code.startswith("_")}


def _two_figures(value: Decimal) -> Decimal:
    """25,432 → 25,000 and 0.000712 → 0.00071: an example, not a quote."""
    if value >= 100:
        exponent = value.adjusted() - 1
        return Decimal(int(value.scaleb(-exponent).quantize(Decimal(1)).scaleb(exponent)))
    rounded = value.quantize(Decimal(1).scaleb(value.adjusted() - 1))
    return (
        rounded.quantize(Decimal(1))
        if rounded == rounded.to_integral_value()
        else rounded.normalize()
    )


def typical_rate(currency: str, base: str) -> Decimal | None:
    """What one unit of ``currency`` is roughly worth in ``base``; None if either is unknown."""
    per_usd = _per_usd()
    if currency not in per_usd or base not in per_usd or currency == base:
        return None
    return _two_figures(per_usd[base] / per_usd[currency])


def example_currency(base: str) -> str:
    """The foreign currency an example names: the dollar, or the euro for a dollar team."""
    return "EUR" if base == "USD" else "USD"


async def suggested_rate(uow: UnitOfWork, team_id: int, currency: str, base: str) -> Decimal:
    """The team's latest rate for ``currency`` (whatever its date), else a typical one,
    else 1: a hint must never name a rate of the wrong order."""
    statement = (
        select(ExchangeRate.rate_scaled)
        .where(
            ExchangeRate.team_id == team_id,
            ExchangeRate.currency == currency,
            ExchangeRate.base_currency == base,
        )
        .order_by(ExchangeRate.valid_from.desc())
        .limit(1)
    )
    stored = (await uow.session.execute(statement)).scalar_one_or_none()
    if stored is not None:
        rate = Decimal(stored) / RATE_SCALE
        return rate.quantize(Decimal(1)) if rate == rate.to_integral_value() else rate.normalize()
    return typical_rate(currency, base) or Decimal(1)


async def with_hints(
    uow: UnitOfWork, team_id: int, base: str, flags: tuple[Unconverted, ...]
) -> tuple[Unconverted, ...]:
    """The flags, each with the rate its warning's /fx command suggests."""
    hinted = []
    for flag in flags:
        rate = await suggested_rate(uow, team_id, flag.currency, base)
        hinted.append(replace(flag, suggested_rate=rate))
    return tuple(hinted)
