"""Manager views: the pipeline in the base currency, the weighted forecast, the win rate."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import case, func, select

from storage.actors import Actor
from storage.fx import (
    ConvertedGroup,
    Converter,
    Rate,
    Unconverted,
    convert_totals,
    converter,
    flag_unconverted,
    grand_total,
)
from storage.fx_hints import with_hints
from storage.models import Opportunity, Result, Stage
from storage.months import month_end, month_start
from storage.permissions import visible
from storage.reports.sums import joined, split_sum
from storage.reports.totals import GroupBy, Scope, TotalsRow, close_month, pipeline_totals
from storage.uow import UnitOfWork

FORECAST_MONTHS = 6


class Period(enum.StrEnum):
    """Which expected close dates a report covers, counted in the member's calendar."""

    MONTH = "m"
    QUARTER = "q"
    YEAR = "y"
    ALL = "a"


def period_bounds(period: Period, today: date) -> tuple[date | None, date | None]:
    """First and last close date of the period that contains ``today``; (None, None) for all."""
    if period is Period.MONTH:
        return month_start(today), month_end(today)
    if period is Period.QUARTER:
        first = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
        return first, month_end(first, 2)
    if period is Period.YEAR:
        return date(today.year, 1, 1), date(today.year, 12, 31)
    return None, None


def _used_rates(conv: Converter, total: ConvertedGroup) -> tuple[Rate, ...]:
    return tuple(conv.rates[p.currency] for p in total.parts if p.currency in conv.rates)


@dataclass(frozen=True)
class PipelineReport:
    """Open deals grouped by stage or by owner, in the base currency."""

    by: GroupBy
    base: str
    groups: list[ConvertedGroup]
    total: ConvertedGroup
    rates: tuple[Rate, ...]
    # Stage id -> code, so the bot can name default stages in the reader's language.
    stage_codes: dict[int, str | None]
    unconverted: tuple[Unconverted, ...] = ()


async def pipeline_report(
    uow: UnitOfWork,
    actor: Actor,
    *,
    today: date,
    by: GroupBy = GroupBy.STAGE,
    owner_id: int | None = None,
    period: Period = Period.ALL,
) -> PipelineReport:
    """Count, amount and weighted amount of open deals, per stage (or owner), converted.

    A rep's report covers their own deals, a manager's their team's (or one rep's with
    ``owner_id``). Each currency is summed by the database; only those per-currency sums
    are converted, with the rates valid ``today``.
    """
    close_from, close_to = period_bounds(period, today)
    scope = Scope(
        owner_id=owner_id, team_id=actor.team_id, close_from=close_from, close_to=close_to
    )
    rows = await pipeline_totals(uow, actor, by, scope)
    conv = await converter(uow, actor.team_id, today)
    groups = convert_totals(rows, conv)
    total = grand_total(groups, conv)
    codes: dict[int, str | None] = {}
    if by is GroupBy.STAGE:
        statement = select(Stage.id, Stage.code).where(Stage.team_id == actor.team_id)
        codes = {ident: code for ident, code in await uow.session.execute(statement)}
    flagged = await with_hints(uow, actor.team_id, conv.base, _flagged([total], conv))
    return PipelineReport(by, conv.base, groups, total, _used_rates(conv, total), codes, flagged)


def _flagged(groups: Sequence[ConvertedGroup], conv: Converter) -> tuple[Unconverted, ...]:
    return flag_unconverted(
        ((part.currency, part.count, part.amount) for group in groups for part in group.parts), conv
    )


@dataclass(frozen=True, slots=True)
class MonthTotal:
    month: date  # the first day of the month
    total: ConvertedGroup


@dataclass(frozen=True)
class Forecast:
    """Weighted open pipeline for the months ahead, closed-won for the months behind."""

    base: str
    ahead: list[MonthTotal]
    won: list[MonthTotal]
    overdue: ConvertedGroup
    won_count: int
    lost_count: int
    rates: tuple[Rate, ...]
    # Open deals expected after the months ahead: with overdue and ahead, the whole pipeline.
    beyond: ConvertedGroup = field(default_factory=lambda: ConvertedGroup(None, None, 0, 0, 0, ()))
    unconverted: tuple[Unconverted, ...] = ()

    @property
    def win_rate(self) -> float | None:
        """Won ÷ closed over the months behind; None while nothing closed."""
        closed = self.won_count + self.lost_count
        return self.won_count / closed if closed else None


async def _by_month(
    uow: UnitOfWork, actor: Actor, conditions: Sequence[Any], day: Any = Opportunity.close_date
) -> list[TotalsRow]:
    """Per month of ``day`` and currency: count, amount and weighted amount, in one statement."""
    month = close_month(day)
    statement = (
        select(
            month,
            Opportunity.currency,
            func.count(),
            *split_sum(Opportunity.amount, "amount"),
            *split_sum(Opportunity.amount * Opportunity.probability, "weighted"),
        )
        .where(visible(Opportunity, actor), Opportunity.team_id == actor.team_id, *conditions)
        .group_by(month, Opportunity.currency)
        .order_by(month, Opportunity.currency)
    )
    return [
        TotalsRow(
            row[0],
            row[0],
            row[1],
            int(row[2]),
            joined(row.amount_high, row.amount_low),
            (joined(row.weighted_high, row.weighted_low) + 50) // 100,
        )
        for row in await uow.session.execute(statement)
    ]


def _months(first: date, rows: list[TotalsRow], conv: Converter) -> list[MonthTotal]:
    groups = {group.key: group for group in convert_totals(rows, conv)}
    empty = ConvertedGroup(None, None, 0, 0, 0, ())
    result = []
    for offset in range(FORECAST_MONTHS):
        month = month_start(first, offset)
        result.append(MonthTotal(month, groups.get(f"{month:%Y-%m}", empty)))
    return result


async def forecast(
    uow: UnitOfWork, actor: Actor, *, today: date, owner_id: int | None = None
) -> Forecast:
    """The next six months' weighted pipeline by expected close month (this month first),
    the last six months' closed-won by the month each was won, and the win rate over
    the deals won or lost in those six.

    Open deals whose close date is already behind this month are reported apart as
    overdue, and those expected after the six months as beyond, rather than dropped.
    """
    owner = [Opportunity.owner_id == owner_id] if owner_id is not None else []
    this_month, past_first = month_start(today), month_start(today, 1 - FORECAST_MONTHS)
    is_open = Opportunity.result == Result.OPEN
    ahead_rows = await _by_month(
        uow,
        actor,
        [
            is_open,
            Opportunity.close_date >= this_month,
            Opportunity.close_date <= month_end(today, FORECAST_MONTHS - 1),
            *owner,
        ],
    )
    # Wins and losses count in the month they happened, not the month they were expected.
    past = [Opportunity.closed_on >= past_first, Opportunity.closed_on <= month_end(today)]
    won_rows = await _by_month(
        uow, actor, [Opportunity.result == Result.WON, *past, *owner], Opportunity.closed_on
    )
    overdue_rows = await _by_month(
        uow, actor, [is_open, Opportunity.close_date < this_month, *owner]
    )
    beyond_rows = await _by_month(
        uow,
        actor,
        [is_open, Opportunity.close_date > month_end(today, FORECAST_MONTHS - 1), *owner],
    )
    outcome = (
        select(
            func.sum(case((Opportunity.result == Result.WON, 1), else_=0)),
            func.sum(case((Opportunity.result == Result.LOST, 1), else_=0)),
        )
        .where(visible(Opportunity, actor), Opportunity.team_id == actor.team_id)
        .where(*past, *owner)
    )
    won_count, lost_count = (await uow.session.execute(outcome)).one()
    conv = await converter(uow, actor.team_id, today)
    overdue = grand_total(convert_totals(overdue_rows, conv), conv)
    beyond = grand_total(convert_totals(beyond_rows, conv), conv)
    ahead = _months(this_month, ahead_rows, conv)
    won = _months(past_first, won_rows, conv)
    shown = [overdue, beyond, *(m.total for m in ahead + won)]
    return Forecast(
        conv.base,
        ahead,
        won,
        overdue,
        int(won_count or 0),
        int(lost_count or 0),
        _used_rates(conv, grand_total(shown, conv)),
        beyond,
        await with_hints(uow, actor.team_id, conv.base, _flagged(shown, conv)),
    )
