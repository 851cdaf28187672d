"""One open flow per member: starting another asks first; /cancel says what it dropped."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from storage.models import Draft, Lead, Opportunity
from tests.e2e.deal_helpers import NOW, make_deal
from tests.e2e.people import rep_speaking


async def _count(uow_factory, model) -> int:
    async with uow_factory() as uow:
        return await uow.session.scalar(select(func.count(model.id)))


async def _the_draft(uow_factory) -> Draft:
    async with uow_factory() as uow:
        [draft] = (await uow.session.execute(select(Draft))).scalars().all()
    return draft


async def _in_the_form(rep):
    await rep.send("/new")
    await rep.send("Acme ERP")
    return rep


@pytest.fixture
async def rep(rep):
    """Here the rep is already in the middle of the guided /new form for "Acme ERP"."""
    return await _in_the_form(rep)


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_lead_in_the_middle_of_new_asks_and_continue_keeps_the_draft(rep, t, uow_factory):
    await rep.send("/lead")
    assert "Acme ERP" in rep.last_text()
    assert t._("Continue it") in rep.buttons()
    await rep.click(t._("Continue it"))
    draft = await _the_draft(uow_factory)
    assert (draft.flow, draft.data["name"]) == ("new_deal", "Acme ERP")
    await rep.send("50000000")  # the form goes on where it was: the amount
    assert await _count(uow_factory, Opportunity) == 0


@pytest.mark.parametrize("language", ["en", "th"])
async def test_discard_and_start_drops_the_draft_and_starts_the_new_flow(rep, t, uow_factory):
    await rep.send("/lead")
    await rep.click(t._("Discard it and start {command}").format(command="/lead"))
    draft = await _the_draft(uow_factory)
    assert draft.flow == "lead"
    await rep.send("Lan")
    assert await _count(uow_factory, Lead) == 0


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_one_line_new_during_the_form_asks_before_saving_and_cancel_says_what(
    rep, t, uow_factory
):
    await rep.send("/new Other deal 10tr 31/12")
    assert await _count(uow_factory, Opportunity) == 0
    await rep.click(t._("Continue it"))
    await rep.send("/cancel")
    assert "Acme ERP" in rep.last_text()
    assert await _count(uow_factory, Opportunity) == 0
    assert await _count(uow_factory, Draft) == 0


@pytest.mark.parametrize("language", ["en", "th"])
async def test_cancel_names_what_was_saved_meanwhile(
    t, fake, make_app, seed, uow_factory, language
):
    now = [NOW]
    await make_app(clock=lambda: now[0])
    await make_deal(uow_factory, seed.rep, "Before")
    now[0] += timedelta(minutes=1)
    rep = await _in_the_form(await rep_speaking(fake, language))
    now[0] += timedelta(minutes=1)
    # Saved while the form was open, as a CSV import or another device would.
    meanwhile = await make_deal(uow_factory, seed.rep, "Imported ERP")
    await rep.send("/cancel")
    text = rep.last_text()
    assert "Acme ERP" in text and f"#{meanwhile.id} Imported ERP" in text
    assert "Before" not in text
    assert t._("Saved meanwhile, and kept: {deals}.").split("{")[0] in text
