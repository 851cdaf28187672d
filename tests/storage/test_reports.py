"""Pipeline totals and campaign effectiveness, aggregated by the database."""

from datetime import date

import pytest
from sqlalchemy import event, func, select

from storage.generate import generate_deals
from storage.models import Campaign, Opportunity, Result
from storage.opportunities import OpportunityInput, create_opportunity
from storage.queries import closing_within, my_open_deals, search
from storage.reports.totals import GroupBy, Scope, campaign_effectiveness, pipeline_totals
from storage.stages import move_stage, team_stages


async def _deal(uow_factory, actor, name, amount, close=date(2026, 12, 31), **extra):
    async with uow_factory() as uow:
        return await create_opportunity(
            uow, actor, OpportunityInput(name=name, close_date=close, amount=amount, **extra)
        )


async def test_a_managers_totals_cover_exactly_their_team(seed, uow_factory):
    await _deal(uow_factory, seed.rep, "A", 1_000)
    await _deal(uow_factory, seed.rep2, "B", 2_000)
    await _deal(uow_factory, seed.rep2, "B2", 3_000, currency="USD")
    await _deal(uow_factory, seed.other_rep, "C", 50_000)
    async with uow_factory() as uow:
        rows = await pipeline_totals(uow, seed.manager, GroupBy.OWNER)
        admin_rows = await pipeline_totals(uow, seed.admin, GroupBy.STAGE)
    by_owner = {(row.label, row.currency): (row.count, row.amount, row.weighted) for row in rows}
    assert by_owner == {
        ("An Rep", "VND"): (1, 1_000, 100),
        ("Binh Rep", "VND"): (1, 2_000, 200),
        ("Binh Rep", "USD"): (1, 3_000, 300),
    }
    assert sum(row.amount for row in admin_rows) == 56_000


async def test_totals_by_stage_follow_the_pipeline_order_and_weight_by_probability(
    seed, uow_factory
):
    async with uow_factory() as uow:
        stages = {stage.code: stage for stage in await team_stages(uow, seed.team.id)}
    first = await _deal(uow_factory, seed.rep, "A", 1_000)
    await _deal(uow_factory, seed.rep, "B", 3_333)
    async with uow_factory() as uow:
        await move_stage(uow, seed.rep, first.id, stages["negotiation"].id)
    async with uow_factory() as uow:
        rows = await pipeline_totals(uow, seed.rep, GroupBy.STAGE)
    assert [(row.label, row.count, row.amount, row.weighted) for row in rows] == [
        ("Prospecting", 1, 3_333, 333),
        ("Negotiation", 1, 1_000, 800),
    ]


async def test_totals_by_close_month_and_by_campaign(seed, uow_factory):
    async with uow_factory() as uow:
        tet = Campaign(team_id=seed.team.id, name="Tet 2027", search_name="tet 2027")
        uow.session.add(tet)
        await uow.commit()
    await _deal(uow_factory, seed.rep, "A", 100, close=date(2026, 12, 5), campaign_id=tet.id)
    await _deal(uow_factory, seed.rep, "B", 200, close=date(2026, 12, 25))
    await _deal(uow_factory, seed.rep, "C", 400, close=date(2027, 1, 2), campaign_id=tet.id)
    async with uow_factory() as uow:
        months = await pipeline_totals(uow, seed.rep, GroupBy.MONTH)
        campaigns = await pipeline_totals(uow, seed.rep, GroupBy.CAMPAIGN)
        january = await pipeline_totals(
            uow, seed.rep, GroupBy.MONTH, Scope(close_from=date(2027, 1, 1))
        )
    assert [(row.key, row.count, row.amount) for row in months] == [
        ("2026-12", 2, 300),
        ("2027-01", 1, 400),
    ]
    assert {row.label: row.amount for row in campaigns} == {"Tet 2027": 500, None: 200}
    assert [(row.key, row.amount) for row in january] == [("2027-01", 400)]


async def test_campaign_effectiveness_counts_wins_losses_and_open_pipeline(seed, uow_factory):
    async with uow_factory() as uow:
        tet = Campaign(team_id=seed.team.id, name="Tet", search_name="tet")
        uow.session.add(tet)
        await uow.commit()
        stages = {stage.code: stage for stage in await team_stages(uow, seed.team.id)}
    won = await _deal(uow_factory, seed.rep, "W", 700, campaign_id=tet.id)
    lost = await _deal(uow_factory, seed.rep, "L", 300, campaign_id=tet.id)
    await _deal(uow_factory, seed.rep, "O", 500, campaign_id=tet.id)
    async with uow_factory() as uow:
        await move_stage(uow, seed.rep, won.id, stages["won"].id)
    async with uow_factory() as uow:
        await move_stage(uow, seed.rep, lost.id, stages["lost"].id, lost_reason="Price")
    async with uow_factory() as uow:
        [row] = await campaign_effectiveness(uow, seed.manager)
    assert (row.name, row.opportunities, row.won, row.lost) == ("Tet", 3, 1, 1)
    assert (row.won_amount, row.open_amount, row.win_rate) == (700, 500, 0.5)


async def test_my_open_deals_and_closing_soon_are_ordered_by_close_date(seed, uow_factory):
    await _deal(uow_factory, seed.rep, "Later", 1, close=date(2026, 12, 20))
    await _deal(uow_factory, seed.rep, "Overdue", 1, close=date(2026, 11, 1))
    await _deal(uow_factory, seed.rep, "Soon", 1, close=date(2026, 11, 25))
    await _deal(uow_factory, seed.rep2, "Not mine", 1, close=date(2026, 11, 24))
    async with uow_factory() as uow:
        mine = await my_open_deals(uow, seed.rep)
        soon = await closing_within(uow, seed.rep, date(2026, 11, 23), 7)
    assert [deal.name for deal in mine] == ["Overdue", "Soon", "Later"]
    assert [deal.name for deal in soon] == ["Overdue", "Soon"]


@pytest.mark.parametrize("query", ["nguyen", "NGUYỄN", "nguyễn văn", "van an"])
async def test_search_ignores_case_and_vietnamese_marks(seed, uow_factory, query):
    await _deal(uow_factory, seed.rep, "Nguyễn Văn An – ERP", 1)
    async with uow_factory() as uow:
        found = await search(uow, seed.rep, Opportunity, query)
    assert [deal.name for deal in found] == ["Nguyễn Văn An – ERP"]


async def test_search_ignores_thai_marks_the_user_left_out(seed, uow_factory):
    await _deal(uow_factory, seed.rep, "บริษัท สยามเทค", 1)
    async with uow_factory() as uow:
        assert len(await search(uow, seed.rep, Opportunity, "บรษท")) == 1
        assert len(await search(uow, seed.rep, Opportunity, "สยาม")) == 1
        assert await search(uow, seed.rep, Opportunity, "100%_") == []


async def test_pipeline_totals_over_100000_deals_are_one_sql_statement(seed, uow_factory, engine):
    async with uow_factory() as uow:
        await generate_deals(
            uow.session,
            team_id=seed.team.id,
            owner_ids=[seed.rep.id, seed.rep2.id, seed.manager.id],
            count=100_000,
            currencies=("VND", "USD"),
        )
        await uow.commit()
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        async with uow_factory() as uow:
            rows = await pipeline_totals(uow, seed.manager, GroupBy.STAGE)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert len(statements) == 1
    async with uow_factory() as uow:
        open_deals = await uow.session.scalar(
            select(func.count()).where(Opportunity.result == Result.OPEN)
        )
    assert sum(row.count for row in rows) == open_deals
    assert {row.currency for row in rows} == {"VND", "USD"}
