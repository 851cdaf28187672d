"""Aggregates for managers: pipeline totals and campaign effectiveness, computed in SQL."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, String, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction

from storage.actors import Actor
from storage.models import Campaign, Opportunity, Result, Stage, Team, User
from storage.permissions import visible
from storage.reports.sums import joined, split_sum
from storage.uow import UnitOfWork


class close_month(GenericFunction[str]):
    """``YYYY-MM`` of a date, spelled the way each database knows."""

    type = String()
    inherit_cache = True


@compiles(close_month, "sqlite")
def _close_month_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


@compiles(close_month, "postgresql")
def _close_month_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


class GroupBy(enum.StrEnum):
    STAGE = "stage"
    OWNER = "owner"
    CAMPAIGN = "campaign"
    MONTH = "month"


@dataclass(frozen=True, slots=True)
class TotalsRow:
    """One group's totals in one currency; ``weighted`` is amount × probability."""

    key: int | str | None
    label: str | None
    currency: str
    count: int
    amount: int
    weighted: int


@dataclass(frozen=True, slots=True)
class Scope:
    """Which deals a report covers, within what the actor may see."""

    owner_id: int | None = None
    team_id: int | None = None
    close_from: date | None = None
    close_to: date | None = None
    open_only: bool = True


def in_scope(scope: Scope) -> list[ColumnElement[bool]]:
    """The WHERE clauses of ``scope`` alone, for a caller that checks visibility itself."""
    clauses = []
    if scope.owner_id is not None:
        clauses.append(Opportunity.owner_id == scope.owner_id)
    if scope.team_id is not None:
        clauses.append(Opportunity.team_id == scope.team_id)
    if scope.close_from is not None:
        clauses.append(Opportunity.close_date >= scope.close_from)
    if scope.close_to is not None:
        clauses.append(Opportunity.close_date <= scope.close_to)
    if scope.open_only:
        clauses.append(Opportunity.result == Result.OPEN)
    return clauses


def _scoped(statement: Any, actor: Actor, scope: Scope) -> Any:
    return statement.where(visible(Opportunity, actor), *in_scope(scope))


async def pipeline_totals(
    uow: UnitOfWork, actor: Actor, group_by: GroupBy, scope: Scope | None = None
) -> list[TotalsRow]:
    """Count, amount and weighted amount per group and currency, in one statement.

    A rep's totals cover their own deals, a manager's their team's, an admin's all.
    """
    scope = scope or Scope()
    measures = _measures()
    if group_by is GroupBy.STAGE:
        # Summed from the covering index alone, in its own order (team, result, stage,
        # currency) so the groups stream without a sort; then added up per stage and
        # joined to the few stages: joining first would look a stage up for every deal.
        index_order = (
            Opportunity.team_id,
            Opportunity.result,
            Opportunity.stage_id,
            Opportunity.currency,
        )
        summed = _scoped(select(*index_order, *measures), actor, scope)
        if actor.is_admin and scope.team_id is None:
            # Team by team: each one is then a range of the index, not a scan of all of it.
            summed = summed.where(Opportunity.team_id.in_(select(Team.id)))
        sums = summed.group_by(*index_order).subquery("sums")
        statement = (
            select(
                sums.c.stage_id,
                Stage.name,
                sums.c.currency,
                func.sum(sums.c.count).label("count"),
                # The parts stay parts: their sums stay far from 64 bits for any team.
                *(
                    func.sum(sums.c[f"{measure}_{part}"]).label(f"{measure}_{part}")
                    for measure in ("amount", "weighted_cents")
                    for part in ("high", "low")
                ),
            )
            .join(Stage, Stage.id == sums.c.stage_id)
            .group_by(sums.c.stage_id, Stage.name, Stage.position, sums.c.currency)
            .order_by(Stage.position, sums.c.currency)
        )
        return totals_of(await uow.session.execute(statement))
    if group_by is GroupBy.OWNER:
        return totals_of(await uow.session.execute(_scoped(totals_by_owner(), actor, scope)))
    if group_by is GroupBy.CAMPAIGN:
        key, label = Opportunity.campaign_id, Campaign.name
        base = select(key, label, Opportunity.currency, *measures).outerjoin(
            Campaign, Campaign.id == Opportunity.campaign_id
        )
        groups: tuple[Any, ...] = (key, label, Opportunity.currency)
        order: tuple[Any, ...] = (label, Opportunity.currency)
    else:
        month = close_month(Opportunity.close_date)
        base = select(month, month, Opportunity.currency, *measures)
        groups = (month, Opportunity.currency)
        order = (month, Opportunity.currency)
    statement = _scoped(base, actor, scope).group_by(*groups).order_by(*order)
    return totals_of(await uow.session.execute(statement))


def _measures() -> tuple[Any, ...]:
    return (
        func.count().label("count"),
        *split_sum(Opportunity.amount, "amount"),
        *split_sum(Opportunity.amount * Opportunity.probability, "weighted_cents"),
    )


def totals_by_owner(*outer: Any) -> Select[Any]:
    """Totals by owner and currency, for the caller to filter (``where``) and run.

    ``outer`` columns come after the ones ``totals_row`` reads and lead the grouping and
    the order: a batch of teams gets each team's rows together, from one statement.
    """
    key, label = Opportunity.owner_id, User.name
    return (
        select(key, label, Opportunity.currency, *_measures(), *outer)
        .join(User, User.id == Opportunity.owner_id)
        .group_by(*outer, key, label, Opportunity.currency)
        .order_by(*outer, label, key, Opportunity.currency)
    )


def totals_row(row: Any) -> TotalsRow:
    """One row of a totals statement (its key, label, currency and measures)."""
    return TotalsRow(
        key=row[0],
        label=row[1],
        currency=row[2],
        count=int(row.count),
        amount=joined(row.amount_high, row.amount_low),
        weighted=_round_percent(joined(row.weighted_cents_high, row.weighted_cents_low)),
    )


def totals_of(rows: Any) -> list[TotalsRow]:
    """Every row of a totals statement, in its order."""
    return [totals_row(row) for row in rows]


def _round_percent(amount_times_percent: int) -> int:
    return (amount_times_percent + 50) // 100


@dataclass(frozen=True, slots=True)
class CampaignRow:
    campaign_id: int | None
    name: str | None
    currency: str
    opportunities: int
    won: int
    lost: int
    won_amount: int
    open_amount: int

    @property
    def win_rate(self) -> float | None:
        """Won ÷ closed; None while nothing is closed."""
        closed = self.won + self.lost
        return self.won / closed if closed else None


async def campaign_effectiveness(
    uow: UnitOfWork, actor: Actor, scope: Scope | None = None
) -> list[CampaignRow]:
    """Per campaign and currency: deals, won count and value, lost, open pipeline."""
    scope = scope or Scope(open_only=False)
    is_won = Opportunity.result == Result.WON
    is_open = Opportunity.result == Result.OPEN
    statement = select(
        Opportunity.campaign_id,
        Campaign.name,
        Opportunity.currency,
        func.count().label("opportunities"),
        func.sum(case((is_won, 1), else_=0)).label("won"),
        func.sum(case((Opportunity.result == Result.LOST, 1), else_=0)).label("lost"),
        func.sum(case((is_won, Opportunity.amount), else_=0)).label("won_amount"),
        func.sum(case((is_open, Opportunity.amount), else_=0)).label("open_amount"),
    ).outerjoin(Campaign, Campaign.id == Opportunity.campaign_id)
    statement = (
        _scoped(statement, actor, scope)
        .group_by(Opportunity.campaign_id, Campaign.name, Opportunity.currency)
        .order_by(Campaign.name, Opportunity.currency)
    )
    return [
        CampaignRow(
            campaign_id=row[0],
            name=row[1],
            currency=row[2],
            opportunities=int(row.opportunities),
            won=int(row.won or 0),
            lost=int(row.lost or 0),
            won_amount=int(row.won_amount or 0),
            open_amount=int(row.open_amount or 0),
        )
        for row in await uow.session.execute(statement)
    ]
