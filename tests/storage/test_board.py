"""The board query: columns in team order with totals from the database, and visible cards."""

from __future__ import annotations

from datetime import date

from storage.board import CLOSED_CARDS_PER_COLUMN, BoardFilter, board, board_choices
from storage.models import StageKind
from storage.opportunities import OpportunityInput, create_opportunity
from storage.stages import move_stage, team_stages


async def _deal(uow_factory, actor, name, amount, currency=None, **extra):
    async with uow_factory() as uow:
        return await create_opportunity(
            uow,
            actor,
            OpportunityInput(
                name=name, amount=amount, currency=currency, close_date=date(2026, 12, 31), **extra
            ),
        )


async def test_columns_follow_the_team_order_with_totals_per_currency(seed, uow_factory):
    await _deal(uow_factory, seed.rep, "A", 10_000_000)
    await _deal(uow_factory, seed.rep2, "B", 30_000_000)
    await _deal(uow_factory, seed.rep2, "C", 500_00, currency="USD")
    async with uow_factory() as uow:
        stages = await team_stages(uow, seed.team.id)
        found = await board(uow, seed.manager)
    assert [column.stage_id for column in found.columns] == [stage.id for stage in stages]
    first = found.columns[0]
    totals = {total.currency: (total.count, total.amount, total.weighted) for total in first.totals}
    assert totals == {"USD": (1, 500_00, 50_00), "VND": (2, 40_000_000, 4_000_000)}
    assert {card.name for card in found.cards} == {"A", "B", "C"}


async def test_a_rep_gets_only_their_own_cards_whatever_the_filter_asks(seed, uow_factory):
    await _deal(uow_factory, seed.rep, "Mine", 1)
    await _deal(uow_factory, seed.rep2, "Theirs", 1)
    async with uow_factory() as uow:
        for wanted in (BoardFilter(), BoardFilter(owner_id=seed.rep2.id)):
            found = await board(uow, seed.rep, wanted)
            assert {card.name for card in found.cards} <= {"Mine"}
            assert sum(t.count for c in found.columns for t in c.totals) == len(found.cards)
        people, _ = await board_choices(uow, seed.rep)
    assert people == []


async def test_closed_columns_show_only_the_latest_cards_but_count_them_all(seed, uow_factory):
    async with uow_factory() as uow:
        won = next(s for s in await team_stages(uow, seed.team.id) if s.kind is StageKind.WON)
    for number in range(CLOSED_CARDS_PER_COLUMN + 2):
        deal = await _deal(uow_factory, seed.rep, f"Won {number}", 1)
        async with uow_factory() as uow:
            await move_stage(uow, seed.rep, deal.id, won.id)
    async with uow_factory() as uow:
        found = await board(uow, seed.rep)
    column = next(c for c in found.columns if c.stage_id == won.id)
    assert column.totals[0].count == CLOSED_CARDS_PER_COLUMN + 2
    assert len([card for card in found.cards if card.stage_id == won.id]) == (
        CLOSED_CARDS_PER_COLUMN
    )
