"""What a member's digest holds: deals due, totals, stuck deals, and a manager's team view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from storage import months
from storage.actors import Actor
from storage.errors import NotFound
from storage.models import Opportunity, Result, Stage, Team, User
from storage.permissions import visible
from storage.reports.totals import GroupBy, Scope, TotalsRow, pipeline_totals
from storage.uow import UnitOfWork

# Deals closing within this many days (and every overdue one) are "due".
HORIZON_DAYS = 7
# Stuck deals that are not due are listed up to this many, the rest counted.
STUCK_SHOWN = 10


@dataclass(frozen=True, slots=True)
class DigestDeal:
    id: int
    name: str
    amount: int
    currency: str
    close_date: date
    probability: int
    stage_name: str
    stage_code: str | None
    # Days since the last stage change, when that makes the deal stuck.
    stuck_days: int | None


@dataclass(frozen=True, slots=True)
class RepStuck:
    owner_id: int
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class TeamDigest:
    """A manager's view of the team: totals closing this week and month by rep, stuck deals."""

    week_start: date
    week_end: date
    month_start: date
    month_end: date
    week: list[TotalsRow]
    month: list[TotalsRow]
    stuck: list[RepStuck]

    @property
    def is_empty(self) -> bool:
        return not (self.week or self.month or self.stuck)


@dataclass(frozen=True, slots=True)
class Digest:
    today: date
    stale_days: int
    due: list[DigestDeal]
    totals: list[TotalsRow]
    stuck: list[DigestDeal]
    stuck_total: int
    team: TeamDigest | None

    @property
    def is_empty(self) -> bool:
        """Nothing due, nothing stuck, nothing for the team: quiet mode sends nothing."""
        return not self.due and not self.stuck_total and (self.team is None or self.team.is_empty)


def _deal_columns() -> tuple:
    return (
        Opportunity.id,
        Opportunity.name,
        Opportunity.amount,
        Opportunity.currency,
        Opportunity.close_date,
        Opportunity.probability,
        Stage.name,
        Stage.code,
        Opportunity.stage_changed_at,
    )


def _deal(row: tuple, now: datetime, stale_days: int) -> DigestDeal:
    idle = (now - row[8]).days
    return DigestDeal(*row[:8], stuck_days=idle if idle >= stale_days else None)


async def load_digest(
    uow: UnitOfWork, actor: Actor, *, today: date, now: datetime, stale_days: int | None = None
) -> Digest:
    """The digest of ``actor`` for their local day ``today``.

    Due: their open deals closing within 7 days or already overdue, soonest first.
    Stuck: their other open deals with no stage change for the team's ``stale_days``
    (read from the team unless the caller already has it).
    A manager (or admin) also gets their team's totals by rep and stuck deals per rep.

    Raises:
        NotFound: the actor's team is gone.
    """
    if stale_days is None:
        stale_days = await uow.session.scalar(
            select(Team.stale_days).where(Team.id == actor.team_id)
        )
        if stale_days is None:
            raise NotFound("teams", actor.team_id)
    horizon = today + timedelta(days=HORIZON_DAYS)
    stuck_before = now - timedelta(days=stale_days)
    mine = (
        visible(Opportunity, actor),
        Opportunity.owner_id == actor.id,
        Opportunity.result == Result.OPEN,
    )
    base = select(*_deal_columns()).join(Stage, Stage.id == Opportunity.stage_id).where(*mine)
    due_rows = list(
        await uow.session.execute(
            base.where(Opportunity.close_date <= horizon).order_by(
                Opportunity.close_date, Opportunity.id
            )
        )
    )
    stuck_filter = (Opportunity.close_date > horizon, Opportunity.stage_changed_at < stuck_before)
    # The window count gives how many are stuck in all, beside the few listed.
    stuck_rows = list(
        await uow.session.execute(
            base.add_columns(func.count().over())
            .where(*stuck_filter)
            .order_by(Opportunity.stage_changed_at, Opportunity.id)
            .limit(STUCK_SHOWN)
        )
    )
    totals = (
        await pipeline_totals(uow, actor, GroupBy.OWNER, Scope(owner_id=actor.id, close_to=horizon))
        if due_rows
        else []
    )
    return Digest(
        today=today,
        stale_days=stale_days,
        due=[_deal(row, now, stale_days) for row in due_rows],
        totals=totals,
        stuck=[_deal(row, now, stale_days) for row in stuck_rows],
        stuck_total=int(stuck_rows[0][-1]) if stuck_rows else 0,
        team=await _team_digest(uow, actor, today, stuck_before) if actor.is_manager else None,
    )


async def _team_digest(
    uow: UnitOfWork, actor: Actor, today: date, stuck_before: datetime
) -> TeamDigest:
    week_start = today - timedelta(days=today.weekday())
    week_end = week_start + timedelta(days=6)
    month_start, month_end = months.month_start(today), months.month_end(today)
    week = await pipeline_totals(
        uow,
        actor,
        GroupBy.OWNER,
        Scope(team_id=actor.team_id, close_from=week_start, close_to=week_end),
    )
    month = await pipeline_totals(
        uow,
        actor,
        GroupBy.OWNER,
        Scope(team_id=actor.team_id, close_from=month_start, close_to=month_end),
    )
    stuck = await uow.session.execute(
        select(User.id, User.name, func.count().label("count"))
        .select_from(Opportunity)
        .join(User, User.id == Opportunity.owner_id)
        .where(
            visible(Opportunity, actor),
            Opportunity.team_id == actor.team_id,
            Opportunity.result == Result.OPEN,
            Opportunity.stage_changed_at < stuck_before,
        )
        .group_by(User.id, User.name)
        .order_by(func.count().desc(), User.name)
    )
    return TeamDigest(
        week_start=week_start,
        week_end=week_end,
        month_start=month_start,
        month_end=month_end,
        week=week,
        month=month,
        stuck=[RepStuck(owner_id, name, int(count)) for owner_id, name, count in stuck],
    )
