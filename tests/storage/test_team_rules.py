"""A team's reminder days and stuck threshold: who may change them, and within what."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from storage.due import due_reminders
from storage.errors import Forbidden, InvalidInput, NotFound
from storage.models import AuditEntry
from storage.opportunities import OpportunityInput, create_opportunity
from storage.team_rules import TeamRules, team_rules, update_team_rules
from tests.units import in_own_uow

# Monday 2 March 2026, 09:00 in Ho Chi Minh City.
MONDAY_0900 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


async def test_a_new_team_reminds_at_seven_one_and_zero_days_and_calls_fourteen_days_stuck(
    uow_factory, seed
):
    rules = await in_own_uow(uow_factory, team_rules, seed.rep)
    assert rules == TeamRules(seed.team.id, (7, 1, 0), 14)


async def test_a_manager_changes_the_rules_and_the_change_is_audited(uow_factory, seed):
    rules = await in_own_uow(
        uow_factory,
        update_team_rules,
        seed.manager,
        seed.team.id,
        reminder_offsets=[0, 3, 3, 10],
        stale_days=21,
    )
    assert rules == TeamRules(seed.team.id, (10, 3, 0), 21)
    async with uow_factory() as uow:
        assert await team_rules(uow, seed.rep) == rules
        audit = (
            await uow.session.execute(
                select(AuditEntry.field, AuditEntry.old_value, AuditEntry.new_value)
                .where(AuditEntry.entity == "team")
                .order_by(AuditEntry.field)
            )
        ).all()
    assert audit == [("reminder_offsets", "7,1,0", "10,3,0"), ("stale_days", "14", "21")]


async def test_a_rep_may_not_and_a_manager_may_not_touch_another_team(uow_factory, seed):
    async with uow_factory() as uow:
        with pytest.raises(Forbidden):
            await update_team_rules(uow, seed.rep, seed.team.id, stale_days=3)
        with pytest.raises(NotFound):
            await update_team_rules(uow, seed.manager, seed.other_team.id, stale_days=3)
    async with uow_factory() as uow:
        assert (await team_rules(uow, seed.other_rep)).stale_days == 14
        assert (await team_rules(uow, seed.rep)).stale_days == 14


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"reminder_offsets": []}, "reminder_offsets", "count"),
        ({"reminder_offsets": [1, 2, 3, 4, 5, 6, 7]}, "reminder_offsets", "count"),
        ({"reminder_offsets": [61]}, "reminder_offsets", "out_of_range"),
        ({"reminder_offsets": [-1]}, "reminder_offsets", "out_of_range"),
        ({"stale_days": 0}, "stale_days", "out_of_range"),
        ({"stale_days": 366}, "stale_days", "out_of_range"),
    ],
)
async def test_rules_out_of_bounds_are_refused_and_nothing_changes(
    uow_factory, seed, changes, field, reason
):
    async with uow_factory() as uow:
        with pytest.raises(InvalidInput) as refused:
            await update_team_rules(uow, seed.manager, seed.team.id, **changes)
    assert (refused.value.field, refused.value.reason) == (field, reason)
    async with uow_factory() as uow:
        assert await team_rules(uow, seed.rep) == TeamRules(seed.team.id, (7, 1, 0), 14)


async def test_the_command_line_is_trusted_with_any_team(uow_factory, seed):
    rules = await in_own_uow(
        uow_factory, update_team_rules, None, seed.other_team.id, reminder_offsets=[2]
    )
    assert rules.reminder_offsets == (2,)


async def test_reminders_follow_the_teams_days(uow_factory, seed):
    async with uow_factory() as uow:
        deal = await create_opportunity(
            uow,
            seed.rep,
            OpportunityInput(name="Three days out", close_date=date(2026, 3, 5), amount=1),
        )
        # Created long before, so every reminder day passed while it existed.
        deal.created_at = MONDAY_0900 - timedelta(days=30)
        await uow.commit()

    async def reminded() -> list[int]:
        due = await in_own_uow(uow_factory, due_reminders, MONDAY_0900, stale_before=MONDAY_0900)
        return [item.deal_id for item in due]

    assert len(await reminded()) == 1  # within the 7-day reminder
    await in_own_uow(
        uow_factory, update_team_rules, seed.manager, seed.team.id, reminder_offsets=[1, 0]
    )
    assert await reminded() == []  # its first reminder is now the day before
