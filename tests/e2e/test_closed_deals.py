"""A closed deal is not silently closed the other way; a move says the probability it keeps."""

import pytest

from storage.models import Result
from tests.e2e.deal_helpers import load_deal, make_deal, stage_by_code


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_lost_on_a_won_deal_asks_before_changing_it(rep, t, seed, uow_factory):
    deal = await make_deal(uow_factory, seed.rep, "Acme ERP")
    await rep.send(f"/won #{deal.id}")
    await rep.send(f"/lost #{deal.id} price too high")
    assert f"#{deal.id} Acme ERP" in rep.last_text()
    assert (await load_deal(uow_factory, deal.id)).result is Result.WON
    await rep.click(t._("No, keep it"))
    assert (await load_deal(uow_factory, deal.id)).result is Result.WON
    await rep.send(f"/lost #{deal.id} price too high")
    await rep.click(t._("Yes, mark it lost"))
    lost = await load_deal(uow_factory, deal.id)
    assert (lost.result, lost.lost_reason) == (Result.LOST, "price too high")


@pytest.mark.parametrize("language", ["en", "th"])
async def test_won_on_a_lost_deal_asks_before_changing_it(rep, t, seed, uow_factory):
    deal = await make_deal(uow_factory, seed.rep, "Acme ERP")
    await rep.send(f"/lost #{deal.id} no budget")
    await rep.send(f"/won #{deal.id}")
    assert (await load_deal(uow_factory, deal.id)).result is Result.LOST
    await rep.click(t._("Yes, mark it won"))
    assert (await load_deal(uow_factory, deal.id)).result is Result.WON


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_move_shows_the_probability_the_deal_really_has(rep, t, seed, uow_factory):
    deal = await make_deal(uow_factory, seed.rep, "Acme ERP", probability=70)
    await rep.send(f"/deal {deal.id}")
    await rep.click(t._("Move stage"))
    await rep.click(t._("Negotiation"))
    header = rep.last_text().split("\n")[0]
    assert "70%" in header and "80%" not in header
    await rep.send(f"/stage {deal.id} propos")
    header = rep.last_text().split("\n")[0]
    assert "70%" in header and "50%" not in header
    negotiation = await stage_by_code(uow_factory, seed.team.id, "proposal")
    assert (await load_deal(uow_factory, deal.id)).stage_id == negotiation.id
