"""Money and instants come back from the database exactly as they went in."""

from datetime import UTC, date, datetime, timedelta, timezone

from sqlalchemy import select

from storage.models import Opportunity, StageChange
from storage.opportunities import OpportunityInput, create_opportunity, get_opportunity
from tests.units import in_own_uow


async def test_the_largest_vnd_amount_round_trips_exactly(seed, uow_factory):
    created = await in_own_uow(
        uow_factory,
        create_opportunity,
        seed.rep,
        OpportunityInput(name="Big", close_date=date(2026, 12, 31), amount=999_999_999_999_999),
    )
    loaded = await in_own_uow(uow_factory, get_opportunity, seed.rep, created.id)
    assert loaded.amount == 999_999_999_999_999
    assert loaded.currency == "VND"


async def test_an_aware_instant_round_trips_as_the_same_instant(seed, uow_factory):
    bangkok = timezone(timedelta(hours=7))
    instant = datetime(2026, 11, 23, 8, 30, 15, 123000, tzinfo=bangkok)
    created = await in_own_uow(
        uow_factory,
        create_opportunity,
        seed.rep,
        OpportunityInput(name="Clock", close_date=date(2026, 12, 1)),
    )
    async with uow_factory() as uow:
        opportunity = await uow.session.get(Opportunity, created.id)
        opportunity.stage_changed_at = instant
        await uow.commit()
    async with uow_factory() as uow:
        loaded = await uow.session.get(Opportunity, created.id)
        history = (await uow.session.execute(select(StageChange))).scalars().all()
    assert loaded.stage_changed_at == instant
    assert loaded.stage_changed_at.tzinfo is not None
    assert loaded.stage_changed_at.utcoffset() == timedelta(0)
    assert all(row.changed_at.tzinfo is not None for row in history)
    assert loaded.created_at <= datetime.now(UTC)
