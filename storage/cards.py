"""What a deal's card shows, gathered in one query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from storage.actors import Actor
from storage.errors import NotFound
from storage.models import (
    Account,
    Campaign,
    Contact,
    DealType,
    Opportunity,
    Rating,
    Result,
    Source,
    Stage,
    User,
)
from storage.permissions import visible
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class DealCard:
    id: int
    version: int
    name: str
    amount: int
    currency: str
    expected_revenue: int
    close_date: date
    stage_name: str
    stage_code: str | None
    probability: int
    result: Result
    lost_reason: str | None
    rating: Rating | None
    deal_type: DealType | None
    owner_name: str
    account_name: str | None
    contact_name: str | None
    campaign_name: str | None
    source_name: str | None
    source_code: str | None
    description: str | None
    # Last, with defaults, so cards built by hand (tests, previews) need not name them.
    stage_id: int | None = None
    team_id: int | None = None
    closed_on: date | None = None


@cache
def _card_select() -> Select[Any]:
    # Built once: composing this join costs more than running it on an indexed id.
    owner = aliased(User)
    return (
        select(
            Opportunity,
            Stage.name,
            Stage.code,
            owner.name,
            Account.name,
            Contact.name,
            Campaign.name,
            Source.name,
            Source.code,
        )
        .join(Stage, Stage.id == Opportunity.stage_id)
        .join(owner, owner.id == Opportunity.owner_id)
        .outerjoin(Account, Account.id == Opportunity.account_id)
        .outerjoin(Contact, Contact.id == Opportunity.contact_id)
        .outerjoin(Campaign, Campaign.id == Opportunity.campaign_id)
        .outerjoin(Source, Source.id == Opportunity.source_id)
    )


async def deal_card(uow: UnitOfWork, actor: Actor, opportunity_id: int) -> DealCard:
    """Everything a deal's card shows, for a deal the actor may see.

    Raises:
        NotFound: no such deal, or another rep's.
    """
    statement = _card_select().where(Opportunity.id == opportunity_id, visible(Opportunity, actor))
    row = (await uow.session.execute(statement)).one_or_none()
    if row is None:
        raise NotFound(Opportunity.__tablename__, opportunity_id)
    deal: Opportunity = row[0]
    return DealCard(
        id=deal.id,
        version=deal.version,
        name=deal.name,
        amount=deal.amount,
        currency=deal.currency,
        expected_revenue=deal.expected_revenue,
        close_date=deal.close_date,
        stage_name=row[1],
        stage_code=row[2],
        probability=deal.probability,
        result=deal.result,
        lost_reason=deal.lost_reason,
        rating=deal.rating,
        deal_type=deal.deal_type,
        owner_name=row[3],
        account_name=row[4],
        contact_name=row[5],
        campaign_name=row[6],
        source_name=row[7],
        source_code=row[8],
        description=deal.description,
        stage_id=deal.stage_id,
        team_id=deal.team_id,
        closed_on=deal.closed_on,
    )
