"""Creating, updating and moving deals: validation, versions, idempotency, history."""

from datetime import date

import pytest
from sqlalchemy import func, select

from storage.errors import Conflict, InvalidInput
from storage.models import (
    AuditEntry,
    Opportunity,
    Product,
    Result,
    StageChange,
)
from storage.opportunities import (
    LineInput,
    OpportunityInput,
    create_opportunity,
    set_lines,
    update_opportunity,
)
from storage.stages import history, move_stage, team_stages

CLOSE = date(2026, 12, 31)


async def _create(uow_factory, actor, **fields):
    fields.setdefault("close_date", CLOSE)
    fields.setdefault("name", "Acme ERP")
    async with uow_factory() as uow:
        return await create_opportunity(uow, actor, OpportunityInput(**fields))


async def _stages(uow_factory, team_id):
    async with uow_factory() as uow:
        return {stage.code: stage for stage in await team_stages(uow, team_id)}


async def test_a_new_deal_starts_in_the_first_stage_with_its_probability(seed, uow_factory):
    deal = await _create(uow_factory, seed.rep, amount=50_000_000)
    stages = await _stages(uow_factory, seed.team.id)
    assert deal.stage_id == stages["prospecting"].id
    assert deal.probability == 10
    assert deal.expected_revenue == 5_000_000
    assert deal.owner_id == seed.rep.id
    assert deal.result is Result.OPEN


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({"name": ""}, "name", "length"),
        ({"name": "x" * 201}, "name", "length"),
        ({"amount": -1}, "amount", "negative"),
        ({"amount": 10**15}, "amount", "too_large"),
        ({"close_date": date(1999, 12, 31)}, "close_date", "out_of_range"),
        ({"close_date": date(2101, 1, 1)}, "close_date", "out_of_range"),
        ({"close_date": None}, "close_date", "required"),
        ({"probability": 101}, "probability", "out_of_range"),
        ({"currency": "dollars"}, "currency", "unknown"),
    ],
)
async def test_invalid_fields_are_refused_with_a_precise_error(
    seed, uow_factory, fields, field, reason
):
    with pytest.raises(InvalidInput) as error:
        await _create(uow_factory, seed.rep, **fields)
    assert (error.value.field, error.value.reason) == (field, reason)
    async with uow_factory() as uow:
        assert await uow.session.scalar(select(func.count(Opportunity.id))) == 0


async def test_a_rep_cannot_give_a_deal_to_someone_else(seed, uow_factory):
    with pytest.raises(InvalidInput) as error:
        await _create(uow_factory, seed.rep, owner_id=seed.rep2.id)
    assert error.value.reason == "not_allowed"


async def test_a_manager_cannot_give_a_deal_to_another_teams_rep(seed, uow_factory):
    with pytest.raises(InvalidInput) as error:
        await _create(uow_factory, seed.manager, owner_id=seed.other_rep.id)
    assert error.value.reason == "not_in_team"
    deal = await _create(uow_factory, seed.manager, owner_id=seed.rep2.id)
    assert deal.owner_id == seed.rep2.id


async def test_the_same_idempotency_key_twice_creates_one_opportunity(seed, uow_factory):
    created = []
    for _ in range(2):
        async with uow_factory() as uow:
            created.append(
                await create_opportunity(
                    uow,
                    seed.rep,
                    OpportunityInput(name="Once", close_date=CLOSE),
                    idempotency_key="msg:1:7",
                )
            )
    first, second = created
    assert first.id == second.id
    async with uow_factory() as uow:
        assert await uow.session.scalar(select(func.count(Opportunity.id))) == 1


async def test_a_stale_version_raises_a_conflict_and_overwrites_nothing(seed, uow_factory):
    deal = await _create(uow_factory, seed.rep, amount=100)
    async with uow_factory() as uow:
        updated = await update_opportunity(
            uow, seed.rep, deal.id, {"amount": 200}, expected_version=deal.version
        )
    assert updated.version == deal.version + 1
    with pytest.raises(Conflict):
        async with uow_factory() as uow:
            await update_opportunity(
                uow, seed.rep, deal.id, {"amount": 300}, expected_version=deal.version
            )
    async with uow_factory() as uow:
        assert (await uow.session.get(Opportunity, deal.id)).amount == 200


async def test_an_update_writes_one_audit_row_per_changed_field(seed, uow_factory):
    deal = await _create(uow_factory, seed.rep, amount=100)
    async with uow_factory() as uow:
        await update_opportunity(
            uow,
            seed.rep,
            deal.id,
            {"amount": 250, "name": "Acme ERP", "close_date": date(2027, 1, 15)},
            expected_version=deal.version,
        )
    async with uow_factory() as uow:
        rows = (await uow.session.execute(select(AuditEntry).order_by(AuditEntry.field))).scalars()
        changes = [(r.field, r.old_value, r.new_value, r.user_id) for r in rows]
    assert changes == [
        ("amount", "100", "250", seed.rep.id),
        ("close_date", "2026-12-31", "2027-01-15", seed.rep.id),
    ]


async def test_a_stage_move_writes_history_and_audit_and_sets_probability(seed, uow_factory):
    deal = await _create(uow_factory, seed.rep, amount=1_000)
    stages = await _stages(uow_factory, seed.team.id)
    async with uow_factory() as uow:
        moved = await move_stage(
            uow, seed.rep, deal.id, stages["proposal"].id, expected_version=deal.version
        )
    assert moved.probability == 50
    assert moved.result is Result.OPEN
    async with uow_factory() as uow:
        moves = (
            (await uow.session.execute(select(StageChange).order_by(StageChange.id)))
            .scalars()
            .all()
        )
        audited = {
            row.field: (row.old_value, row.new_value)
            for row in (await uow.session.execute(select(AuditEntry))).scalars()
        }
    assert [(m.from_stage_id, m.to_stage_id, m.probability) for m in moves] == [
        (None, stages["prospecting"].id, 10),
        (stages["prospecting"].id, stages["proposal"].id, 50),
    ]
    assert audited["probability"] == ("10", "50")
    assert audited["stage_id"] == (str(stages["prospecting"].id), str(stages["proposal"].id))


async def test_winning_sets_the_result_and_losing_needs_a_reason(seed, uow_factory):
    stages = await _stages(uow_factory, seed.team.id)
    won = await _create(uow_factory, seed.rep, name="Won one")
    async with uow_factory() as uow:
        won = await move_stage(uow, seed.rep, won.id, stages["won"].id)
    assert (won.result, won.probability) == (Result.WON, 100)
    assert won.closed_at is not None

    lost = await _create(uow_factory, seed.rep, name="Lost one")
    with pytest.raises(InvalidInput) as error:
        async with uow_factory() as uow:
            await move_stage(uow, seed.rep, lost.id, stages["lost"].id)
    assert error.value.field == "lost_reason"
    async with uow_factory() as uow:
        lost = await move_stage(uow, seed.rep, lost.id, stages["lost"].id, lost_reason="Price")
    assert (lost.result, lost.probability, lost.lost_reason) == (Result.LOST, 0, "Price")


async def test_an_overridden_probability_survives_open_stage_moves(seed, uow_factory):
    stages = await _stages(uow_factory, seed.team.id)
    deal = await _create(uow_factory, seed.rep, probability=35)
    assert deal.probability == 35
    async with uow_factory() as uow:
        deal = await move_stage(uow, seed.rep, deal.id, stages["proposal"].id)
    assert deal.probability == 35
    async with uow_factory() as uow:
        deal = await move_stage(uow, seed.rep, deal.id, stages["won"].id)
    assert deal.probability == 100


async def test_moving_with_a_stale_version_is_a_conflict(seed, uow_factory):
    stages = await _stages(uow_factory, seed.team.id)
    deal = await _create(uow_factory, seed.rep)
    async with uow_factory() as uow:
        await move_stage(uow, seed.manager, deal.id, stages["proposal"].id)
    with pytest.raises(Conflict):
        async with uow_factory() as uow:
            await move_stage(
                uow, seed.rep, deal.id, stages["negotiation"].id, expected_version=deal.version
            )


async def test_product_lines_set_the_amount_to_their_sum(seed, uow_factory):
    async with uow_factory() as uow:
        licence = Product(
            team_id=seed.team.id, name="Licence", unit_price=12_000_000, currency="VND"
        )
        setup = Product(team_id=seed.team.id, name="Setup", unit_price=5_000_000, currency="VND")
        uow.session.add_all([licence, setup])
        await uow.commit()
    deal = await _create(
        uow_factory,
        seed.rep,
        amount=1,
        lines=[LineInput(licence.id, 3), LineInput(setup.id, 1, unit_price=4_000_000)],
    )
    assert deal.amount == 40_000_000
    async with uow_factory() as uow:
        deal = await set_lines(
            uow, seed.rep, deal.id, [LineInput(licence.id, 1)], expected_version=deal.version
        )
    assert deal.amount == 12_000_000
    with pytest.raises(InvalidInput) as error:
        async with uow_factory() as uow:
            await update_opportunity(
                uow, seed.rep, deal.id, {"amount": 5}, expected_version=deal.version
            )
    assert error.value.reason == "set_by_lines"


async def test_history_lists_stage_moves_and_field_changes_with_who(seed, uow_factory):
    stages = await _stages(uow_factory, seed.team.id)
    deal = await _create(uow_factory, seed.rep, amount=10)
    async with uow_factory() as uow:
        deal = await update_opportunity(uow, seed.rep, deal.id, {"amount": 20}, expected_version=1)
    async with uow_factory() as uow:
        await move_stage(uow, seed.manager, deal.id, stages["negotiation"].id)
    async with uow_factory() as uow:
        entries = await history(uow, seed.rep, deal.id)
    summary = [(e.kind, e.field, e.old, e.new, e.who) for e in entries]
    assert ("stage", None, None, "Prospecting", "An Rep") in summary
    assert ("field", "amount", "10", "20", "An Rep") in summary
    assert ("stage", None, "Prospecting", "Negotiation", "Mai Manager") in summary
    assert ("field", "probability", "10", "80", "Mai Manager") in summary
