"""Creating a deal from one line: linking the account, contact and campaign it names."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from storage import idempotency
from storage.actors import Actor
from storage.directory import find_account_by_name, new_account, new_contact
from storage.models import Account, Campaign, Contact, Opportunity
from storage.opportunities import ENTITY, OpportunityInput, get_opportunity, insert_opportunity
from storage.permissions import visible
from storage.text import fold
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class QuickCreated:
    opportunity: Opportunity
    account_created: bool = False
    contact_created: bool = False
    campaign_missing: bool = False
    replayed: bool = False


async def _campaign(uow: UnitOfWork, actor: Actor, name: str) -> Campaign | None:
    statement = select(Campaign).where(
        Campaign.team_id == actor.team_id, Campaign.search_name == fold(name)
    )
    return (await uow.session.execute(statement.limit(1))).scalar_one_or_none()


async def _contact(
    uow: UnitOfWork, actor: Actor, name: str, account: Account | None
) -> Contact | None:
    """The one visible contact with this name (at this account, when one is named)."""
    statement = select(Contact).where(
        visible(Contact, actor), Contact.search_name.startswith(fold(name), autoescape=True)
    )
    if account is not None:
        statement = statement.where(Contact.account_id == account.id)
    matches = list((await uow.session.execute(statement.limit(2))).scalars())
    return matches[0] if len(matches) == 1 else None


async def create_from_line(
    uow: UnitOfWork,
    actor: Actor,
    data: OpportunityInput,
    *,
    account_name: str | None = None,
    contact_name: str | None = None,
    campaign_name: str | None = None,
    idempotency_key: str | None = None,
) -> QuickCreated:
    """Create a deal and, in the same transaction, the account and contact it names.

    The account is the team's one with the same normalized name, else a new one; the
    contact is the only visible one of that name, else a new one at the account. A
    campaign is only linked, never created: campaigns are the managers' to define.

    Raises:
        InvalidInput: a deal field breaks a rule; nothing is created.
    """
    previous = await idempotency.previous_result(uow.session, idempotency_key)
    if previous is not None and previous.entity_id is not None:
        deal = await get_opportunity(uow, actor, previous.entity_id)
        return QuickCreated(deal, replayed=True)
    session = uow.session
    try:
        key = await idempotency.claim(session, idempotency_key, ENTITY)
        account, account_created = None, False
        if account_name:
            account = await find_account_by_name(session, actor, account_name)
            if account is None:
                account, account_created = new_account(actor, account_name), True
                session.add(account)
                await session.flush()
        contact, contact_created = None, False
        if contact_name:
            contact = await _contact(uow, actor, contact_name, account)
            if contact is None:
                contact, contact_created = new_contact(actor, contact_name, account=account), True
                session.add(contact)
                await session.flush()
        campaign = await _campaign(uow, actor, campaign_name) if campaign_name else None
        data.account_id = account.id if account else data.account_id
        data.contact_id = contact.id if contact else data.contact_id
        data.campaign_id = campaign.id if campaign else data.campaign_id
        deal = await insert_opportunity(session, actor, data)
        if key is not None:
            key.entity_id = deal.id
        await uow.commit()
    except IntegrityError:
        await uow.rollback()
        previous = await idempotency.previous_result(uow.session, idempotency_key)
        if previous is None or previous.entity_id is None:
            raise
        return QuickCreated(await get_opportunity(uow, actor, previous.entity_id), replayed=True)
    return QuickCreated(
        deal,
        account_created=account_created,
        contact_created=contact_created,
        campaign_missing=bool(campaign_name) and campaign is None,
    )
