"""Many members' digests at once: one statement per kind of row, whatever the batch's size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select

from storage.actors import Actor
from storage.digests import (
    STUCK_SHOWN,
    Digest,
    DigestDay,
    DigestDeal,
    RepStuck,
    TeamDigest,
    deals,
    digest_deal,
    reps_stuck,
)
from storage.models import Opportunity, Result
from storage.permissions import visible, visible_own
from storage.reports.totals import Scope, TotalsRow, in_scope, totals_by_owner, totals_row
from storage.uow import UnitOfWork


async def load_digests(
    uow: UnitOfWork, actors: Sequence[Actor], *, today: date, now: datetime, stale_days: int
) -> dict[int, Digest]:
    """The digests of members who share a local day and a ``stale_days`` setting.

    Each is what ``storage.digests.load_digest`` gives that member, read with at most six
    statements for the whole batch (three when it holds no manager): the scheduler's
    morning round would otherwise cost three or more statements per member.

    Returns:
        Each actor's digest, by their user id.
    """
    day = DigestDay.of(today, now, stale_days)
    if not actors:
        return {}
    mine = (visible_own(Opportunity, actors), Opportunity.result == Result.OPEN)
    due = await _due(uow, day, mine, now, stale_days)
    stuck, stuck_total = await _stuck(uow, day, mine, now, stale_days)
    totals: defaultdict[int, list[TotalsRow]] = defaultdict(list)
    statement = totals_by_owner().where(*mine, day.due)
    for row in await uow.session.execute(statement):
        totals[row[0]].append(totals_row(row))
    teams = await _team_digests(uow, day, [actor for actor in actors if actor.is_manager])
    return {
        actor.id: Digest(
            today=today,
            stale_days=stale_days,
            due=due[actor.id],
            totals=totals[actor.id],
            stuck=stuck[actor.id],
            stuck_total=stuck_total.get(actor.id, 0),
            team=teams[actor.team_id] if actor.is_manager else None,
        )
        for actor in actors
    }


async def _due(
    uow: UnitOfWork, day: DigestDay, mine: tuple[Any, ...], now: datetime, stale_days: int
) -> defaultdict[int, list[DigestDeal]]:
    owner = Opportunity.owner_id
    statement = (
        deals()
        .add_columns(owner)
        .where(*mine, day.due)
        .order_by(owner, Opportunity.close_date, Opportunity.id)
    )
    due: defaultdict[int, list[DigestDeal]] = defaultdict(list)
    for row in await uow.session.execute(statement):
        due[row[-1]].append(digest_deal(row, now, stale_days))
    return due


async def _stuck(
    uow: UnitOfWork, day: DigestDay, mine: tuple[Any, ...], now: datetime, stale_days: int
) -> tuple[defaultdict[int, list[DigestDeal]], dict[int, int]]:
    """Each owner's first few stuck deals, and how many they have in all."""
    owner = Opportunity.owner_id
    in_order = (Opportunity.stage_changed_at, Opportunity.id)
    # Ranked per owner, so the limit applies to each member rather than to the batch.
    ranked = (
        deals()
        .add_columns(
            owner.label("owner"),
            func.count().over(partition_by=owner).label("total"),
            func.row_number().over(partition_by=owner, order_by=in_order).label("rank"),
        )
        .where(*mine, *day.stuck)
        .subquery("ranked")
    )
    statement = (
        select(ranked).where(ranked.c.rank <= STUCK_SHOWN).order_by(ranked.c.owner, ranked.c.rank)
    )
    stuck: defaultdict[int, list[DigestDeal]] = defaultdict(list)
    totals: dict[int, int] = {}
    for row in await uow.session.execute(statement):
        stuck[row.owner].append(digest_deal(row, now, stale_days))
        totals[row.owner] = int(row.total)
    return stuck, totals


def _teams_seen_by(managers: Sequence[Actor]) -> ColumnElement[bool]:
    # What a manager sees of their team does not depend on which manager it is, so one
    # of them stands for each team.
    one_per_team = {manager.team_id: manager for manager in managers}
    return or_(
        *(
            and_(visible(Opportunity, manager), Opportunity.team_id == team)
            for team, manager in one_per_team.items()
        )
    )


async def _team_digests(
    uow: UnitOfWork, day: DigestDay, managers: Sequence[Actor]
) -> dict[int, TeamDigest]:
    """Each manager's team view, by team: totals this week and month by rep, stuck per rep."""
    if not managers:
        return {}
    seen = _teams_seen_by(managers)
    team = Opportunity.team_id
    spans: list[defaultdict[int, list[TotalsRow]]] = []
    for start, end in ((day.week_start, day.week_end), (day.month_start, day.month_end)):
        rows: defaultdict[int, list[TotalsRow]] = defaultdict(list)
        scope = Scope(close_from=start, close_to=end)
        statement = totals_by_owner(team).where(seen, *in_scope(scope))
        for row in await uow.session.execute(statement):
            rows[row[-1]].append(totals_row(row))
        spans.append(rows)
    week, month = spans
    stuck: defaultdict[int, list[RepStuck]] = defaultdict(list)
    for owner_id, name, count, team_id in await uow.session.execute(
        reps_stuck(day, team).where(seen)
    ):
        stuck[team_id].append(RepStuck(owner_id, name, int(count)))
    return {
        manager.team_id: day.team_digest(
            week[manager.team_id], month[manager.team_id], stuck[manager.team_id]
        )
        for manager in managers
    }
