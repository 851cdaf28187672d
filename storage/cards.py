"""What a deal's card shows, gathered in one query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import Select

from storage.actors import Actor
from storage.card_rows import card_of, one_row, with_names
from storage.models import (
    DealType,
    Opportunity,
    Rating,
    Result,
    Stage,
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
def deal_with_names() -> Select[Any]:
    """A deal with the names of its stage, owner, account, contact, campaign and source,
    labelled as ``DealCard`` names them: the card's query, and the export's."""
    # Built once: composing this join costs more than running it on an indexed id.
    return with_names(
        Opportunity, Stage.name.label("stage_name"), Stage.code.label("stage_code")
    ).join(Stage, Stage.id == Opportunity.stage_id)


async def deal_card(uow: UnitOfWork, actor: Actor, opportunity_id: int) -> DealCard:
    """Everything a deal's card shows, for a deal the actor may see.

    Raises:
        NotFound: no such deal, or another rep's.
    """
    statement = deal_with_names().where(
        Opportunity.id == opportunity_id, visible(Opportunity, actor)
    )
    row = await one_row(uow, statement, Opportunity.__tablename__, opportunity_id)
    return card_of(DealCard, row[0], row._mapping)
