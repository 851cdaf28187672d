"""Exchange rates into a team's base currency, and converting already-aggregated totals."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol, TypeVar

from babel.numbers import get_currency_precision, is_currency
from sqlalchemy import select

from storage import validation
from storage.actors import Actor
from storage.errors import Forbidden, InvalidInput, NotFound
from storage.models import ExchangeRate, Team
from storage.reports.totals import TotalsRow
from storage.uow import UnitOfWork

RATE_SCALE = 10**9
# Bounded so that rate × RATE_SCALE fits a BIGINT with room to spare.
MAX_RATE = Decimal(10**9)


@dataclass(frozen=True, slots=True)
class Rate:
    """One unit of ``currency`` is worth ``rate`` units of ``base``, from ``valid_from`` on."""

    currency: str
    base: str
    rate: Decimal
    valid_from: date


def _rate_of(row: ExchangeRate) -> Rate:
    return Rate(
        row.currency,
        row.base_currency,
        Decimal(row.rate_scaled) / RATE_SCALE,
        row.valid_from,
    )


async def set_rate(
    uow: UnitOfWork,
    actor: Actor | None,
    team_id: int,
    currency: str,
    rate: Decimal,
    valid_from: date,
) -> Rate:
    """Record what one unit of ``currency`` is worth in the team's currency from a date on.

    A second rate for the same currency and date replaces the first. ``actor`` is None
    on the command line, where the admin is trusted.

    Raises:
        Forbidden: the actor is not an admin. NotFound: no such team.
        InvalidInput: (``currency``, ``unknown`` | ``is_base``), (``rate``, ``out_of_range``).
    """
    if actor is not None and not actor.is_admin:
        raise Forbidden("set_rate")
    team = await uow.session.get(Team, team_id)
    if team is None:
        raise NotFound("teams", team_id)
    code = validation.currency(currency)
    if not is_currency(code):
        # Only ISO 4217 codes: a typo such as "XYZ" would otherwise become a currency.
        raise InvalidInput("currency", "unknown", value=currency)
    if code == team.currency:
        raise InvalidInput("currency", "is_base", currency=code)
    # NaN and infinity first: comparing a NaN Decimal raises instead of answering False.
    if not rate.is_finite() or not 0 < rate < MAX_RATE:
        raise InvalidInput("rate", "out_of_range", max=MAX_RATE)
    scaled = int((rate * RATE_SCALE).to_integral_value(ROUND_HALF_UP))
    if scaled <= 0:
        raise InvalidInput("rate", "out_of_range", max=MAX_RATE)
    statement = select(ExchangeRate).where(
        ExchangeRate.team_id == team.id,
        ExchangeRate.currency == code,
        ExchangeRate.valid_from == valid_from,
    )
    row = (await uow.session.execute(statement)).scalar_one_or_none()
    if row is None:
        row = ExchangeRate(team_id=team.id, currency=code, valid_from=valid_from)
        uow.session.add(row)
    row.base_currency = team.currency
    row.rate_scaled = scaled
    row.set_by_id = actor.id if actor is not None else None
    await uow.commit()
    return _rate_of(row)


async def current_rates(uow: UnitOfWork, team_id: int, on: date) -> list[Rate]:
    """Each currency's latest rate valid on ``on`` against the team's present base currency."""
    team = await uow.session.get(Team, team_id)
    if team is None:
        raise NotFound("teams", team_id)
    # A team has a handful of currencies and few rate changes: this table stays tiny.
    statement = (
        select(ExchangeRate)
        .where(
            ExchangeRate.team_id == team_id,
            ExchangeRate.base_currency == team.currency,
            ExchangeRate.valid_from <= on,
        )
        .order_by(ExchangeRate.currency, ExchangeRate.valid_from.desc())
    )
    latest: dict[str, Rate] = {}
    for row in (await uow.session.execute(statement)).scalars():
        latest.setdefault(row.currency, _rate_of(row))
    return list(latest.values())


@dataclass(frozen=True)
class Converter:
    """Turns an amount in minor units of a currency into minor units of the base currency."""

    base: str
    rates: dict[str, Rate] = field(default_factory=dict)

    def can_convert(self, currency: str) -> bool:
        return currency == self.base or currency in self.rates

    def convert(self, minor_units: int, currency: str) -> int | None:
        """The amount in the base currency's minor units, rounded half up; None without a rate."""
        if currency == self.base:
            return minor_units
        rate = self.rates.get(currency)
        if rate is None:
            return None
        units = Decimal(minor_units).scaleb(-get_currency_precision(currency)) * rate.rate
        base_minor = units.scaleb(get_currency_precision(self.base))
        return int(base_minor.to_integral_value(ROUND_HALF_UP))


async def converter(uow: UnitOfWork, team_id: int, on: date) -> Converter:
    team = await uow.session.get(Team, team_id)
    if team is None:
        raise NotFound("teams", team_id)
    rates = await current_rates(uow, team_id, on)
    return Converter(team.currency, {rate.currency: rate for rate in rates})


@dataclass(frozen=True, slots=True)
class CurrencyPart:
    """One currency's share of a group, in that currency; ``converted`` says if a rate exists."""

    currency: str
    count: int
    amount: int
    weighted: int
    converted: bool


@dataclass(frozen=True, slots=True)
class ConvertedGroup:
    """A group's totals in the base currency, with each currency's own amounts beside them.

    ``count`` counts every deal; ``amount`` and ``weighted`` add up only the currencies
    that have a rate, and ``unconverted`` names the ones that do not.
    """

    key: int | str | None
    label: str | None
    count: int
    amount: int
    weighted: int
    parts: tuple[CurrencyPart, ...]

    @property
    def unconverted(self) -> tuple[CurrencyPart, ...]:
        return tuple(part for part in self.parts if not part.converted)

    @property
    def unconverted_count(self) -> int:
        return sum(part.count for part in self.unconverted)


@dataclass(frozen=True, slots=True)
class Unconverted:
    """Deals a report counts but cannot add to its totals: their currency has no rate.

    ``amount`` is the sum of those deals' amounts, in minor units of ``currency``.
    """

    currency: str
    count: int
    amount: int
    # The rate the warning's /fx command suggests (see storage.fx_hints).
    suggested_rate: Decimal | None = None


def flag_unconverted(
    parts: Iterable[tuple[str, int, int]], conv: Converter
) -> tuple[Unconverted, ...]:
    """The one rule every report flags by: each (currency, deals, amount) share of the
    deals the report covers, summed per currency that has no rate, by currency code.

    Every report passes the per-currency sums of exactly the deals it counts, so two
    reports over the same deals flag the same deals with the same totals.
    """
    sums: dict[str, list[int]] = {}
    for currency, count, amount in parts:
        if conv.can_convert(currency) or not count:
            continue
        tally = sums.setdefault(currency, [0, 0])
        tally[0] += count
        tally[1] += amount
    return tuple(Unconverted(code, count, amount) for code, (count, amount) in sorted(sums.items()))


def _group(
    key: int | str | None, label: str | None, parts: Sequence[CurrencyPart], conv: Converter
) -> ConvertedGroup:
    amount = weighted = 0
    for part in parts:
        if part.converted:
            amount += conv.convert(part.amount, part.currency) or 0
            weighted += conv.convert(part.weighted, part.currency) or 0
    ordered = sorted(parts, key=lambda part: (part.currency != conv.base, part.currency))
    return ConvertedGroup(
        key, label, sum(part.count for part in parts), amount, weighted, tuple(ordered)
    )


def convert_totals(rows: Iterable[TotalsRow], conv: Converter) -> list[ConvertedGroup]:
    """Fold per-currency aggregate rows into one converted group per key, in row order.

    The rows are the database's GROUP BY output (a handful per group); no deal is
    loaded here.
    """
    order: dict[int | str | None, str | None] = {}
    parts: dict[int | str | None, list[CurrencyPart]] = {}
    for row in rows:
        order.setdefault(row.key, row.label)
        parts.setdefault(row.key, []).append(
            CurrencyPart(
                row.currency, row.count, row.amount, row.weighted, conv.can_convert(row.currency)
            )
        )
    return [_group(key, label, parts[key], conv) for key, label in order.items()]


class _InCurrency(Protocol):
    @property
    def currency(self) -> str: ...


PartT = TypeVar("PartT", bound=_InCurrency)


def parts_by_currency(parts: Iterable[PartT], base: str) -> list[tuple[str, list[PartT]]]:
    """The parts gathered per currency: ``base`` first, then the others alphabetically."""
    by_currency: dict[str, list[PartT]] = {}
    for part in parts:
        by_currency.setdefault(part.currency, []).append(part)
    return sorted(by_currency.items(), key=lambda item: (item[0] != base, item[0]))


def grand_total(groups: Iterable[ConvertedGroup], conv: Converter) -> ConvertedGroup:
    """The sum of the groups, so a table adds up to its total line."""
    groups = list(groups)
    parts = tuple(
        CurrencyPart(
            currency,
            sum(p.count for p in same),
            sum(p.amount for p in same),
            sum(p.weighted for p in same),
            same[0].converted,
        )
        for currency, same in parts_by_currency(
            (part for group in groups for part in group.parts), conv.base
        )
    )
    return ConvertedGroup(
        None,
        None,
        sum(g.count for g in groups),
        sum(g.amount for g in groups),
        sum(g.weighted for g in groups),
        parts,
    )
