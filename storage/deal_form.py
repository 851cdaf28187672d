"""The guided deal form's storage side: its choices, a preview of the deal, links made on save."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import validation
from storage.actors import Actor
from storage.campaigns import new_campaign, offered_campaign
from storage.campaigns import search_campaigns as search_campaigns  # the new-deal flow's import
from storage.directory import find_account_by_name, new_account, new_contact
from storage.errors import InvalidInput, NotFound
from storage.ids import get_row
from storage.models import (
    Account,
    Campaign,
    Contact,
    DealType,
    Product,
    Rating,
    Source,
    Stage,
    Team,
)
from storage.opportunities import OpportunityInput
from storage.permissions import get_visible
from storage.text import fold
from storage.uow import UnitOfWork


@dataclass(slots=True)
class DealForm:
    """A deal as the form holds it: the deal's fields, plus records to create on save."""

    deal: OpportunityInput
    new_account: str | None = None
    new_contact: str | None = None
    new_campaign: str | None = None


@dataclass(frozen=True, slots=True)
class PreviewLine:
    product_name: str
    quantity: int
    unit_price: int
    total: int


@dataclass(frozen=True, slots=True)
class DealPreview:
    """Everything the form's summary card shows, looked up and computed for the actor."""

    name: str
    amount: int
    currency: str
    close_date: date | None
    stage_name: str | None
    stage_code: str | None
    probability: int
    probability_overridden: bool
    expected_revenue: int
    rating: Rating | None = None
    deal_type: DealType | None = None
    account_name: str | None = None
    account_is_new: bool = False
    contact_name: str | None = None
    contact_is_new: bool = False
    campaign_name: str | None = None
    campaign_is_new: bool = False
    source_name: str | None = None
    source_code: str | None = None
    description: str | None = None
    lines: list[PreviewLine] = field(default_factory=list)


def weighted(amount: int, probability: int) -> int:
    """Expected revenue: the amount weighted by probability, rounded half up (as a deal's)."""
    return (amount * probability + 50) // 100


async def team_stage(uow: UnitOfWork, actor: Actor, stage_id: int) -> Stage:
    """One of the actor's team's stages.

    Raises:
        NotFound: no such stage in the actor's team (e.g. forged button data).
    """
    stage = await get_row(uow.session, Stage, stage_id)
    if stage is None or stage.team_id != actor.team_id:
        raise NotFound(Stage.__tablename__, stage_id)
    return stage


async def team_source(uow: UnitOfWork, actor: Actor, source_id: int) -> Source:
    source = await get_row(uow.session, Source, source_id)
    if source is None or source.team_id != actor.team_id:
        raise NotFound(Source.__tablename__, source_id)
    return source


async def team_products(
    uow: UnitOfWork, actor: Actor, currency: str, text: str | None = None, *, limit: int = 12
) -> list[Product]:
    """The team's active products priced in ``currency``, optionally filtered by name.

    A line's price must be in the deal's currency, so other products are not offered.
    """
    statement = select(Product).where(
        Product.team_id == actor.team_id,
        Product.active.is_(True),
        Product.currency == currency,
    )
    rows = list((await uow.session.execute(statement.order_by(Product.name, Product.id))).scalars())
    if text:
        # Products are a short team list without a folded column, so filter them here.
        needle = fold(text)
        rows = [product for product in rows if needle in fold(product.name)]
    return rows[:limit]


async def has_products(uow: UnitOfWork, actor: Actor) -> bool:
    """Whether the team sells any product: without one the form has no Products step."""
    statement = select(Product.id).where(Product.team_id == actor.team_id, Product.active.is_(True))
    return (await uow.session.execute(statement.limit(1))).first() is not None


async def get_product(uow: UnitOfWork, actor: Actor, product_id: int) -> Product:
    product = await get_row(uow.session, Product, product_id)
    if product is None or product.team_id != actor.team_id or not product.active:
        raise NotFound(Product.__tablename__, product_id)
    return product


async def _named(session: AsyncSession, model: type, ident: int | None, team_id: int) -> object:
    if ident is None:
        return None
    row = await get_row(session, model, ident)
    return row if row is not None and row.team_id == team_id else None


async def preview_deal(uow: UnitOfWork, actor: Actor, form: DealForm) -> DealPreview:
    """What saving the form would store, for the summary card.

    Linked records are looked up with the actor's permissions: one they may not see
    (or that is gone) shows as empty, and saving it is refused by the service.
    """
    deal = form.deal
    session = uow.session
    team = await session.get(Team, actor.team_id)
    currency = deal.currency or (team.currency if team else "")
    stage = await _named(session, Stage, deal.stage_id, actor.team_id)
    account = contact = None
    if deal.account_id is not None:
        try:
            account = await get_visible(session, Account, deal.account_id, actor)
        except NotFound:
            account = None
    if deal.contact_id is not None:
        try:
            contact = await get_visible(session, Contact, deal.contact_id, actor)
        except NotFound:
            contact = None
    campaign = await _named(session, Campaign, deal.campaign_id, actor.team_id)
    source = await _named(session, Source, deal.source_id, actor.team_id)
    lines = []
    for line in deal.lines:
        product = await _named(session, Product, line.product_id, actor.team_id)
        if isinstance(product, Product):
            price = product.unit_price if line.unit_price is None else line.unit_price
            lines.append(PreviewLine(product.name, line.quantity, price, price * line.quantity))
    amount = sum(line.total for line in lines) if lines else deal.amount
    stage_probability = stage.probability if isinstance(stage, Stage) else 0
    probability = stage_probability if deal.probability is None else deal.probability
    return DealPreview(
        name=deal.name,
        amount=amount,
        currency=currency,
        close_date=deal.close_date,
        stage_name=stage.name if isinstance(stage, Stage) else None,
        stage_code=stage.code if isinstance(stage, Stage) else None,
        probability=probability,
        probability_overridden=deal.probability is not None,
        expected_revenue=weighted(amount, probability),
        rating=deal.rating,
        deal_type=deal.deal_type,
        account_name=account.name if account else form.new_account,
        account_is_new=account is None and form.new_account is not None,
        contact_name=contact.name if contact else form.new_contact,
        contact_is_new=contact is None and form.new_contact is not None,
        campaign_name=campaign.name if isinstance(campaign, Campaign) else form.new_campaign,
        campaign_is_new=campaign is None and form.new_campaign is not None,
        source_name=source.name if isinstance(source, Source) else None,
        source_code=source.code if isinstance(source, Source) else None,
        description=deal.description,
        lines=lines,
    )


async def stage_new_links(uow: UnitOfWork, actor: Actor, form: DealForm) -> None:
    """Add the account, contact and campaign the form creates to the caller's transaction.

    Nothing is committed: the caller saves the deal in the same transaction, so a
    refused deal leaves no orphan company behind. The team's account with the same
    normalized name is linked instead of a duplicate; a campaign is created only by
    a manager, as campaigns are theirs to define.

    Raises:
        InvalidInput: a name is empty or too long, or a rep creates a campaign.
    """
    session = uow.session
    deal = form.deal
    if form.new_account and deal.account_id is None:
        account = await find_account_by_name(session, actor, form.new_account)
        if account is None:
            account = new_account(actor, form.new_account)
            session.add(account)
            await session.flush()
        deal.account_id = account.id
    if form.new_contact and deal.contact_id is None:
        account = await session.get(Account, deal.account_id) if deal.account_id else None
        contact = new_contact(actor, form.new_contact, account=account)
        session.add(contact)
        await session.flush()
        deal.contact_id = contact.id
    if form.new_campaign and deal.campaign_id is None:
        if not actor.is_manager:
            raise InvalidInput("campaign", "not_allowed")
        name = validation.name(form.new_campaign, "campaign")
        campaign = new_campaign(actor.team_id, name)
        session.add(campaign)
        await session.flush()
        deal.campaign_id = campaign.id


# The new-deal flow's buttons in bot/ import the pick check from here under this name.
get_campaign = offered_campaign
