"""A one-line deal under an update's key: made once, however often the update arrives."""

from datetime import date

from sqlalchemy import func, select

from storage.models import Account, Opportunity
from storage.opportunities import OpportunityInput
from storage.quick_create import create_from_line


def _line() -> OpportunityInput:
    return OpportunityInput(name="Acme ERP", close_date=date(2026, 12, 31), amount=500)


async def _count(uow_factory, model) -> int:
    async with uow_factory() as uow:
        return await uow.session.scalar(select(func.count()).select_from(model))


async def test_the_same_key_gives_back_the_first_deal_and_creates_nothing_more(seed, uow_factory):
    deals, accounts = await _count(uow_factory, Opportunity), await _count(uow_factory, Account)
    async with uow_factory() as uow:
        first = await create_from_line(
            uow, seed.rep, _line(), account_name="Acme Holdings", idempotency_key="update:1:7"
        )
    async with uow_factory() as uow:
        again = await create_from_line(
            uow, seed.rep, _line(), account_name="Acme Holdings", idempotency_key="update:1:7"
        )
    assert not first.replayed and first.account_created
    assert again.replayed and again.opportunity.id == first.opportunity.id
    assert await _count(uow_factory, Opportunity) == deals + 1
    assert await _count(uow_factory, Account) == accounts + 1


async def test_another_key_makes_another_deal(seed, uow_factory):
    async with uow_factory() as uow:
        first = await create_from_line(uow, seed.rep, _line(), idempotency_key="update:1:8")
    async with uow_factory() as uow:
        second = await create_from_line(uow, seed.rep, _line(), idempotency_key="update:1:9")
    assert not second.replayed and second.opportunity.id != first.opportunity.id
