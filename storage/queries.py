"""Read-only look-ups: my deals, deals closing soon, text search."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

from sqlalchemy import ColumnElement, case, or_, select

from storage.actors import Actor
from storage.errors import NotFound
from storage.models import Account, Contact, Lead, Opportunity, Result, Stage, StageChange, User
from storage.permissions import get_visible, visible
from storage.text import fold
from storage.uow import UnitOfWork

Searchable = TypeVar("Searchable", Opportunity, Contact, Account, Lead)


async def my_open_deals(
    uow: UnitOfWork, actor: Actor, *, limit: int = 10, offset: int = 0
) -> list[Opportunity]:
    """The actor's own open deals, soonest close date first."""
    statement = (
        select(Opportunity)
        .where(Opportunity.owner_id == actor.id, Opportunity.result == Result.OPEN)
        .order_by(Opportunity.close_date, Opportunity.id)
        .limit(limit)
        .offset(offset)
    )
    return list((await uow.session.execute(statement)).scalars())


async def closing_within(
    uow: UnitOfWork, actor: Actor, today: date, days: int, *, owner_only: bool = True
) -> list[Opportunity]:
    """Open deals closing in the next ``days`` days, overdue ones included, soonest first."""
    statement = select(Opportunity).where(
        visible(Opportunity, actor),
        Opportunity.result == Result.OPEN,
        Opportunity.close_date <= today + timedelta(days=days),
    )
    if owner_only:
        statement = statement.where(Opportunity.owner_id == actor.id)
    statement = statement.order_by(Opportunity.close_date, Opportunity.id)
    return list((await uow.session.execute(statement)).scalars())


async def search(
    uow: UnitOfWork, actor: Actor, model: type[Searchable], text: str, *, limit: int = 10
) -> list[Searchable]:
    """Records of ``model`` the actor may see whose name contains ``text``.

    Case and Vietnamese/Thai marks are ignored on both sides, so "nguyen" finds
    "Nguyễn". Exact matches come first, then names with a word starting with the
    text, then the rest; newest first within each.
    """
    needle = fold(text)
    if not needle:
        return []
    statement = (
        select(model)
        .where(visible(model, actor), model.search_name.contains(needle, autoescape=True))
        .order_by(match_rank(model.search_name, needle), model.id.desc())
        .limit(limit)
    )
    return list((await uow.session.execute(statement)).scalars())


def match_rank(column: ColumnElement[str], needle: str) -> ColumnElement[int]:
    """0 for an exact match, 1 when a word starts with ``needle``, 2 for any other match.

    "An" finds "Nguyễn Văn An" before "Lê Hoàng", whose "hoang" merely contains it.
    """
    word_start = or_(
        column.startswith(needle, autoescape=True),
        column.contains(" " + needle, autoescape=True),
    )
    return case((column == needle, 0), (word_start, 1), else_=2)


class AmbiguousDeal(Exception):
    """Several deals match the text the user typed; ``candidates`` lists them.

    ``words_used`` is how many of the typed words named the deal
    (see ``storage.deal_actions.split_deal``).
    """

    def __init__(self, candidates: list[Opportunity], words_used: int = 0) -> None:
        super().__init__(f"{len(candidates)} deals match")
        self.candidates = candidates
        self.words_used = words_used


# How many candidates a "which one?" question can page through.
MAX_CANDIDATES = 40


@dataclass(frozen=True)
class DealChoice:
    """What tells one deal from another in a "which one?" list."""

    id: int
    name: str
    amount: int
    currency: str
    close_date: date
    result: Result
    stage_code: str | None
    stage_name: str
    owner_id: int
    owner_name: str


async def deal_choices(uow: UnitOfWork, actor: Actor, ids: list[int]) -> list[DealChoice]:
    """The deals of ``ids`` the actor may see, in the order of ``ids``."""
    statement = (
        select(Opportunity, Stage.code, Stage.name, User.name)
        .join(Stage, Stage.id == Opportunity.stage_id)
        .join(User, User.id == Opportunity.owner_id)
        .where(Opportunity.id.in_(ids), visible(Opportunity, actor))
    )
    rows = {
        deal.id: DealChoice(
            deal.id,
            deal.name,
            deal.amount,
            deal.currency,
            deal.close_date,
            deal.result,
            code,
            stage_name,
            deal.owner_id,
            owner_name,
        )
        for deal, code, stage_name, owner_name in await uow.session.execute(statement)
    }
    return [rows[ident] for ident in ids if ident in rows]


async def resolve_deal(uow: UnitOfWork, actor: Actor, text: str) -> Opportunity:
    """The one deal the actor may see that ``text`` names: ``#12``, ``12`` or part of its name.

    Raises:
        NotFound: nothing matches. AmbiguousDeal: several match and none exactly.
    """
    wanted = text.strip().lstrip("#")
    if wanted.isdigit():
        return await get_visible(uow.session, Opportunity, int(wanted), actor)
    found = await search(uow, actor, Opportunity, wanted, limit=MAX_CANDIDATES)
    if not found:
        raise NotFound(Opportunity.__tablename__, text)
    exact = [deal for deal in found if deal.search_name == fold(wanted)]
    if len(found) == 1 or len(exact) == 1:
        return (exact or found)[0]
    raise AmbiguousDeal(found)


async def deals_created_since(uow: UnitOfWork, actor: Actor, since: datetime) -> list[Opportunity]:
    """Deals the actor created from ``since`` on (a deal's first stage change is its creation)."""
    statement = (
        select(Opportunity)
        .join(StageChange, StageChange.opportunity_id == Opportunity.id)
        .where(
            StageChange.from_stage_id.is_(None),
            StageChange.changed_by_id == actor.id,
            StageChange.changed_at >= since,
        )
        .order_by(Opportunity.id)
    )
    return list((await uow.session.execute(statement)).scalars())
