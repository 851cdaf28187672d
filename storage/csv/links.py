"""The accounts, contacts and campaigns imported rows name: found, or created, a batch at once."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.actors import Actor
from storage.campaigns import campaign_ids_named, campaign_key, new_campaign
from storage.csv.imports import ImportRow
from storage.directory import new_account, new_contact
from storage.models import Account, Contact, Role
from storage.permissions import visible
from storage.text import company_key, fold

_CHUNK = 500


def account_key(name: str) -> str:
    return company_key(name)[:200]


def contact_key(name: str, account_id: int | None) -> tuple[str, int | None]:
    return fold(name), account_id


@dataclass
class Links:
    """What this run has resolved, by normalized name: ids and names, never ORM objects,
    which a batch rolled back to its savepoint would expire."""

    accounts: dict[str, tuple[int, str]] = field(default_factory=dict)
    contacts: dict[tuple[str, int | None], int] = field(default_factory=dict)
    campaigns: dict[str, int] = field(default_factory=dict)

    def copy(self) -> Links:
        return copy.deepcopy(self)

    def restore(self, saved: Links) -> None:
        """Forget what a rolled-back transaction created."""
        self.accounts, self.contacts, self.campaigns = (
            saved.accounts,
            saved.contacts,
            saved.campaigns,
        )

    def ids(self, row: ImportRow) -> dict[str, int]:
        """The account, contact and campaign ids of a row whose links are resolved."""
        found: dict[str, int] = {}
        account_id = None
        if row.account:
            account_id = found["account_id"] = self.accounts[account_key(row.account)][0]
        if row.contact:
            found["contact_id"] = self.contacts[contact_key(row.contact, account_id)]
        if row.campaign:
            found["campaign_id"] = self.campaigns[campaign_key(row.campaign)]
        return found


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


async def _accounts(
    session: AsyncSession, actor: Actor, wanted: dict[str, tuple[str, int]], links: Links
) -> None:
    """The team's account with the same normalized name (as lead conversion finds it),
    else a new one owned by the first row's deal owner."""
    keys = sorted(set(wanted) - set(links.accounts))
    for chunk in _chunks(keys):
        statement = (
            select(Account.id, Account.name, Account.search_name)
            .where(Account.team_id == actor.team_id, Account.search_name.in_(chunk))
            .order_by(Account.id)
        )
        for ident, name, key in await session.execute(statement):
            links.accounts.setdefault(key, (ident, name))
    created = [
        new_account(Actor(owner, actor.team_id, Role.REP), name)
        for key, (name, owner) in wanted.items()
        if key not in links.accounts
    ]
    if created:
        session.add_all(created)
        await session.flush()
        for account in created:
            links.accounts[account.search_name] = (account.id, account.name)


async def _contacts(
    session: AsyncSession,
    actor: Actor,
    wanted: dict[tuple[str, int | None], tuple[str, int]],
    links: Links,
) -> None:
    """The one visible contact of that name at that account, as quick-create links it,
    else a new one at the account."""
    keys = [key for key in wanted if key not in links.contacts]
    if not keys:
        return
    account_names = {ident: name for ident, name in links.accounts.values()}
    # A contact's search name is its name and its account's, folded (storage.directory).
    searches = sorted(
        {fold(f"{wanted[key][0]} {account_names.get(key[1], '')}")[:200] for key in keys}
    )
    candidates: dict[tuple[str, int | None], list[int]] = {}
    for chunk in _chunks(searches):
        statement = select(Contact.id, Contact.name, Contact.account_id).where(
            Contact.team_id == actor.team_id,
            visible(Contact, actor),
            Contact.search_name.in_(chunk),
        )
        for ident, name, account_id in await session.execute(statement):
            candidates.setdefault(contact_key(name, account_id), []).append(ident)
    created: list[tuple[tuple[str, int | None], Contact]] = []
    for key in keys:
        matches = candidates.get(key, [])
        if len(matches) == 1:
            links.contacts[key] = matches[0]
            continue
        name, owner = wanted[key]
        # new_contact reads only the account's id and name; this stand-in is never added.
        account = Account(id=key[1], name=account_names[key[1]]) if key[1] is not None else None
        contact = new_contact(Actor(owner, actor.team_id, Role.REP), name, account=account)
        created.append((key, contact))
    if created:
        session.add_all([contact for _, contact in created])
        await session.flush()
        for key, contact in created:
            links.contacts[key] = contact.id


async def _campaigns(
    session: AsyncSession, actor: Actor, wanted: dict[str, str], links: Links
) -> None:
    """The team's campaign of that name, else a new one: importers are managers, and
    managers define campaigns."""
    keys = sorted(set(wanted) - set(links.campaigns))
    for chunk in _chunks(keys):
        for key, ident in (await campaign_ids_named(session, actor.team_id, chunk)).items():
            links.campaigns.setdefault(key, ident)
    created = [
        new_campaign(actor.team_id, name)
        for key, name in wanted.items()
        if key not in links.campaigns
    ]
    if created:
        session.add_all(created)
        await session.flush()
        for campaign in created:
            links.campaigns[campaign.search_name] = campaign.id


async def resolve_links(
    session: AsyncSession,
    actor: Actor,
    rows: list[ImportRow],
    links: Links,
    owner_of: Callable[[ImportRow], int],
) -> None:
    """Find or create every account, contact and campaign the rows name, in a few statements.

    New accounts and contacts belong to the deal's owner, as when that rep converts a lead.
    """
    accounts: dict[str, tuple[str, int]] = {}
    campaigns: dict[str, str] = {}
    for row in rows:
        if row.account:
            accounts.setdefault(account_key(row.account), (row.account, owner_of(row)))
        if row.campaign:
            campaigns.setdefault(campaign_key(row.campaign), row.campaign)
    await _accounts(session, actor, accounts, links)
    contacts: dict[tuple[str, int | None], tuple[str, int]] = {}
    for row in rows:
        if row.contact:
            account_id = links.accounts[account_key(row.account)][0] if row.account else None
            contacts.setdefault(contact_key(row.contact, account_id), (row.contact, owner_of(row)))
    await _contacts(session, actor, contacts, links)
    await _campaigns(session, actor, campaigns, links)
