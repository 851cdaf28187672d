"""Creating a deal from one line: linking the account, contact and campaign it names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.exc import IntegrityError

from storage import idempotency
from storage.actors import Actor
from storage.campaigns import campaign_named
from storage.directory import find_account_by_name, new_account, new_contact
from storage.errors import DomainError, NotFound
from storage.models import Account, Contact, Opportunity
from storage.opportunities import ENTITY, OpportunityInput, get_opportunity, insert_opportunity
from storage.permissions import visible
from storage.queries import MAX_CANDIDATES, match_rank
from storage.text import company_key, fold
from storage.uow import UnitOfWork

# ``account_choice``/``contact_choice`` for "none of these: create a new one".
NEW = "new"


@dataclass(frozen=True, slots=True)
class QuickCreated:
    opportunity: Opportunity
    account_created: bool = False
    contact_created: bool = False
    campaign_missing: bool = False
    replayed: bool = False


def _named(column: ColumnElement[str], key: str) -> ColumnElement[bool]:
    """``key`` starts the name or one of its words (folded, so case and marks are ignored)."""
    return or_(column.startswith(key, autoescape=True), column.contains(" " + key, autoescape=True))


async def accounts_named(uow: UnitOfWork, actor: Actor, name: str) -> list[Account]:
    """The account ``@name`` means: the exact one, else every prefix or word match."""
    exact = await find_account_by_name(uow.session, actor, name)
    if exact is not None:
        return [exact]
    key = company_key(name)
    if not key:
        return []
    statement = (
        select(Account)
        .where(visible(Account, actor), _named(Account.search_name, key))
        .order_by(match_rank(Account.search_name, key), Account.name, Account.id)
        .limit(MAX_CANDIDATES)
    )
    return list((await uow.session.execute(statement)).scalars())


async def contacts_named(
    uow: UnitOfWork, actor: Actor, name: str, account: Account | None
) -> list[Contact]:
    """The contacts ``+name`` may mean (at the account, when one is named)."""
    key = fold(name)
    if not key:
        return []
    statement = select(Contact).where(visible(Contact, actor), _named(Contact.search_name, key))
    if account is not None:
        statement = statement.where(Contact.account_id == account.id)
    statement = statement.order_by(match_rank(Contact.search_name, key), Contact.id)
    found = list((await uow.session.execute(statement.limit(MAX_CANDIDATES))).scalars())
    exact = [contact for contact in found if fold(contact.name) == key]
    return exact if len(exact) == 1 else found


class AmbiguousLink(DomainError):
    """``@name`` or ``+name`` matches several records: the member picks one, or "new"."""

    def __init__(self, field: str, candidates: list[Account] | list[Contact]) -> None:
        super().__init__(f"{len(candidates)} {field}s match")
        self.field = field
        self.candidates = candidates


def _chosen(field: str, found: list[Any], choice: int | str | None) -> tuple[Any, bool]:
    """The record to link and whether to create one instead (see ``create_from_line``)."""
    if choice == NEW:
        return None, True
    if isinstance(choice, int):
        picked = next((row for row in found if row.id == choice), None)
        if picked is None:
            raise NotFound(field, choice)
        return picked, False
    if len(found) > 1:
        raise AmbiguousLink(field, found)
    return (found[0], False) if found else (None, True)


async def create_from_line(
    uow: UnitOfWork,
    actor: Actor,
    data: OpportunityInput,
    *,
    account_name: str | None = None,
    contact_name: str | None = None,
    campaign_name: str | None = None,
    idempotency_key: str | None = None,
    account_choice: int | str | None = None,
    contact_choice: int | str | None = None,
) -> QuickCreated:
    """Create a deal and, in the same transaction, the account and contact it names.

    ``@name`` links the team's account with that name, else the only one it starts or
    has a word starting with ("@Bangkok" is "Bangkok Dental Clinic"); ``+name`` the only
    such contact (at the account, when one is named). When nothing matches, one is
    created. When several match, nothing is guessed: ``AmbiguousLink`` lists them, and
    the answer comes back as ``account_choice``/``contact_choice``: an id, or ``NEW``.
    A campaign is only linked, never created: campaigns are the managers' to define.

    Raises:
        InvalidInput: a deal field breaks a rule; nothing is created.
        AmbiguousLink: see above; nothing is created.
        NotFound: a chosen id is not among the matches.
    """
    session = uow.session
    try:
        # A key used before fails here, before any work, and is answered below: reading
        # it first would cost every line a statement to spare a rare repeat one.
        key = await idempotency.claim(session, idempotency_key, ENTITY)
        account, account_created = None, False
        if account_name:
            found = await accounts_named(uow, actor, account_name)
            account, account_created = _chosen("account", found, account_choice)
            if account_created:
                account = new_account(actor, account_name)
                session.add(account)
                await session.flush()
        contact, contact_created = None, False
        if contact_name:
            found = await contacts_named(uow, actor, contact_name, account)
            contact, contact_created = _chosen("contact", found, contact_choice)
            if contact_created:
                contact = new_contact(actor, contact_name, account=account)
                session.add(contact)
                await session.flush()
        campaign = await campaign_named(uow, actor, campaign_name) if campaign_name else None
        data.account_id = account.id if account else data.account_id
        data.contact_id = contact.id if contact else data.contact_id
        data.campaign_id = campaign.id if campaign else data.campaign_id
        deal = await insert_opportunity(session, actor, data)
        await idempotency.name(session, key, deal.id)
        await uow.commit()
    except IntegrityError as error:
        previous = await idempotency.lost_race(uow, idempotency_key, error)
        if previous.entity_id is None:
            raise
        return QuickCreated(await get_opportunity(uow, actor, previous.entity_id), replayed=True)
    return QuickCreated(
        deal,
        account_created=account_created,
        contact_created=contact_created,
        campaign_missing=bool(campaign_name) and campaign is None,
    )
