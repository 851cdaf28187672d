"""One access rule everywhere: reps see their own, managers their team, admins all."""

from datetime import date

import pytest

from storage.directory import create_contact, get_contact
from storage.errors import NotFound
from storage.leads import LeadInput, create_lead, get_lead
from storage.models import ActivityKind, Contact, Lead, Opportunity
from storage.opportunities import (
    OpportunityInput,
    add_activity,
    create_opportunity,
    delete_opportunity,
    get_opportunity,
    update_opportunity,
)
from storage.queries import search
from storage.reports.totals import GroupBy, pipeline_totals
from storage.stages import history, move_stage, team_stages
from tests.units import in_own_uow


async def _deal(uow_factory, actor, name="Deal", amount=1_000):
    async with uow_factory() as uow:
        return await create_opportunity(
            uow, actor, OpportunityInput(name=name, close_date=date(2026, 12, 31), amount=amount)
        )


async def test_a_rep_cannot_read_change_or_move_another_reps_deal_by_id(seed, uow_factory):
    deal = await _deal(uow_factory, seed.rep2, name="Binh's deal")
    stages = await in_own_uow(uow_factory, team_stages, seed.team.id)
    attempts = [
        lambda uow: get_opportunity(uow, seed.rep, deal.id),
        lambda uow: update_opportunity(uow, seed.rep, deal.id, {"amount": 1}, expected_version=1),
        lambda uow: move_stage(uow, seed.rep, deal.id, stages[2].id),
        lambda uow: add_activity(uow, seed.rep, deal.id, ActivityKind.NOTE, "hi"),
        lambda uow: history(uow, seed.rep, deal.id),
        lambda uow: delete_opportunity(uow, seed.rep, deal.id),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            async with uow_factory() as uow:
                await attempt(uow)
    async with uow_factory() as uow:
        unchanged = await uow.session.get(Opportunity, deal.id)
    assert (unchanged.amount, unchanged.version, unchanged.stage_id) == (1_000, 1, deal.stage_id)


async def test_refusal_looks_exactly_like_a_missing_id(seed, uow_factory):
    deal = await _deal(uow_factory, seed.rep2)
    messages = []
    for ident in (deal.id, 999_999):
        with pytest.raises(NotFound) as error:
            await in_own_uow(uow_factory, get_opportunity, seed.rep, ident)
        messages.append(error.value.entity)
    assert messages == ["opportunities", "opportunities"]


async def test_a_rep_cannot_total_or_find_another_reps_deals(seed, uow_factory):
    await _deal(uow_factory, seed.rep, name="Mine", amount=100)
    await _deal(uow_factory, seed.rep2, name="Theirs", amount=900)
    async with uow_factory() as uow:
        totals = await pipeline_totals(uow, seed.rep, GroupBy.STAGE)
        found = await search(uow, seed.rep, Opportunity, "theirs")
    assert sum(row.amount for row in totals) == 100
    assert found == []


async def test_a_manager_sees_the_team_but_not_another_team(seed, uow_factory):
    mine = await _deal(uow_factory, seed.rep2)
    foreign = await _deal(uow_factory, seed.other_rep)
    async with uow_factory() as uow:
        assert (await get_opportunity(uow, seed.manager, mine.id)).id == mine.id
    with pytest.raises(NotFound):
        await in_own_uow(uow_factory, get_opportunity, seed.manager, foreign.id)
    async with uow_factory() as uow:
        assert (await get_opportunity(uow, seed.admin, foreign.id)).id == foreign.id


async def test_leads_and_contacts_follow_the_same_rule(seed, uow_factory):
    lead = await in_own_uow(uow_factory, create_lead, seed.rep2, LeadInput(person_name="Chi"))
    contact = await in_own_uow(uow_factory, create_contact, seed.rep2, "Dung", phone="0901234567")
    for getter, ident in ((get_lead, lead.id), (get_contact, contact.id)):
        with pytest.raises(NotFound):
            await in_own_uow(uow_factory, getter, seed.rep, ident)
        async with uow_factory() as uow:
            assert (await getter(uow, seed.manager, ident)).id == ident
    async with uow_factory() as uow:
        assert await search(uow, seed.rep, Lead, "chi") == []
        assert await search(uow, seed.rep, Contact, "dung") == []
