"""An ended campaign is not offered for new deals, but stays on the deals that carry it."""

from datetime import date

import pytest

from storage.board import board_choices
from storage.campaigns import (
    campaign_ids_named,
    campaign_named,
    campaign_names,
    new_campaign,
    offered_campaign,
    offered_campaigns,
    search_campaigns,
)
from storage.cards import deal_card
from storage.errors import NotFound
from storage.opportunities import OpportunityInput, create_opportunity
from storage.quick_create import create_from_line
from storage.reports.totals import GroupBy, pipeline_totals


async def _campaigns(uow_factory, team_id, *names, ended=()):
    async with uow_factory() as uow:
        rows = [new_campaign(team_id, name) for name in names]
        for row in rows:
            row.active = row.name not in ended
        uow.session.add_all(rows)
        await uow.commit()
    return {row.name: row for row in rows}


async def test_an_ended_campaign_is_not_offered_for_a_new_deal_or_lead(seed, uow_factory):
    rows = await _campaigns(uow_factory, seed.team.id, "Tết 2026", "Tết 2027", ended={"Tết 2026"})
    async with uow_factory() as uow:
        assert [c.name for c in await offered_campaigns(uow, seed.rep)] == ["Tết 2027"]
        assert [c.name for c in await search_campaigns(uow, seed.rep, "tet")] == ["Tết 2027"]
        assert (await offered_campaign(uow, seed.rep, rows["Tết 2027"].id)).name == "Tết 2027"
        with pytest.raises(NotFound):
            await offered_campaign(uow, seed.rep, rows["Tết 2026"].id)


async def test_a_button_cannot_pick_another_teams_campaign(seed, uow_factory):
    rows = await _campaigns(uow_factory, seed.other_team.id, "Songkran")
    async with uow_factory() as uow:
        with pytest.raises(NotFound):
            await offered_campaign(uow, seed.rep, rows["Songkran"].id)
        assert await campaign_named(uow, seed.rep, "Songkran") is None


async def test_a_typed_name_finds_an_ended_campaign_and_prefers_an_active_namesake(
    seed, uow_factory
):
    ended = await _campaigns(uow_factory, seed.team.id, "Expo", ended={"Expo"})
    async with uow_factory() as uow:
        assert (await campaign_named(uow, seed.rep, "EXPO")).id == ended["Expo"].id
    active = await _campaigns(uow_factory, seed.team.id, "Expo")
    async with uow_factory() as uow:
        assert (await campaign_named(uow, seed.rep, "expo")).id == active["Expo"].id
        assert await campaign_ids_named(uow.session, seed.team.id, ["expo", "nope"]) == {
            "expo": active["Expo"].id
        }
        assert await campaign_names(uow.session, seed.team.id) == {"expo": "Expo"}


async def test_a_deal_keeps_its_ended_campaign_on_its_card_and_in_the_totals(seed, uow_factory):
    rows = await _campaigns(uow_factory, seed.team.id, "Tết 2026", ended={"Tết 2026"})
    async with uow_factory() as uow:
        created = await create_from_line(
            uow,
            seed.rep,
            OpportunityInput(name="Acme ERP", close_date=date(2026, 12, 31), amount=500),
            campaign_name="tet 2026",
        )
    assert not created.campaign_missing
    async with uow_factory() as uow:
        card = await deal_card(uow, seed.rep, created.opportunity.id)
        totals = await pipeline_totals(uow, seed.rep, GroupBy.CAMPAIGN)
    assert card.campaign_name == "Tết 2026"
    assert {row.label: row.amount for row in totals} == {"Tết 2026": 500}
    assert created.opportunity.campaign_id == rows["Tết 2026"].id


async def test_the_board_filters_by_ended_campaigns_only_while_deals_carry_them(seed, uow_factory):
    rows = await _campaigns(
        uow_factory, seed.team.id, "Live", "Carried", "Forgotten", ended={"Carried", "Forgotten"}
    )
    async with uow_factory() as uow:
        await create_opportunity(
            uow,
            seed.rep,
            OpportunityInput(
                name="Old", close_date=date(2026, 12, 31), campaign_id=rows["Carried"].id
            ),
        )
    async with uow_factory() as uow:
        _, campaigns = await board_choices(uow, seed.rep)
    assert [choice.name for choice in campaigns] == ["Carried", "Live"]
