"""Reading leads, contacts and accounts with permissions; separate link choices on converting."""

from datetime import date

import pytest

from storage.directory import create_account, create_contact
from storage.directory_cards import account_card, contact_card, contact_deals, resolve_named
from storage.errors import NotFound
from storage.lead_cards import SeveralMatch, lead_card, my_leads, resolve_lead
from storage.leads import convert_lead
from storage.models import Contact, LeadStatus
from storage.opportunities import OpportunityInput, create_opportunity
from tests.leads import new_lead
from tests.units import in_own_uow


def _deal(name="Acme ERP", **fields):
    return OpportunityInput(name=name, close_date=date(2026, 12, 31), amount=10, **fields)


async def test_conversion_links_the_account_and_creates_the_contact_when_asked_to(
    seed, uow_factory
):
    account = await in_own_uow(uow_factory, create_account, seed.rep2, "Acme")
    old = await in_own_uow(uow_factory, create_contact, seed.rep, "An", phone="0901234567")
    lead = await new_lead(
        uow_factory, seed.rep, person_name="An", company_name="ACME", phone="0901234567"
    )
    result = await in_own_uow(
        uow_factory, convert_lead, seed.rep, lead.id, _deal(), link_account=True, link_contact=False
    )
    assert (result.account.id, result.account_created) == (account.id, False)
    assert result.contact_created and result.contact.id != old.id
    assert result.contact.account_id == account.id


async def test_a_converted_leads_card_names_its_account_contact_and_deal(seed, uow_factory):
    lead = await new_lead(uow_factory, seed.rep, person_name="Bao", company_name="Beta")
    result = await in_own_uow(uow_factory, convert_lead, seed.rep, lead.id, _deal("Beta deal"))
    card = await in_own_uow(uow_factory, lead_card, seed.rep, lead.id)
    assert card.status is LeadStatus.CONVERTED and not card.is_open
    assert (card.account_name, card.contact_name, card.deal_id, card.deal_name) == (
        "Beta",
        "Bao",
        result.opportunity.id,
        "Beta deal",
    )
    with pytest.raises(NotFound):
        await in_own_uow(uow_factory, lead_card, seed.rep2, lead.id)
    async with uow_factory() as uow:
        assert (await lead_card(uow, seed.manager, lead.id)).id == lead.id


async def test_my_leads_and_naming_a_lead_keep_to_the_reps_own(seed, uow_factory):
    for actor, name in ((seed.rep, "Lan A"), (seed.rep, "Lan B"), (seed.rep2, "Lan C")):
        await new_lead(uow_factory, actor, person_name=name)
    async with uow_factory() as uow:
        assert [lead.person_name for lead in await my_leads(uow, seed.rep)] == ["Lan B", "Lan A"]
    with pytest.raises(SeveralMatch):
        await in_own_uow(uow_factory, resolve_lead, seed.rep, "lan")
    async with uow_factory() as uow:
        assert (await resolve_lead(uow, seed.rep, "lan b")).person_name == "Lan B"
    with pytest.raises(NotFound):
        await in_own_uow(uow_factory, resolve_lead, seed.rep, "Lan C")


async def test_a_contacts_deals_and_an_accounts_people_are_the_ones_the_reader_may_see(
    seed, uow_factory
):
    account = await in_own_uow(uow_factory, create_account, seed.rep, "Acme")
    contacts = {}
    for actor, phone in ((seed.rep, "0901234561"), (seed.rep2, "0901234562")):
        async with uow_factory() as uow:
            contacts[actor.id] = await create_contact(
                uow, actor, f"Person {actor.id}", account_id=account.id, phone=phone
            )
        await in_own_uow(
            uow_factory,
            create_opportunity,
            actor,
            _deal(f"Deal {actor.id}", account_id=account.id, contact_id=contacts[actor.id].id),
        )
    mine = contacts[seed.rep.id]
    async with uow_factory() as uow:
        card = await contact_card(uow, seed.rep, mine.id)
        deals = await contact_deals(uow, seed.rep, mine.id)
        overview = await account_card(uow, seed.rep, account.id)
        team_view = await account_card(uow, seed.manager, account.id)
    assert card.deal_count == 1 and [d.name for d in deals] == [f"Deal {seed.rep.id}"]
    assert (overview.contact_count, overview.deal_count) == (1, 1)
    assert (team_view.contact_count, team_view.deal_count) == (2, 2)
    with pytest.raises(NotFound):
        await in_own_uow(uow_factory, contact_deals, seed.rep, contacts[seed.rep2.id].id)
    with pytest.raises(NotFound):
        await in_own_uow(uow_factory, account_card, seed.other_rep, account.id)
    by_phone = await in_own_uow(uow_factory, resolve_named, seed.rep, Contact, "+84 901 234 561")
    assert by_phone.id == mine.id
    with pytest.raises(NotFound):
        await in_own_uow(uow_factory, resolve_named, seed.rep, Contact, "0901 234 562")
