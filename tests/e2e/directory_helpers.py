"""Accounts and contacts made before a test, and the rows a test reads back."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.directory import create_account, create_contact
from storage.models import Opportunity


async def add_accounts(uow_factory, owner, *names: str) -> None:
    """Create one account per name, each in its own unit of work, as a rep would."""
    for name in names:
        async with uow_factory() as uow:
            await create_account(uow, owner, name)


async def add_contacts(uow_factory, owner, *names: str) -> None:
    """Create one contact per name, each in its own unit of work, as a rep would."""
    for name in names:
        async with uow_factory() as uow:
            await create_contact(uow, owner, name)


async def count_of(uow_factory, model) -> int:
    async with uow_factory() as uow:
        return await uow.session.scalar(select(func.count(model.id)))


async def only_row(uow_factory, model):
    """The one row of ``model`` in the database; fails if there are none or several."""
    async with uow_factory() as uow:
        return (await uow.session.execute(select(model))).scalar_one()


async def only_deal(uow_factory) -> Opportunity:
    return await only_row(uow_factory, Opportunity)


async def name_of(uow_factory, model, row_id: int) -> str:
    async with uow_factory() as uow:
        return (await uow.session.get(model, row_id)).name
