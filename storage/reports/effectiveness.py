"""Campaign and lead-source effectiveness: deals, wins, win rate, open pipeline, converted."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select

from storage.actors import Actor
from storage.fx import (
    Converter,
    Rate,
    Unconverted,
    converter,
    flag_unconverted,
    parts_by_currency,
)
from storage.fx_hints import with_hints
from storage.models import Campaign, Opportunity, Result, Source
from storage.permissions import visible
from storage.reports.forecast import Period, period_bounds
from storage.reports.sums import joined, split_sum
from storage.uow import UnitOfWork


class Dimension(enum.StrEnum):
    CAMPAIGN = "campaign"
    SOURCE = "source"


@dataclass(frozen=True, slots=True)
class EffectPart:
    """One currency's won and open amounts within a campaign or source, in that currency."""

    currency: str
    opportunities: int
    won_amount: int
    open_amount: int
    converted: bool
    # Every deal's amount, lost ones included: what a flagged currency leaves out.
    amount: int = 0


@dataclass(frozen=True)
class EffectGroup:
    """One campaign (or source): counts over every deal, amounts in the base currency."""

    key: int | None
    name: str | None
    code: str | None
    opportunities: int
    won: int
    lost: int
    won_amount: int
    open_amount: int
    parts: tuple[EffectPart, ...]

    @property
    def win_rate(self) -> float | None:
        """Won ÷ closed; None while nothing is closed."""
        closed = self.won + self.lost
        return self.won / closed if closed else None

    @property
    def unconverted(self) -> tuple[EffectPart, ...]:
        return tuple(part for part in self.parts if not part.converted)


@dataclass(frozen=True)
class EffectReport:
    dimension: Dimension
    base: str
    groups: list[EffectGroup]
    total: EffectGroup
    rates: tuple[Rate, ...]
    unconverted: tuple[Unconverted, ...] = ()


def _group(
    key: int | None,
    name: str | None,
    code: str | None,
    counts: list[int],
    parts: list[EffectPart],
    conv: Converter,
) -> EffectGroup:
    won_amount = sum(conv.convert(p.won_amount, p.currency) or 0 for p in parts if p.converted)
    open_amount = sum(conv.convert(p.open_amount, p.currency) or 0 for p in parts if p.converted)
    ordered = tuple(sorted(parts, key=lambda p: (p.currency != conv.base, p.currency)))
    deals, won, lost = counts
    return EffectGroup(key, name, code, deals, won, lost, won_amount, open_amount, ordered)


async def effectiveness(
    uow: UnitOfWork,
    actor: Actor,
    dimension: Dimension,
    *,
    today: date,
    period: Period = Period.ALL,
) -> EffectReport:
    """Per campaign (or lead source): deals, won count and value, lost, win rate and open
    pipeline, counted by the database per currency and converted to the base currency.

    Deals without a campaign (source) form one group with ``key`` None. A rep's report
    covers their own deals, a manager's their team's.
    """
    model = Campaign if dimension is Dimension.CAMPAIGN else Source
    column = Opportunity.campaign_id if dimension is Dimension.CAMPAIGN else Opportunity.source_id
    # Default sources carry a code so the bot can name them in the reader's language.
    labels = (model.name, Source.code) if dimension is Dimension.SOURCE else (model.name,)
    is_won = Opportunity.result == Result.WON
    is_open = Opportunity.result == Result.OPEN
    statement = (
        select(
            column,
            *labels,
            Opportunity.currency,
            func.count(),
            func.sum(case((is_won, 1), else_=0)),
            func.sum(case((Opportunity.result == Result.LOST, 1), else_=0)),
            *split_sum(case((is_won, Opportunity.amount), else_=0), "won"),
            *split_sum(case((is_open, Opportunity.amount), else_=0), "open"),
            *split_sum(Opportunity.amount, "amount"),
        )
        .outerjoin(model, model.id == column)
        .where(visible(Opportunity, actor), Opportunity.team_id == actor.team_id)
        .group_by(column, *labels, Opportunity.currency)
        .order_by(model.name, Opportunity.currency)
    )
    close_from, close_to = period_bounds(period, today)
    # Open deals belong to the period they are expected in, closed ones to the day they
    # were won or lost.
    day = case(
        (Opportunity.result == Result.OPEN, Opportunity.close_date),
        else_=func.coalesce(Opportunity.closed_on, Opportunity.close_date),
    )
    if close_from is not None:
        statement = statement.where(day >= close_from)
    if close_to is not None:
        statement = statement.where(day <= close_to)
    conv = await converter(uow, actor.team_id, today)
    order: dict[int | None, tuple[str | None, str | None]] = {}
    counts: dict[int | None, list[int]] = {}
    parts: dict[int | None, list[EffectPart]] = {}
    for row in await uow.session.execute(statement):
        key, name = row[0], row[1]
        currency, deals, won, lost = row[-10:-6]
        won_amount, open_amount = joined(*row[-6:-4]), joined(*row[-4:-2])
        amount = joined(*row[-2:])
        order.setdefault(key, (name, row[2] if dimension is Dimension.SOURCE else None))
        tally = counts.setdefault(key, [0, 0, 0])
        tally[0] += int(deals)
        tally[1] += int(won or 0)
        tally[2] += int(lost or 0)
        parts.setdefault(key, []).append(
            EffectPart(
                currency,
                int(deals),
                won_amount,
                open_amount,
                conv.can_convert(currency),
                amount,
            )
        )
    groups = [
        _group(key, name, src_code, counts[key], parts[key], conv)
        for key, (name, src_code) in order.items()
    ]
    # Deals with no campaign (source) come last, after the named ones.
    groups.sort(key=lambda group: group.key is None)
    total_parts = tuple(
        EffectPart(
            currency,
            sum(p.opportunities for p in same),
            sum(p.won_amount for p in same),
            sum(p.open_amount for p in same),
            same[0].converted,
            sum(p.amount for p in same),
        )
        for currency, same in parts_by_currency(
            (part for group in groups for part in group.parts), conv.base
        )
    )
    # The total is the sum of the groups as shown, so the table adds up to it.
    total = EffectGroup(
        None,
        None,
        None,
        sum(g.opportunities for g in groups),
        sum(g.won for g in groups),
        sum(g.lost for g in groups),
        sum(g.won_amount for g in groups),
        sum(g.open_amount for g in groups),
        total_parts,
    )
    used = tuple(conv.rates[p.currency] for p in total.parts if p.currency in conv.rates)
    flagged = flag_unconverted(
        ((part.currency, part.opportunities, part.amount) for part in total.parts), conv
    )
    flagged = await with_hints(uow, actor.team_id, conv.base, flagged)
    return EffectReport(dimension, conv.base, groups, total, used, flagged)
