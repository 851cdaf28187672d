"""Odd input that once ended in "Sorry" or changed on the way: NaN rates, huge cells, quotes."""

from decimal import Decimal

import pytest
from sqlalchemy import delete, select

from bot.parsing import parse_amount
from bot.parsing.results import ParseError
from storage.errors import InvalidInput
from storage.fx import current_rates, set_rate
from storage.models import Opportunity
from tests.e2e.deal_helpers import TODAY, make_deal
from tests.e2e.report_seed import NOW
from tests.e2e.test_imports import _document, _manager, _press


@pytest.fixture
async def odd_app(make_app):
    return await make_app(clock=lambda: NOW)


@pytest.mark.parametrize("value", ["NaN", "nan", "Infinity", "inf", "-inf", "sNaN"])
async def test_an_exchange_rate_that_is_not_a_number_is_refused_clearly(
    fake, odd_app, seed, uow_factory, value
):
    admin = fake.user(1, "Admin", language_code="en")
    await admin.send("/language en")
    await admin.send(f"/fx USD {value}")
    assert "Sorry" not in admin.last_text()
    # The usage line, with an example rate of the right order for the team.
    assert "/fx USD 25000" in admin.last_text()
    async with uow_factory() as uow:
        assert await current_rates(uow, seed.team.id, TODAY) == []


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "sNaN"])
async def test_the_rate_service_refuses_nan_and_infinity(seed, uow_factory, value):
    async with uow_factory() as uow:
        with pytest.raises(InvalidInput) as raised:
            await set_rate(uow, seed.admin, seed.team.id, "USD", Decimal(value), TODAY)
    assert raised.value.field == "rate"


async def test_a_cell_over_the_csv_modules_limit_is_reported_as_too_long(
    fake, odd_app, seed, uow_factory
):
    manager = await _manager(fake)
    huge = "x" * 140_000
    data = (
        f"Name,Close date,Description\nAcme ERP,31/12/2026,{huge}\nBeta CRM,31/12/2026,fine\n"
    ).encode()
    await manager.send_document("deals.csv", data, "text/csv")
    text = manager.last_text()
    assert "Sorry" not in text
    assert "quote" not in text
    assert "too long" in text


async def test_a_name_that_looks_escaped_comes_back_from_export_and_import_unchanged(
    fake, odd_app, seed, uow_factory
):
    names = ["'=x", "=SUM(A1)", "''=y", "'plain", "-5", "@home"]
    for name in names:
        await make_deal(uow_factory, seed.rep, name)
    manager = await _manager(fake)
    await manager.send("/export")
    exported = _document(fake, manager.last_message())
    async with uow_factory() as uow:
        await uow.session.execute(delete(Opportunity))
        await uow.commit()
    await manager.send_document("deals.csv", exported, "text/csv")
    await _press(manager, 0)  # Import
    async with uow_factory() as uow:
        back = (await uow.session.execute(select(Opportunity.name))).scalars().all()
    assert sorted(back) == sorted(names)


@pytest.mark.parametrize("value", ["NaN", "inf", "Infinity", "-inf", "1e400"])
@pytest.mark.parametrize("language", ["en", "vi", "th"])
def test_nan_and_infinity_are_not_amounts(value, language):
    assert isinstance(parse_amount(value, language, "VND"), ParseError)
