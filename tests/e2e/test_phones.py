"""One rule for phone numbers: E.164, national numbers in the team's country, others kept."""

import pytest
from sqlalchemy import select

from storage.models import Lead


async def _phones(uow_factory) -> list[str]:
    async with uow_factory() as uow:
        return [lead.phone for lead in (await uow.session.execute(select(Lead))).scalars()]


@pytest.mark.parametrize("language", ["en", "th", "vi"])
async def test_a_national_number_in_a_one_line_lead_is_the_teams_country(rep, seed, uow_factory):
    await rep.send("/lead Lan 0812345678")
    assert await _phones(uow_factory) == ["+84812345678"]  # the team works in VND


@pytest.mark.parametrize("language", ["en", "th"])
async def test_an_international_number_is_kept(rep, seed, uow_factory):
    await rep.send("/lead John Smith +1 415 555 0100")
    assert await _phones(uow_factory) == ["+14155550100"]


@pytest.mark.parametrize("language", ["th", "en"])
async def test_the_guided_lead_form_stores_the_same_number_the_same_way(rep, t, seed, uow_factory):
    await rep.send("/lead")
    await rep.send("Lan")
    await rep.click(t._("Skip"))  # company
    await rep.send("081 234 5678")
    for _ in range(3):  # e-mail, source, campaign or confirm
        if t._("Save") in rep.buttons():
            break
        await rep.click(t._("Skip"))
    await rep.click(t._("Save"))
    assert await _phones(uow_factory) == ["+84812345678"]
