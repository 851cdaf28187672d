"""The pipeline board: stages as columns with their totals, and the deals on them as cards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select

from storage.actors import Actor
from storage.campaigns import filter_campaigns
from storage.models import Account, Opportunity, Rating, Result, Stage, StageKind, User
from storage.permissions import visible
from storage.reports.totals import close_month
from storage.stages import team_stages
from storage.uow import UnitOfWork

# Won and lost columns would grow without end: they show the latest closed deals only.
CLOSED_CARDS_PER_COLUMN = 20


@dataclass(frozen=True, slots=True)
class BoardFilter:
    """Which deals the board shows, within what the actor may see.

    ``owner_id`` narrows to one member (a rep's own id, or any rep for a manager);
    ``month`` is a close month as ``YYYY-MM``.
    """

    owner_id: int | None = None
    month: str | None = None
    campaign_id: int | None = None


@dataclass(frozen=True, slots=True)
class ColumnTotal:
    currency: str
    count: int
    amount: int
    weighted: int


@dataclass(frozen=True, slots=True)
class BoardColumn:
    stage_id: int
    code: str | None
    name: str
    kind: StageKind
    probability: int
    totals: list[ColumnTotal]


@dataclass(frozen=True, slots=True)
class BoardCard:
    id: int
    version: int
    stage_id: int
    name: str
    account_name: str | None
    amount: int
    currency: str
    close_date: date
    owner_id: int
    owner_name: str
    rating: Rating | None
    result: Result


@dataclass(frozen=True, slots=True)
class Board:
    columns: list[BoardColumn]
    cards: list[BoardCard]


def _filtered(statement: Select, actor: Actor, wanted: BoardFilter) -> Select:  # type: ignore[type-arg]
    statement = statement.where(visible(Opportunity, actor))
    if not actor.is_admin:
        statement = statement.where(Opportunity.team_id == actor.team_id)
    if wanted.owner_id is not None:
        statement = statement.where(Opportunity.owner_id == wanted.owner_id)
    if wanted.month is not None:
        statement = statement.where(close_month(Opportunity.close_date) == wanted.month)
    if wanted.campaign_id is not None:
        statement = statement.where(Opportunity.campaign_id == wanted.campaign_id)
    return statement


async def board(uow: UnitOfWork, actor: Actor, wanted: BoardFilter | None = None) -> Board:
    """The actor's team's stages in order, each with its totals, and the cards to show.

    Totals are counted by the database over every matching deal; the won and lost
    columns list only their latest ``CLOSED_CARDS_PER_COLUMN`` cards.
    """
    wanted = wanted or BoardFilter()
    stages = await team_stages(uow, actor.team_id)
    weighted_cents = func.coalesce(func.sum(Opportunity.amount * Opportunity.probability), 0)
    totals_statement = _filtered(
        select(
            Opportunity.stage_id,
            Opportunity.currency,
            func.count().label("count"),
            func.coalesce(func.sum(Opportunity.amount), 0).label("amount"),
            weighted_cents.label("weighted_cents"),
        ),
        actor,
        wanted,
    ).group_by(Opportunity.stage_id, Opportunity.currency)
    totals: dict[int, list[ColumnTotal]] = {}
    for row in await uow.session.execute(totals_statement.order_by(Opportunity.currency)):
        totals.setdefault(row.stage_id, []).append(
            ColumnTotal(
                currency=row.currency,
                count=int(row.count),
                amount=int(row.amount),
                weighted=(int(row.weighted_cents) + 50) // 100,
            )
        )
    columns = [
        BoardColumn(
            stage_id=stage.id,
            code=stage.code,
            name=stage.name,
            kind=stage.kind,
            probability=stage.probability,
            totals=totals.get(stage.id, []),
        )
        for stage in stages
    ]
    return Board(columns=columns, cards=await _cards(uow, actor, wanted))


async def _cards(uow: UnitOfWork, actor: Actor, wanted: BoardFilter) -> list[BoardCard]:
    base = (
        select(
            Opportunity.id,
            Opportunity.version,
            Opportunity.stage_id,
            Opportunity.name,
            Account.name.label("account_name"),
            Opportunity.amount,
            Opportunity.currency,
            Opportunity.close_date,
            Opportunity.owner_id,
            User.name.label("owner_name"),
            Opportunity.rating,
            Opportunity.result,
        )
        .join(User, User.id == Opportunity.owner_id)
        .outerjoin(Account, Account.id == Opportunity.account_id)
    )
    open_cards = _filtered(base, actor, wanted).where(Opportunity.result == Result.OPEN)
    open_cards = open_cards.order_by(Opportunity.close_date, Opportunity.id)
    rows = list(await uow.session.execute(open_cards))
    for result in (Result.WON, Result.LOST):
        closed = (
            _filtered(base, actor, wanted)
            .where(Opportunity.result == result)
            .order_by(Opportunity.closed_at.desc(), Opportunity.id.desc())
            .limit(CLOSED_CARDS_PER_COLUMN)
        )
        rows += list(await uow.session.execute(closed))
    return [BoardCard(**row._mapping) for row in rows]


@dataclass(frozen=True, slots=True)
class Choice:
    id: int
    name: str


async def board_choices(uow: UnitOfWork, actor: Actor) -> tuple[list[Choice], list[Choice]]:
    """The filters' options: the members a manager may pick (a rep gets none), and campaigns."""
    people: list[Choice] = []
    if actor.is_manager:
        statement = (
            select(User.id, User.name)
            .where(User.team_id == actor.team_id, User.active.is_(True))
            .order_by(User.name, User.id)
        )
        people = [Choice(*row) for row in await uow.session.execute(statement)]
    campaigns = [Choice(*row) for row in await filter_campaigns(uow, actor)]
    return people, campaigns


async def stage_of_kind(uow: UnitOfWork, team_id: int, kind: StageKind) -> Stage:
    """The team's first stage of ``kind``: where Won and Lost buttons move a deal."""
    return next(stage for stage in await team_stages(uow, team_id) if stage.kind is kind)
