"""Accounts (companies) and contacts (people at them)."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import validation
from storage.actors import Actor
from storage.errors import InvalidInput
from storage.models import Account, Contact
from storage.permissions import get_visible, visible
from storage.text import company_key, fold, normalize_email, normalize_phone, phone_key
from storage.uow import UnitOfWork


def _contact_search(name: str, account_name: str | None = None) -> str:
    return fold(f"{name} {account_name or ''}")[:200]


async def find_account_by_name(session: AsyncSession, actor: Actor, name: str) -> Account | None:
    """The team's account whose normalized name equals this one's."""
    key = company_key(name)
    statement = (
        select(Account)
        .where(Account.team_id == actor.team_id, Account.search_name == key)
        .order_by(Account.id)
        .limit(1)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def find_contact(
    session: AsyncSession, actor: Actor, *, phone: str | None, email: str | None
) -> Contact | None:
    """A contact the actor may see with the same phone or e-mail."""
    conditions = []
    if phone_key(phone):
        conditions.append(Contact.phone.like(f"%{phone_key(phone)}"))
    if normalize_email(email):
        conditions.append(Contact.email == normalize_email(email))
    if not conditions:
        return None
    statement = (
        select(Contact)
        .where(Contact.team_id == actor.team_id, visible(Contact, actor), or_(*conditions))
        .order_by(Contact.id)
    )
    for contact in (await session.execute(statement)).scalars():
        if contact.email and contact.email == normalize_email(email):
            return contact
        if phone_key(contact.phone) and phone_key(contact.phone) == phone_key(phone):
            return contact
    return None


def new_account(
    actor: Actor, name: str, phone: str | None = None, email: str | None = None
) -> Account:
    name = validation.name(name, "account")
    return Account(
        team_id=actor.team_id,
        owner_id=actor.id,
        name=name,
        search_name=company_key(name)[:200],
        phone=normalize_phone(phone),
        email=normalize_email(email),
    )


def new_contact(
    actor: Actor,
    name: str,
    *,
    account: Account | None = None,
    phone: str | None = None,
    email: str | None = None,
) -> Contact:
    name = validation.name(name, "contact")
    return Contact(
        team_id=actor.team_id,
        owner_id=actor.id,
        account_id=account.id if account else None,
        name=name,
        search_name=_contact_search(name, account.name if account else None),
        phone=normalize_phone(phone),
        email=normalize_email(email),
    )


async def create_account(
    uow: UnitOfWork, actor: Actor, name: str, *, phone: str | None = None, email: str | None = None
) -> Account:
    """Create a company, or return the team's existing one with the same normalized name."""
    existing = await find_account_by_name(uow.session, actor, name)
    if existing is not None:
        return existing
    account = new_account(actor, name, phone, email)
    uow.session.add(account)
    await uow.commit()
    return account


async def create_contact(
    uow: UnitOfWork,
    actor: Actor,
    name: str,
    *,
    account_id: int | None = None,
    phone: str | None = None,
    email: str | None = None,
) -> Contact:
    """Create a person, optionally at an account the actor can see."""
    account = None
    if account_id is not None:
        account = await get_visible(uow.session, Account, account_id, actor)
    if email is not None and "@" not in email:
        raise InvalidInput("email", "invalid")
    contact = new_contact(actor, name, account=account, phone=phone, email=email)
    uow.session.add(contact)
    await uow.commit()
    return contact


async def get_contact(uow: UnitOfWork, actor: Actor, contact_id: int) -> Contact:
    return await get_visible(uow.session, Contact, contact_id, actor)


async def get_account(uow: UnitOfWork, actor: Actor, account_id: int) -> Account:
    return await get_visible(uow.session, Account, account_id, actor)
