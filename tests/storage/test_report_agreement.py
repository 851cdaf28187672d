"""The manager's reports agree with each other: same deals flagged, totals that tie out."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from storage.fx import set_rate
from storage.models import Opportunity, Result, Stage, StageKind
from storage.opportunities import OpportunityInput, create_opportunity
from storage.reports.effectiveness import Dimension, effectiveness
from storage.reports.forecast import forecast, pipeline_report
from storage.reports.totals import GroupBy
from storage.stages import team_stages

TODAY = date(2026, 11, 23)


async def _deal(uow_factory, actor, amount, currency, close, **extra):
    async with uow_factory() as uow:
        return await create_opportunity(
            uow,
            actor,
            OpportunityInput(
                name=f"{currency} {amount}",
                close_date=close,
                amount=amount,
                currency=currency,
                **extra,
            ),
        )


async def test_the_four_reports_flag_the_same_deals_with_the_same_totals(seed, uow_factory):
    async with uow_factory() as uow:
        await set_rate(uow, seed.admin, seed.team.id, "USD", Decimal(25_400), TODAY)
    await _deal(uow_factory, seed.rep, 5_000_000, "VND", date(2026, 12, 5))
    await _deal(uow_factory, seed.rep, 10_000, "USD", date(2026, 12, 5))
    # ฿500,000 in December and ฿50,000 this month, as a rep typed them; one overdue, one
    # expected after the six months ahead: every report must count all four.
    for amount, close in (
        (50_000_000, date(2026, 12, 10)),
        (5_000_000, date(2026, 11, 30)),
        (1_000_000, date(2026, 10, 1)),
        (7_000_000, date(2027, 9, 1)),
    ):
        await _deal(uow_factory, seed.rep2, amount, "THB", close)
    async with uow_factory() as uow:
        reports = {
            "pipeline": await pipeline_report(uow, seed.manager, today=TODAY),
            "forecast": await forecast(uow, seed.manager, today=TODAY),
            "campaigns": await effectiveness(uow, seed.manager, Dimension.CAMPAIGN, today=TODAY),
            "sources": await effectiveness(uow, seed.manager, Dimension.SOURCE, today=TODAY),
        }
    flagged = {name: report.unconverted for name, report in reports.items()}
    assert [(f.currency, f.count, f.amount) for f in flagged["pipeline"]] == [
        ("THB", 4, 63_000_000)
    ]
    assert all(value == flagged["pipeline"] for value in flagged.values()), flagged
    # The hint names a rate of the right order: a baht is some hundreds of đồng.
    assert 500 <= flagged["pipeline"][0].suggested_rate <= 1_000


CURRENCIES = ("VND", "USD", "THB")
deal_strategy = st.tuples(
    st.integers(0, 1),  # owner
    st.sampled_from(CURRENCIES),
    st.integers(0, 10**10),  # amount in minor units
    st.integers(0, 5),  # stage index
    st.integers(-400, 500),  # close date, days from today
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(deals=st.lists(deal_strategy, max_size=25))
async def test_open_totals_tie_out_between_pipeline_forecast_and_reps(seed, uow_factory, deals):
    async with uow_factory() as uow:
        if not await _has_rate(uow, seed):
            await set_rate(uow, seed.admin, seed.team.id, "USD", Decimal(25_400), TODAY)
    async with uow_factory() as uow:
        await uow.session.execute(delete(Opportunity).where(Opportunity.team_id == seed.team.id))
        stages: list[Stage] = await team_stages(uow, seed.team.id)
        result = {StageKind.OPEN: Result.OPEN, StageKind.WON: Result.WON}
        for number, (owner, currency, amount, stage_index, offset) in enumerate(deals):
            stage = stages[stage_index % len(stages)]
            uow.session.add(
                Opportunity(
                    team_id=seed.team.id,
                    owner_id=(seed.rep, seed.rep2)[owner].id,
                    name=f"D{number}",
                    search_name=f"d{number}",
                    amount=amount,
                    currency=currency,
                    close_date=TODAY + timedelta(days=offset),
                    stage_id=stage.id,
                    probability=stage.probability,
                    result=result.get(stage.kind, Result.LOST),
                    closed_on=None if stage.kind is StageKind.OPEN else TODAY,
                )
            )
        await uow.commit()
    async with uow_factory() as uow:
        team = await pipeline_report(uow, seed.manager, today=TODAY)
        by_rep = await pipeline_report(uow, seed.manager, today=TODAY, by=GroupBy.OWNER)
        ahead = await forecast(uow, seed.manager, today=TODAY)

    def per_currency(groups):
        sums: dict[str, tuple[int, int]] = {}
        for group in groups:
            for part in group.parts:
                count, amount = sums.get(part.currency, (0, 0))
                sums[part.currency] = (count + part.count, amount + part.amount)
        return sums

    forecast_groups = [ahead.overdue, *(m.total for m in ahead.ahead), ahead.beyond]
    assert per_currency([team.total]) == per_currency(forecast_groups)
    assert team.total.amount == sum(group.amount for group in forecast_groups)
    assert per_currency(by_rep.groups) == per_currency([team.total])
    assert sum(group.amount for group in by_rep.groups) == team.total.amount
    assert sum(group.count for group in by_rep.groups) == team.total.count
    # The forecast also counts wins; its open part flags what the pipeline flags.
    assert [(f.currency, f.count, f.amount) for f in team.unconverted] == sorted(
        (code, count, amount)
        for code, (count, amount) in per_currency(forecast_groups).items()
        if code == "THB" and count
    )


async def _has_rate(uow, seed) -> bool:
    from storage.fx import current_rates

    return bool(await current_rates(uow, seed.team.id, TODAY))
