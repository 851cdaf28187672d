"""Totals of many deals at the largest amount: exact, on SQLite as on PostgreSQL."""

from datetime import date

from storage.opportunities import OpportunityInput, create_opportunity
from storage.reports.forecast import forecast
from storage.reports.totals import GroupBy, pipeline_totals
from storage.validation import MAX_AMOUNT
from tests.e2e.deal_helpers import NOW, TODAY

LARGEST = MAX_AMOUNT - 1


async def _hundred_largest(uow_factory, seed) -> None:
    for number in range(100):
        async with uow_factory() as uow:
            await create_opportunity(
                uow,
                seed.rep if number % 2 else seed.rep2,
                OpportunityInput(
                    name=f"Giant {number}",
                    amount=LARGEST,
                    probability=100,
                    close_date=date(2026, 12, 31),
                ),
            )


async def test_a_hundred_deals_at_the_largest_amount_sum_exactly(seed, uow_factory):
    await _hundred_largest(uow_factory, seed)
    async with uow_factory() as uow:
        [row] = await pipeline_totals(uow, seed.manager, GroupBy.STAGE)
        result = await forecast(uow, seed.manager, today=TODAY)
    assert row.amount == 100 * LARGEST
    assert row.weighted == 100 * LARGEST
    december = next(month for month in result.ahead if month.month == date(2026, 12, 1))
    assert december.total.amount == 100 * LARGEST


async def test_the_managers_pipeline_and_forecast_answer_with_the_largest_deals(
    fake, make_app, seed, uow_factory
):
    await make_app(clock=lambda: NOW)
    await _hundred_largest(uow_factory, seed)
    manager = fake.user(100, "Mai", language_code="en")
    await manager.send("/language en")
    for command in ("/pipeline", "/forecast"):
        await manager.send(command)
        assert "Sorry" not in manager.last_text()
    await manager.send("/pipeline")
    await manager.click("By rep")
    assert "Sorry" not in manager.last_text()
