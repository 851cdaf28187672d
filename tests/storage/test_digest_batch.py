"""A batch of digests read at once equals each member's own digest, in a fixed number of reads."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import event, update

from storage.actors import Actor
from storage.digest_batch import load_digests
from storage.digests import STUCK_SHOWN, load_digest
from storage.models import Opportunity, Result, Role
from storage.opportunities import OpportunityInput, create_opportunity
from storage.teams import add_user

TODAY = date(2026, 3, 4)  # a Wednesday
NOW = datetime(2026, 3, 4, 1, 0, tzinfo=UTC)
STALE_DAYS = 14
# Close dates around the 7-day horizon: overdue, today, due, the horizon, beyond it.
OFFSETS = (-20, -3, 0, 2, 7, 8, 30)


async def _deal(uow_factory, actor, offset: int, *, idle_days: int, currency="VND", **values):
    async with uow_factory() as uow:
        deal = await create_opportunity(
            uow,
            actor,
            OpportunityInput(
                name=f"Deal {actor.id} {offset} {idle_days}",
                close_date=TODAY + timedelta(days=offset),
                amount=1_000_000 * (offset + 40) + idle_days,
                currency=currency,
            ),
        )
    async with uow_factory() as uow:
        changed = NOW - timedelta(days=idle_days, minutes=offset + 40)
        await uow.session.execute(
            update(Opportunity)
            .where(Opportunity.id == deal.id)
            .values(stage_changed_at=changed, **values)
        )
        await uow.commit()
    return deal.id


async def _morning(seed, uow_factory) -> list:
    """Deals of every kind for everyone in both teams; the members, in a mixed order."""
    members = [seed.rep, seed.manager, seed.other_rep, seed.rep2, seed.admin, seed.other_manager]
    for number, actor in enumerate(members):
        for offset in OFFSETS:
            idle = (offset * 7 + number * 5) % 40
            await _deal(uow_factory, actor, offset, idle_days=idle)
        await _deal(uow_factory, actor, 3, idle_days=1, currency="USD")
    # More stuck deals than are listed, and deals no digest may show.
    for extra in range(STUCK_SHOWN + 3):
        await _deal(uow_factory, seed.rep, 20 + extra, idle_days=STALE_DAYS + extra)
    await _deal(uow_factory, seed.rep, 1, idle_days=30, result=Result.WON)
    await _deal(uow_factory, seed.rep2, 1, idle_days=30, team_id=seed.other_team.id)
    await _deal(uow_factory, seed.admin, 2, idle_days=30, team_id=seed.other_team.id)
    return members


async def test_a_batch_of_digests_equals_each_members_own_digest(seed, uow_factory):
    members = await _morning(seed, uow_factory)
    async with uow_factory() as uow:
        batch = await load_digests(uow, members, today=TODAY, now=NOW, stale_days=STALE_DAYS)
        one_by_one = {
            actor.id: await load_digest(uow, actor, today=TODAY, now=NOW, stale_days=STALE_DAYS)
            for actor in members
        }
    assert batch == one_by_one
    # The comparison is worth something: every kind of row is there.
    rep = batch[seed.rep.id]
    assert len(rep.stuck) == STUCK_SHOWN and rep.stuck_total > STUCK_SHOWN
    assert {row.currency for row in rep.totals} == {"USD", "VND"}
    assert rep.team is None and batch[seed.rep2.id].due
    manager, other = batch[seed.manager.id].team, batch[seed.other_manager.id].team
    assert manager is not None and manager.week and manager.month and manager.stuck
    assert other is not None and other != manager
    assert batch[seed.admin.id].team == manager
    # The deal the admin owns in the other team is theirs to see; rep2's there is not.
    assert len(batch[seed.admin.id].due) == len(batch[seed.manager.id].due) + 1


async def test_an_empty_batch_reads_nothing(seed, uow_factory):
    async with uow_factory() as uow:
        assert await load_digests(uow, [], today=TODAY, now=NOW, stale_days=STALE_DAYS) == {}


async def _statements(engine, uow_factory, members) -> int:
    counted = []

    def count(*_args) -> None:
        counted.append(1)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        async with uow_factory() as uow:
            digests = await load_digests(uow, members, today=TODAY, now=NOW, stale_days=STALE_DAYS)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert set(digests) == {actor.id for actor in members}
    return len(counted)


async def test_reading_a_batch_takes_as_many_statements_for_thirty_members_as_for_three(
    seed, uow_factory, engine
):
    await _morning(seed, uow_factory)
    reps = []
    for number in range(24):
        async with uow_factory() as uow:
            user = await add_user(
                uow, team_id=seed.team.id, name=f"Rep {number}", role=Role.REP, telegram_id=None
            )
        reps.append(Actor.of(user))
        await _deal(uow_factory, reps[-1], 2, idle_days=number)
    few = [seed.manager, seed.rep, seed.rep2]
    many = [*few, seed.admin, seed.other_manager, seed.other_rep, *reps]
    assert await _statements(engine, uow_factory, few) <= 6
    assert await _statements(engine, uow_factory, many) == await _statements(
        engine, uow_factory, few
    )
