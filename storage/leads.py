"""Leads: capture an unqualified prospect, convert it into account, contact and deal."""

from __future__ import annotations

from dataclasses import dataclass

from storage import idempotency, validation
from storage.actors import Actor
from storage.directory import find_account_by_name, find_contact, new_account, new_contact
from storage.errors import InvalidInput
from storage.ids import get_row
from storage.models import Account, Campaign, Contact, Lead, LeadStatus, Opportunity, Source
from storage.opportunities import OpportunityInput, insert_opportunity
from storage.permissions import get_visible
from storage.text import fold, normalize_email, normalize_phone
from storage.uow import UnitOfWork


@dataclass(slots=True)
class LeadInput:
    person_name: str
    company_name: str | None = None
    phone: str | None = None
    email: str | None = None
    source_id: int | None = None
    campaign_id: int | None = None


async def create_lead(
    uow: UnitOfWork, actor: Actor, data: LeadInput, *, idempotency_key: str | None = None
) -> Lead:
    """Record a new prospect owned by the actor.

    Args:
        idempotency_key: a key already used returns the first lead and creates nothing.

    Raises:
        InvalidInput: empty or too long names, an e-mail without "@", a source or
            campaign of another team.
    """
    previous = await idempotency.previous_result(uow.session, idempotency_key)
    if previous is not None and previous.entity_id is not None:
        return await get_lead(uow, actor, previous.entity_id)
    person = validation.name(data.person_name, "person_name")
    company = validation.optional_text(data.company_name, "company_name", max_length=200)
    if data.email and "@" not in data.email:
        raise InvalidInput("email", "invalid")
    lead = Lead(
        team_id=actor.team_id,
        owner_id=actor.id,
        person_name=person,
        company_name=company,
        search_name=fold(f"{person} {company or ''}"),
        phone=normalize_phone(data.phone),
        email=normalize_email(data.email),
        source_id=data.source_id,
        campaign_id=data.campaign_id,
    )
    for model, ident in ((Source, data.source_id), (Campaign, data.campaign_id)):
        if ident is not None:
            row = await get_row(uow.session, model, ident)
            if row is None or row.team_id != actor.team_id:
                raise InvalidInput(model.__tablename__.rstrip("s"), "unknown")
    await idempotency.add_keyed(uow.session, idempotency_key, "lead", lead)
    await uow.commit()
    return lead


async def get_lead(uow: UnitOfWork, actor: Actor, lead_id: int) -> Lead:
    return await get_visible(uow.session, Lead, lead_id, actor)


@dataclass(frozen=True, slots=True)
class ConversionPlan:
    """What converting a lead would link rather than create."""

    existing_account: Account | None
    existing_contact: Contact | None


async def plan_conversion(uow: UnitOfWork, actor: Actor, lead_id: int) -> ConversionPlan:
    """Find the account and contact a conversion would link, without changing anything."""
    lead = await get_lead(uow, actor, lead_id)
    account = None
    if lead.company_name:
        account = await find_account_by_name(uow.session, actor, lead.company_name)
    contact = await find_contact(uow.session, actor, phone=lead.phone, email=lead.email)
    return ConversionPlan(existing_account=account, existing_contact=contact)


@dataclass(frozen=True, slots=True)
class Conversion:
    lead: Lead
    account: Account | None
    contact: Contact
    opportunity: Opportunity
    account_created: bool
    contact_created: bool


async def convert_lead(
    uow: UnitOfWork,
    actor: Actor,
    lead_id: int,
    deal: OpportunityInput,
    *,
    link_account: bool = True,
    link_contact: bool = True,
    idempotency_key: str | None = None,
) -> Conversion:
    """Turn a lead into an account, a contact and a deal, all or nothing.

    Args:
        link_account: link the team's account with the lead's normalized company name
            (as ``plan_conversion`` shows it); False creates a new one.
        link_contact: link the actor's contact with the lead's phone or e-mail; False
            creates a new one.
        idempotency_key: recorded in the same transaction, so a repeated request fails
            instead of converting twice.

    Raises:
        NotFound: no such lead for this actor.
        InvalidInput: (``lead``, ``already_converted``) or a deal field breaks a rule.
    """
    session = uow.session
    await idempotency.claim(session, idempotency_key, "lead")
    lead = await get_visible(session, Lead, lead_id, actor, for_write=True)
    if lead.status is LeadStatus.CONVERTED:
        raise InvalidInput("lead", "already_converted")
    if lead.status is LeadStatus.DISQUALIFIED:
        raise InvalidInput("lead", "disqualified")

    account, account_created = None, False
    if lead.company_name:
        if link_account:
            account = await find_account_by_name(session, actor, lead.company_name)
        if account is None:
            account, account_created = new_account(actor, lead.company_name), True
            session.add(account)
            await session.flush()

    contact = None
    if link_contact:
        contact = await find_contact(session, actor, phone=lead.phone, email=lead.email)
        if contact is not None and contact.account_id is None and account is not None:
            # A person known without a company now has one: the lead says where they work.
            contact.account_id = account.id
    contact_created = contact is None
    if contact is None:
        contact = new_contact(
            actor, lead.person_name, account=account, phone=lead.phone, email=lead.email
        )
        session.add(contact)
        await session.flush()

    deal.account_id = account.id if account else None
    deal.contact_id = contact.id
    deal.source_id = deal.source_id or lead.source_id
    deal.campaign_id = deal.campaign_id or lead.campaign_id
    opportunity = await insert_opportunity(session, actor, deal, lead_id=lead.id)

    lead.status = LeadStatus.CONVERTED
    lead.account_id = account.id if account else None
    lead.contact_id = contact.id
    await uow.commit()
    return Conversion(lead, account, contact, opportunity, account_created, contact_created)


async def disqualify_lead(uow: UnitOfWork, actor: Actor, lead_id: int) -> Lead:
    lead = await get_visible(uow.session, Lead, lead_id, actor, for_write=True)
    if lead.status is LeadStatus.CONVERTED:
        raise InvalidInput("lead", "already_converted")
    lead.status = LeadStatus.DISQUALIFIED
    await uow.commit()
    return lead
