"""Reading contacts and accounts: their cards, the deals behind them, naming one by text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from storage.actors import Actor
from storage.card_rows import card_of, one_row
from storage.directory import find_contact
from storage.errors import NotFound
from storage.lead_cards import SeveralMatch
from storage.models import Account, Contact, Opportunity, Result, Stage, User
from storage.permissions import get_visible, visible
from storage.queries import match_rank, search
from storage.text import company_key, fold
from storage.uow import UnitOfWork

Named = TypeVar("Named", Contact, Account)
# What a typed phone number looks like; an id is shorter than any phone.
_PHONE = re.compile(r"\+?[\d\s().-]{8,20}")


@dataclass(frozen=True, slots=True)
class DealLine:
    """One deal in a contact's or an account's list."""

    id: int
    name: str
    amount: int
    currency: str
    close_date: date
    stage_name: str
    stage_code: str | None
    probability: int
    result: Result


@dataclass(frozen=True, slots=True)
class ContactCard:
    id: int
    name: str
    phone: str | None
    email: str | None
    owner_name: str
    account_id: int | None
    account_name: str | None
    deal_count: int


@dataclass(frozen=True, slots=True)
class ContactLine:
    id: int
    name: str
    phone: str | None
    email: str | None


@dataclass(frozen=True, slots=True)
class AccountCard:
    """An account with the contacts and deals of it the actor may see."""

    id: int
    name: str
    phone: str | None
    email: str | None
    owner_name: str
    contacts: list[ContactLine]
    contact_count: int
    deals: list[DealLine]
    deal_count: int


def _deal_lines(actor: Actor, *where: object, limit: int):  # type: ignore[no-untyped-def]
    """Visible deals matching ``where``: open ones first by close date, then closed ones."""
    return (
        select(
            Opportunity.id,
            Opportunity.name,
            Opportunity.amount,
            Opportunity.currency,
            Opportunity.close_date,
            Stage.name,
            Stage.code,
            Opportunity.probability,
            Opportunity.result,
        )
        .join(Stage, Stage.id == Opportunity.stage_id)
        .where(visible(Opportunity, actor), *where)
        .order_by(
            (Opportunity.result != Result.OPEN), Opportunity.close_date, Opportunity.id.desc()
        )
        .limit(limit)
    )


async def _count(uow: UnitOfWork, model: type, actor: Actor, *where: object) -> int:
    statement = select(func.count()).select_from(model).where(visible(model, actor), *where)
    return int(await uow.session.scalar(statement) or 0)


async def contact_card(uow: UnitOfWork, actor: Actor, contact_id: int) -> ContactCard:
    """The card of a contact the actor may see.

    Raises:
        NotFound: no such contact, or another rep's.
    """
    owner = aliased(User)
    statement = (
        select(Contact, owner.name.label("owner_name"), Account.name.label("account_name"))
        .join(owner, owner.id == Contact.owner_id)
        .outerjoin(Account, Account.id == Contact.account_id)
        .where(Contact.id == contact_id, visible(Contact, actor))
    )
    row = await one_row(uow, statement, Contact.__tablename__, contact_id)
    deals = await _count(uow, Opportunity, actor, Opportunity.contact_id == contact_id)
    return card_of(ContactCard, row[0], row._mapping, deal_count=deals)


async def contact_deals(
    uow: UnitOfWork, actor: Actor, contact_id: int, *, limit: int = 10
) -> list[DealLine]:
    """The deals of a contact the actor may see, limited to the deals they may see.

    Raises:
        NotFound: no such contact, or another rep's.
    """
    await get_visible(uow.session, Contact, contact_id, actor)
    statement = _deal_lines(actor, Opportunity.contact_id == contact_id, limit=limit)
    return [DealLine(*row) for row in await uow.session.execute(statement)]


async def account_card(
    uow: UnitOfWork, actor: Actor, account_id: int, *, limit: int = 8
) -> AccountCard:
    """An account (shared by the team) with the contacts and deals the actor may see.

    Raises:
        NotFound: no such account in the actor's team.
    """
    owner = aliased(User)
    statement = (
        select(Account, owner.name.label("owner_name"))
        .join(owner, owner.id == Account.owner_id)
        .where(Account.id == account_id, visible(Account, actor))
    )
    row = await one_row(uow, statement, Account.__tablename__, account_id)
    account: Account = row[0]
    contacts = select(Contact.id, Contact.name, Contact.phone, Contact.email).where(
        visible(Contact, actor), Contact.account_id == account.id
    )
    contact_rows = await uow.session.execute(
        contacts.order_by(Contact.name, Contact.id).limit(limit)
    )
    deal_rows = await uow.session.execute(
        _deal_lines(actor, Opportunity.account_id == account.id, limit=limit)
    )
    return card_of(
        AccountCard,
        account,
        row._mapping,
        contacts=[ContactLine(*r) for r in contact_rows],
        contact_count=await _count(uow, Contact, actor, Contact.account_id == account.id),
        deals=[DealLine(*r) for r in deal_rows],
        deal_count=await _count(uow, Opportunity, actor, Opportunity.account_id == account.id),
    )


async def resolve_named(uow: UnitOfWork, actor: Actor, model: type[Named], text: str) -> Named:
    """The one contact or account the actor may see that ``text`` names.

    ``#id``, a name or part of it, and for a contact also a phone number or an e-mail.

    Raises:
        NotFound: nothing matches. SeveralMatch: several match and none exactly.
    """
    wanted = text.strip().lstrip("#")
    if wanted.isdigit() and len(wanted) < 8:
        return await get_visible(uow.session, model, int(wanted), actor)
    if model is Contact and (_PHONE.fullmatch(wanted) or "@" in wanted):
        phone, email = (None, wanted) if "@" in wanted else (wanted, None)
        contact = await find_contact(uow.session, actor, phone=phone, email=email)
        if contact is None:
            raise NotFound(model.__tablename__, text)
        return contact  # type: ignore[return-value]
    if model is Account:
        # Accounts are stored by their company key: "Cty TNHH ABC" is searched as "abc".
        found = await search_accounts(uow, actor, wanted, limit=6)
        exact = [a for a in found if a.search_name == company_key(wanted)]
    else:
        found = await search(uow, actor, model, wanted, limit=6)
        exact = [c for c in found if fold(c.name) == fold(wanted)]
    if not found:
        raise NotFound(model.__tablename__, text)
    if len(found) == 1 or len(exact) == 1:
        return (exact or found)[0]
    raise SeveralMatch(found)


async def search_accounts(
    uow: UnitOfWork, actor: Actor, text: str, *, limit: int = 6
) -> list[Account]:
    """The team's accounts whose name contains ``text`` (legal forms, case, marks ignored)."""
    needle = company_key(text) or fold(text)
    if not needle:
        return []
    statement = (
        select(Account)
        .where(visible(Account, actor), Account.search_name.contains(needle, autoescape=True))
        .order_by(match_rank(Account.search_name, needle), Account.name, Account.id)
        .limit(limit)
    )
    return list((await uow.session.execute(statement)).scalars())
