"""Reading leads: a lead's card, my leads page by page, naming a lead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from storage.actors import Actor
from storage.campaigns import campaign_named as campaign_named  # the lead commands import it here
from storage.campaigns import offered_campaign, offered_campaigns
from storage.card_rows import card_of, one_row, with_names
from storage.errors import NotFound
from storage.models import (
    Lead,
    LeadStatus,
    Opportunity,
)
from storage.permissions import get_visible, visible
from storage.queries import search
from storage.text import fold
from storage.uow import UnitOfWork

OPEN_STATUSES = (LeadStatus.NEW, LeadStatus.WORKING)


@dataclass(frozen=True, slots=True)
class LeadCard:
    """Everything a lead's card shows, names looked up; a converted lead's links too."""

    id: int
    person_name: str
    company_name: str | None
    phone: str | None
    email: str | None
    source_name: str | None
    source_code: str | None
    campaign_name: str | None
    status: LeadStatus
    owner_name: str
    created_at: datetime
    account_id: int | None = None
    account_name: str | None = None
    contact_id: int | None = None
    contact_name: str | None = None
    deal_id: int | None = None
    deal_name: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class SeveralMatch(Exception):
    """The text a user typed names several records; ``candidates`` lists them."""

    def __init__(self, candidates: list) -> None:  # type: ignore[type-arg]
        super().__init__(f"{len(candidates)} records match")
        self.candidates = candidates


async def lead_card(uow: UnitOfWork, actor: Actor, lead_id: int) -> LeadCard:
    """The card of a lead the actor may see.

    Raises:
        NotFound: no such lead, or another rep's.
    """
    statement = (
        with_names(Lead, Opportunity.id.label("deal_id"), Opportunity.name.label("deal_name"))
        .outerjoin(Opportunity, Opportunity.lead_id == Lead.id)
        .where(Lead.id == lead_id, visible(Lead, actor))
    )
    row = await one_row(uow, statement, Lead.__tablename__, lead_id)
    return card_of(LeadCard, row[0], row._mapping)


async def my_leads(
    uow: UnitOfWork, actor: Actor, *, limit: int = 10, offset: int = 0, open_only: bool = False
) -> list[Lead]:
    """The actor's own leads, newest first; ``open_only`` keeps those still to convert."""
    statement = select(Lead).where(Lead.owner_id == actor.id, Lead.team_id == actor.team_id)
    if open_only:
        statement = statement.where(Lead.status.in_(OPEN_STATUSES))
    statement = statement.order_by(Lead.created_at.desc(), Lead.id.desc())
    return list((await uow.session.execute(statement.limit(limit).offset(offset))).scalars())


async def resolve_lead(uow: UnitOfWork, actor: Actor, text: str) -> Lead:
    """The one lead the actor may see that ``text`` names: ``#12``, ``12`` or part of a name.

    Raises:
        NotFound: nothing matches. SeveralMatch: several match and none exactly.
    """
    wanted = text.strip().lstrip("#")
    if wanted.isdigit() and len(wanted) < 10:
        return await get_visible(uow.session, Lead, int(wanted), actor)
    found = await search(uow, actor, Lead, wanted, limit=6)
    if not found:
        raise NotFound(Lead.__tablename__, text)
    exact = [lead for lead in found if fold(lead.person_name) == fold(wanted)]
    if len(found) == 1 or len(exact) == 1:
        return (exact or found)[0]
    raise SeveralMatch(found)


# The lead flows in bot/ import the campaign look-ups from here, under these names.
team_campaigns = offered_campaigns
team_campaign = offered_campaign
