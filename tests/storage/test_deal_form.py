"""The guided form's storage side: choices scoped to the team, previews, links made on save."""

from datetime import date

import pytest
from sqlalchemy import func, select

from storage.deal_form import (
    DealForm,
    preview_deal,
    search_campaigns,
    stage_new_links,
    team_products,
)
from storage.directory import new_account, new_contact
from storage.errors import InvalidInput
from storage.models import Account, Campaign, Product
from storage.opportunities import LineInput, OpportunityInput, create_opportunity
from storage.text import fold


def _form(**fields):
    fields.setdefault("name", "Acme ERP")
    fields.setdefault("close_date", date(2026, 12, 31))
    return OpportunityInput(**fields)


async def test_choices_are_the_teams_own(seed, uow_factory):
    async with uow_factory() as uow:
        uow.session.add_all(
            [
                Campaign(team_id=seed.team.id, name="Tết 2027", search_name=fold("Tết 2027")),
                Campaign(team_id=seed.other_team.id, name="Tet BKK", search_name="tet bkk"),
                Product(team_id=seed.team.id, name="Router", unit_price=5, currency="VND"),
                Product(team_id=seed.team.id, name="Cloud", unit_price=5, currency="USD"),
                Product(
                    team_id=seed.other_team.id, name="Router BKK", unit_price=5, currency="VND"
                ),
            ]
        )
        await uow.commit()
    async with uow_factory() as uow:
        assert [c.name for c in await search_campaigns(uow, seed.rep, "TET")] == ["Tết 2027"]
        assert [p.name for p in await team_products(uow, seed.rep, "VND")] == ["Router"]
        assert [p.name for p in await team_products(uow, seed.rep, "VND", "clo")] == []


async def test_the_preview_sums_lines_and_hides_what_the_actor_may_not_see(seed, uow_factory):
    async with uow_factory() as uow:
        others = new_contact(seed.rep2, "Bình")
        router = Product(team_id=seed.team.id, name="Router", unit_price=1_500_000, currency="VND")
        uow.session.add_all([others, router])
        await uow.commit()
    form = DealForm(
        _form(contact_id=others.id, probability=70, lines=[LineInput(router.id, 3)]),
        new_account="Acme",
    )
    async with uow_factory() as uow:
        preview = await preview_deal(uow, seed.rep, form)
    assert (preview.amount, preview.expected_revenue, preview.currency) == (
        4_500_000,
        3_150_000,
        "VND",
    )
    assert preview.contact_name is None
    assert (preview.account_name, preview.account_is_new) == ("Acme", True)


async def test_new_links_are_saved_with_the_deal_or_not_at_all(seed, uow_factory):
    async with uow_factory() as uow:
        uow.session.add(new_account(seed.rep, "Công ty Hoàng Long"))
        await uow.commit()
    form = DealForm(_form(), new_account="Hoang Long", new_contact="Mr Long")
    async with uow_factory() as uow:
        await stage_new_links(uow, seed.rep, form)
        deal = await create_opportunity(uow, seed.rep, form.deal)
    async with uow_factory() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Account)) == 1
    assert deal.account_id is not None and deal.contact_id is not None

    refused = DealForm(_form(name=""), new_account="Brand new")
    with pytest.raises(InvalidInput):
        async with uow_factory() as uow:
            await stage_new_links(uow, seed.rep, refused)
            await create_opportunity(uow, seed.rep, refused.deal)
    async with uow_factory() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Account)) == 1


async def test_only_a_manager_creates_a_campaign_from_the_form(seed, uow_factory):
    with pytest.raises(InvalidInput) as raised:
        async with uow_factory() as uow:
            await stage_new_links(uow, seed.rep, DealForm(_form(), new_campaign="Summer"))
    assert (raised.value.field, raised.value.reason) == ("campaign", "not_allowed")
    form = DealForm(_form(), new_campaign="Summer")
    async with uow_factory() as uow:
        await stage_new_links(uow, seed.manager, form)
        deal = await create_opportunity(uow, seed.manager, form.deal)
    async with uow_factory() as uow:
        campaign = await uow.session.get(Campaign, deal.campaign_id)
    assert (campaign.name, campaign.team_id) == ("Summer", seed.team.id)
