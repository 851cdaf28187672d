"""What a member's digest holds: deals due, totals, stuck deals, and a manager's team view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select

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


def deals() -> Select[Any]:
    """The columns a ``DigestDeal`` is read from, for the caller to filter."""
    return select(*_deal_columns()).join(Stage, Stage.id == Opportunity.stage_id)


def digest_deal(row: Any, now: datetime, stale_days: int) -> DigestDeal:
    """A row of ``deals()`` (further columns are ignored)."""
    idle = (now - row[8]).days
    return DigestDeal(*row[:8], stuck_days=idle if idle >= stale_days else None)


@dataclass(frozen=True, slots=True)
class DigestDay:
    """The dates and instants that decide what a digest holds on one local day."""

    today: date
    horizon: date
    stuck_before: datetime
    week_start: date
    week_end: date
    month_start: date
    month_end: date

    @classmethod
    def of(cls, today: date, now: datetime, stale_days: int) -> DigestDay:
        week_start = today - timedelta(days=today.weekday())
        return cls(
            today=today,
            horizon=today + timedelta(days=HORIZON_DAYS),
            stuck_before=now - timedelta(days=stale_days),
            week_start=week_start,
            week_end=week_start + timedelta(days=6),
            month_start=months.month_start(today),
            month_end=months.month_end(today),
        )

    @property
    def due(self) -> ColumnElement[bool]:
        return Opportunity.close_date <= self.horizon

    @property
    def stuck(self) -> tuple[ColumnElement[bool], ...]:
        """Stuck and not due: a due deal is listed once, with the due ones."""
        return (
            Opportunity.close_date > self.horizon,
            Opportunity.stage_changed_at < self.stuck_before,
        )

    def team_digest(
        self, week: list[TotalsRow], month: list[TotalsRow], stuck: list[RepStuck]
    ) -> TeamDigest:
        return TeamDigest(
            self.week_start, self.week_end, self.month_start, self.month_end, week, month, stuck
        )


def reps_stuck(day: DigestDay, *outer: Any) -> Select[Any]:
    """Open deals stuck per rep, most first, for the caller to filter to a team.

    ``outer`` columns come after the rep's id, name and count and lead the grouping.
    """
    count = func.count()
    return (
        select(User.id, User.name, count.label("count"), *outer)
        .select_from(Opportunity)
        .join(User, User.id == Opportunity.owner_id)
        .where(Opportunity.result == Result.OPEN, Opportunity.stage_changed_at < day.stuck_before)
        .group_by(*outer, User.id, User.name)
        .order_by(*outer, count.desc(), User.name)
    )


async def load_digest(
    uow: UnitOfWork, actor: Actor, *, today: date, now: datetime, stale_days: int | None = None
) -> Digest:
    """The digest of ``actor`` for their local day ``today``.

    Due: their open deals closing within 7 days or already overdue, soonest first.
    Stuck: their other open deals with no stage change for the team's ``stale_days``
    (read from the team unless the caller already has it).
    A manager (or admin) also gets their team's totals by rep and stuck deals per rep.
    ``storage.digest_batch.load_digests`` gives the same for many members at once.

    Raises:
        NotFound: the actor's team is gone.
    """
    if stale_days is None:
        stale_days = await uow.session.scalar(
            select(Team.stale_days).where(Team.id == actor.team_id)
        )
        if stale_days is None:
            raise NotFound("teams", actor.team_id)
    day = DigestDay.of(today, now, stale_days)
    mine = (
        visible(Opportunity, actor),
        Opportunity.owner_id == actor.id,
        Opportunity.result == Result.OPEN,
    )
    base = deals().where(*mine)
    due_rows = list(
        await uow.session.execute(
            base.where(day.due).order_by(Opportunity.close_date, Opportunity.id)
        )
    )
    # The window count gives how many are stuck in all, beside the few listed.
    stuck_rows = list(
        await uow.session.execute(
            base.add_columns(func.count().over())
            .where(*day.stuck)
            .order_by(Opportunity.stage_changed_at, Opportunity.id)
            .limit(STUCK_SHOWN)
        )
    )
    totals = (
        await pipeline_totals(
            uow, actor, GroupBy.OWNER, Scope(owner_id=actor.id, close_to=day.horizon)
        )
        if due_rows
        else []
    )
    return Digest(
        today=today,
        stale_days=stale_days,
        due=[digest_deal(row, now, stale_days) for row in due_rows],
        totals=totals,
        stuck=[digest_deal(row, now, stale_days) for row in stuck_rows],
        stuck_total=int(stuck_rows[0][-1]) if stuck_rows else 0,
        team=await _team_digest(uow, actor, day) if actor.is_manager else None,
    )


async def _team_digest(uow: UnitOfWork, actor: Actor, day: DigestDay) -> TeamDigest:
    week = await pipeline_totals(
        uow,
        actor,
        GroupBy.OWNER,
        Scope(team_id=actor.team_id, close_from=day.week_start, close_to=day.week_end),
    )
    month = await pipeline_totals(
        uow,
        actor,
        GroupBy.OWNER,
        Scope(team_id=actor.team_id, close_from=day.month_start, close_to=day.month_end),
    )
    stuck = await uow.session.execute(
        reps_stuck(day).where(visible(Opportunity, actor), Opportunity.team_id == actor.team_id)
    )
    return day.team_digest(
        week, month, [RepStuck(owner_id, name, int(count)) for owner_id, name, count in stuck]
    )
