"""Reading one record with the names of what it links to: what every card is made from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any, TypeVar

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import aliased

from storage.errors import NotFound
from storage.models import Account, Campaign, Contact, Lead, Opportunity, Source, User
from storage.uow import UnitOfWork

Card = TypeVar("Card")


def with_names(record: type[Opportunity] | type[Lead], *columns: Any) -> Select[Any]:
    """``record`` with ``columns`` and the names of its owner, account, contact, campaign and
    source, labelled as the cards name them: deals and leads link to the same five."""
    owner = aliased(User)
    return (
        select(
            record,
            *columns,
            owner.name.label("owner_name"),
            Account.name.label("account_name"),
            Contact.name.label("contact_name"),
            Campaign.name.label("campaign_name"),
            Source.name.label("source_name"),
            Source.code.label("source_code"),
        )
        .join(owner, owner.id == record.owner_id)
        .outerjoin(Account, Account.id == record.account_id)
        .outerjoin(Contact, Contact.id == record.contact_id)
        .outerjoin(Campaign, Campaign.id == record.campaign_id)
        .outerjoin(Source, Source.id == record.source_id)
    )


async def one_row(uow: UnitOfWork, statement: Select[Any], table: str, ident: object) -> Row[Any]:
    """The one row ``statement`` finds (it filters by id and by what the actor may see).

    Raises:
        NotFound: none, which to the actor is the same as another rep's record.
    """
    row = (await uow.session.execute(statement)).one_or_none()
    if row is None:
        raise NotFound(table, ident)
    return row


def card_of(cls: type[Card], record: object, names: Mapping[str, Any], **given: Any) -> Card:
    """A card dataclass whose every field is taken from ``given``, else from ``names`` (the
    row's labelled columns), else from the record's attribute of the same name."""
    values = {}
    for field in fields(cls):  # type: ignore[arg-type]
        if field.name in given:
            values[field.name] = given[field.name]
        elif field.name in names:
            values[field.name] = names[field.name]
        else:
            values[field.name] = getattr(record, field.name)
    return cls(**values)
