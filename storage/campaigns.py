"""Campaigns: which ones are offered for new deals and leads, and what a name or an id means.

The one rule. An ended campaign (``active`` false) is no longer *offered*: pick lists,
searches and the buttons made from them leave it out, and a pressed button naming it is
refused. It stays what it was for the deals and leads that carry it: they show it,
totals count it, the board can filter by it, and a name typed or imported still finds
it, because whoever writes an old campaign's name means that campaign (an import of last
year's deals must not create it a second time). Where two campaigns share a name, the
active one wins, then the newest.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.actors import Actor
from storage.errors import NotFound
from storage.ids import get_row
from storage.models import Campaign, Opportunity
from storage.text import fold
from storage.uow import UnitOfWork

# Which of several campaigns a name means.
_PREFERRED = (Campaign.active.desc(), Campaign.id.desc())


def campaign_key(name: str) -> str:
    """The folded form a campaign is found by (``Campaign.search_name``)."""
    return fold(name)[:200]


def new_campaign(team_id: int, name: str) -> Campaign:
    return Campaign(team_id=team_id, name=name, search_name=campaign_key(name))


def _offered(team_id: int) -> ColumnElement[bool]:
    return and_(Campaign.team_id == team_id, Campaign.active.is_(True))


async def offered_campaigns(uow: UnitOfWork, actor: Actor, *, limit: int = 8) -> list[Campaign]:
    """The team's active campaigns, newest first: the choices for a new deal or lead."""
    statement = select(Campaign).where(_offered(actor.team_id))
    statement = statement.order_by(Campaign.id.desc()).limit(limit)
    return list((await uow.session.execute(statement)).scalars())


async def search_campaigns(
    uow: UnitOfWork, actor: Actor, text: str, *, limit: int = 6
) -> list[Campaign]:
    """The team's active campaigns whose name contains ``text`` (case and marks ignored)."""
    needle = fold(text)
    if not needle:
        return []
    statement = (
        select(Campaign)
        .where(_offered(actor.team_id), Campaign.search_name.contains(needle, autoescape=True))
        .order_by(Campaign.id.desc())
        .limit(limit)
    )
    return list((await uow.session.execute(statement)).scalars())


async def offered_campaign(uow: UnitOfWork, actor: Actor, campaign_id: int) -> Campaign:
    """The campaign a pressed button picks, checked again here since button data is forgeable.

    Raises:
        NotFound: no such campaign in the actor's team, or it has ended since it was offered.
    """
    campaign = await get_row(uow.session, Campaign, campaign_id)
    if campaign is None or campaign.team_id != actor.team_id or not campaign.active:
        raise NotFound(Campaign.__tablename__, campaign_id)
    return campaign


async def campaign_named(uow: UnitOfWork, actor: Actor, name: str) -> Campaign | None:
    """The team's campaign called ``name`` (case and marks ignored), ended or not, else None."""
    statement = select(Campaign).where(
        Campaign.team_id == actor.team_id, Campaign.search_name == campaign_key(name)
    )
    return (
        await uow.session.execute(statement.order_by(*_PREFERRED).limit(1))
    ).scalar_one_or_none()


async def campaign_ids_named(
    session: AsyncSession, team_id: int, keys: Iterable[str]
) -> dict[str, int]:
    """The ids of the team's campaigns by ``campaign_key``, for those of ``keys`` it has."""
    statement = select(Campaign.search_name, Campaign.id).where(
        Campaign.team_id == team_id, Campaign.search_name.in_(list(keys))
    )
    found: dict[str, int] = {}
    for key, ident in await session.execute(statement.order_by(*_PREFERRED)):
        found.setdefault(key, ident)
    return found


async def campaign_names(session: AsyncSession, team_id: int) -> dict[str, str]:
    """Every campaign of the team, ended or not: folded name -> the campaign's own name."""
    statement = select(Campaign.name).where(Campaign.team_id == team_id)
    names: dict[str, str] = {}
    for (name,) in await session.execute(statement.order_by(*_PREFERRED)):
        names.setdefault(fold(name), name)
    return names


async def filter_campaigns(uow: UnitOfWork, actor: Actor) -> list[tuple[int, str]]:
    """The campaigns the board's deals can be filtered by, as (id, name), by name.

    The active ones, and the ended ones some deal of the team still carries: an ended
    campaign with no deal would only filter down to nothing.
    """
    carried = exists().where(
        Opportunity.campaign_id == Campaign.id, Opportunity.team_id == actor.team_id
    )
    statement = (
        select(Campaign.id, Campaign.name)
        .where(Campaign.team_id == actor.team_id, or_(Campaign.active.is_(True), carried))
        .order_by(Campaign.name, Campaign.id)
    )
    return [(ident, name) for ident, name in await uow.session.execute(statement)]
