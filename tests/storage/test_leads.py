"""Converting a lead: one transaction, links what exists, never twice."""

from datetime import date

import pytest
from sqlalchemy import func, select

from storage import leads as leads_module
from storage.directory import create_account, create_contact
from storage.errors import InvalidInput
from storage.leads import convert_lead, plan_conversion
from storage.models import Account, Contact, Lead, LeadStatus, Opportunity
from storage.opportunities import OpportunityInput
from tests.leads import new_lead
from tests.units import in_own_uow


def _deal(name="Acme ERP"):
    return OpportunityInput(name=name, close_date=date(2026, 12, 31), amount=50_000_000)


async def _counts(uow_factory):
    async with uow_factory() as uow:
        return tuple(
            [
                await uow.session.scalar(select(func.count()).select_from(model))
                for model in (Account, Contact, Opportunity)
            ]
        )


async def test_converting_creates_account_contact_and_deal_linked_to_the_lead(seed, uow_factory):
    lead = await new_lead(
        uow_factory,
        seed.rep,
        person_name="Nguyễn Văn An",
        company_name="Cty TNHH Acme",
        phone="0901 234 567",
    )
    result = await in_own_uow(uow_factory, convert_lead, seed.rep, lead.id, _deal())
    assert result.account_created and result.contact_created
    assert result.opportunity.lead_id == lead.id
    assert result.opportunity.account_id == result.account.id
    assert result.opportunity.contact_id == result.contact.id
    async with uow_factory() as uow:
        stored = await uow.session.get(Lead, lead.id)
    assert stored.status is LeadStatus.CONVERTED
    assert (stored.account_id, stored.contact_id) == (result.account.id, result.contact.id)


async def test_converting_links_an_existing_account_and_contact(seed, uow_factory):
    account = await in_own_uow(uow_factory, create_account, seed.rep, "ACME Co., Ltd")
    contact = await in_own_uow(uow_factory, create_contact, seed.rep, "An", phone="+84 901 234 567")
    lead = await new_lead(
        uow_factory, seed.rep, person_name="An", company_name="acme", phone="0901234567"
    )
    plan = await in_own_uow(uow_factory, plan_conversion, seed.rep, lead.id)
    assert plan.existing_account.id == account.id
    assert plan.existing_contact.id == contact.id
    result = await in_own_uow(uow_factory, convert_lead, seed.rep, lead.id, _deal())
    assert not result.account_created and not result.contact_created
    assert (result.account.id, result.contact.id) == (account.id, contact.id)
    assert await _counts(uow_factory) == (1, 1, 1)


async def test_a_second_conversion_is_refused(seed, uow_factory):
    lead = await new_lead(uow_factory, seed.rep, person_name="Bao", company_name="Beta")
    await in_own_uow(uow_factory, convert_lead, seed.rep, lead.id, _deal())
    with pytest.raises(InvalidInput) as error:
        await in_own_uow(uow_factory, convert_lead, seed.rep, lead.id, _deal("Again"))
    assert error.value.reason == "already_converted"
    assert await _counts(uow_factory) == (1, 1, 1)


async def test_a_failure_half_way_leaves_nothing_behind(seed, uow_factory, monkeypatch):
    lead = await new_lead(
        uow_factory, seed.rep, person_name="Cuong", company_name="Gamma", email="c@g.vn"
    )

    async def explode(*args, **kwargs):
        raise RuntimeError("injected after the account and contact were added")

    monkeypatch.setattr(leads_module, "insert_opportunity", explode)
    with pytest.raises(RuntimeError):
        await in_own_uow(uow_factory, convert_lead, seed.rep, lead.id, _deal())
    assert await _counts(uow_factory) == (0, 0, 0)
    async with uow_factory() as uow:
        assert (await uow.session.get(Lead, lead.id)).status is LeadStatus.NEW


async def test_an_invalid_deal_during_conversion_leaves_nothing_behind(seed, uow_factory):
    lead = await new_lead(uow_factory, seed.rep, person_name="Dao", company_name="Delta")
    with pytest.raises(InvalidInput):
        await in_own_uow(uow_factory, convert_lead, seed.rep, lead.id, _deal(name=""))
    assert await _counts(uow_factory) == (0, 0, 0)
