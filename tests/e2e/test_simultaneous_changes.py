"""Two people changing one deal at the same moment: one wins, the other is told."""

import asyncio

from sqlalchemy import select

from storage.errors import Conflict
from storage.models import Opportunity, Result
from storage.opportunities import get_opportunity
from storage.stages import move_stage
from tests.e2e.deal_helpers import NOW, load_deal, make_deal, speak, stage_by_code

CHANGED = "This deal changed meanwhile; nothing was overwritten."
# /won and /lost find and close the deal in one transaction, so the second to arrive
# finds it closed the other way and asks before reversing it; a change that slips in
# between reading and writing (a card's button) gets CHANGED with the fresh card.
ASKED = "is already {result}. Mark it as {other} instead?"


async def test_won_and_lost_at_once_one_succeeds_and_the_other_sees_the_card(
    fake, make_app, seed, uow_factory
):
    await make_app(clock=lambda: NOW)
    rep = fake.user(101, "An", language_code="en")
    manager = fake.user(100, "Mai", language_code="en")
    await speak(rep, "en")
    await speak(manager, "en")
    for attempt in range(5):
        deal = await make_deal(uow_factory, seed.rep, f"Zeta {attempt} ERP")
        await asyncio.gather(
            rep.send(f"/won {deal.id}"), manager.send(f"/lost {deal.id} price too high")
        )
        won, lost = rep.last_text(), manager.last_text()
        assert "Sorry" not in won + lost
        succeeded = ["Congratulations" in won, "Marked as lost" in lost]
        assert succeeded.count(True) == 1, (won, lost)
        loser = lost if succeeded[0] else won
        result, other = ("won", "lost") if succeeded[0] else ("lost", "won")
        told = CHANGED in loser or ASKED.format(result=result, other=other) in loser
        assert told and f"Zeta {attempt} ERP" in loser, loser
        final = await load_deal(uow_factory, deal.id)
        assert final.result is (Result.WON if succeeded[0] else Result.LOST)


async def test_two_writers_that_read_the_same_version_the_second_gets_a_conflict(seed, uow_factory):
    deal = await make_deal(uow_factory, seed.rep)
    won = await stage_by_code(uow_factory, seed.team.id, "won")
    lost = await stage_by_code(uow_factory, seed.team.id, "lost")

    async def move(actor, stage, reason=None):
        async with uow_factory() as uow:
            await move_stage(
                uow, actor, deal.id, stage.id, expected_version=deal.version, lost_reason=reason
            )

    outcomes = await asyncio.gather(
        move(seed.rep, won), move(seed.manager, lost, "price"), return_exceptions=True
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "NoneType"]
    conflict = next(o for o in outcomes if isinstance(o, Conflict))
    assert conflict.ident == deal.id
    async with uow_factory() as uow:
        current = await get_opportunity(uow, seed.manager, deal.id)
        assert current.version == deal.version + 1
        assert (await uow.session.execute(select(Opportunity.id))).all()
