"""The outbox claims each sending once, retries a crashed one once, and what is due when."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select, update

from storage import outbox
from storage.due import (
    DIGEST,
    OVERDUE,
    REMINDER,
    due_digests,
    due_reminders,
    parse_offsets,
    reminder_threshold,
)
from storage.models import Opportunity, OutboxEntry, OutboxStatus, User
from storage.opportunities import OpportunityInput, create_opportunity
from storage.outbox import OutboxKey

# Monday 2 March 2026, 08:30 in Ho Chi Minh City (UTC+7).
MONDAY_0830 = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
MONDAY = date(2026, 3, 2)


async def _claim(uow_factory, key: OutboxKey, now: datetime) -> int | None:
    async with uow_factory() as uow:
        return await outbox.claim(uow, key, now)


async def _entry(uow_factory, key: OutboxKey) -> OutboxEntry:
    async with uow_factory() as uow:
        found = await outbox.entry(uow, key)
    assert found is not None
    return found


async def test_a_sending_is_claimed_once(uow_factory, seed):
    key = OutboxKey(seed.rep.id, DIGEST, "", MONDAY)
    assert await _claim(uow_factory, key, MONDAY_0830) is not None
    assert await _claim(uow_factory, key, MONDAY_0830) is None
    entry = await _entry(uow_factory, key)
    assert (entry.status, entry.attempts) == (OutboxStatus.CLAIMED, 1)


async def test_ten_claimers_at_once_get_one_claim(uow_factory, seed):
    key = OutboxKey(seed.rep.id, DIGEST, "", MONDAY)
    claims = await asyncio.gather(*(_claim(uow_factory, key, MONDAY_0830) for _ in range(10)))
    assert sum(claim is not None for claim in claims) == 1


async def test_a_claim_left_unfinished_is_retried_every_few_minutes_a_few_times(uow_factory, seed):
    key = OutboxKey(seed.rep.id, DIGEST, "", MONDAY)
    first = await _claim(uow_factory, key, MONDAY_0830)
    assert await _claim(uow_factory, key, MONDAY_0830 + timedelta(minutes=2)) is None
    retried = await _claim(uow_factory, key, MONDAY_0830 + timedelta(minutes=6))
    assert retried == first
    assert (await _entry(uow_factory, key)).attempts == 2
    later = MONDAY_0830 + timedelta(minutes=6)
    for attempt in range(3, outbox.MAX_ATTEMPTS + 1):
        wait = outbox.RETRY_AFTER * 2 ** (attempt - 2)
        # Not yet: each retry waits twice as long as the one before.
        assert await _claim(uow_factory, key, later + wait - timedelta(minutes=1)) is None
        later += wait + timedelta(minutes=1)
        assert await _claim(uow_factory, key, later) == first
    assert (await _entry(uow_factory, key)).attempts == outbox.MAX_ATTEMPTS
    # A few retries, not forever.
    assert await _claim(uow_factory, key, MONDAY_0830 + timedelta(hours=12)) is None


async def test_a_sent_or_skipped_entry_is_never_claimed_again(uow_factory, seed):
    sent = OutboxKey(seed.rep.id, DIGEST, "", MONDAY)
    skipped = OutboxKey(seed.rep2.id, DIGEST, "", MONDAY)
    later = MONDAY_0830 + timedelta(hours=3)
    for key, mark in ((sent, outbox.mark_sent), (skipped, outbox.mark_skipped)):
        entry_id = await _claim(uow_factory, key, MONDAY_0830)
        async with uow_factory() as uow:
            await mark(uow, entry_id, MONDAY_0830)
        assert await _claim(uow_factory, key, later) is None
    assert (await _entry(uow_factory, sent)).sent_at == MONDAY_0830
    assert (await _entry(uow_factory, skipped)).status is OutboxStatus.SKIPPED


async def test_a_digest_is_due_from_its_time_until_the_local_day_ends(uow_factory, seed):
    async def due_at(now: datetime) -> set[int]:
        async with uow_factory() as uow:
            found = await due_digests(uow, now, stale_before=now - outbox.RETRY_AFTER)
        return {item.recipient.user_id for item in found}

    assert seed.rep.id not in await due_at(MONDAY_0830 - timedelta(minutes=31))
    assert seed.rep.id in await due_at(MONDAY_0830)
    # 23:59 local is still Monday; 00:01 on Tuesday is a new day, before its 08:00.
    assert seed.rep.id in await due_at(datetime(2026, 3, 2, 16, 59, tzinfo=UTC))
    assert seed.rep.id not in await due_at(datetime(2026, 3, 2, 17, 1, tzinfo=UTC))
    entry_id = await _claim(uow_factory, OutboxKey(seed.rep.id, DIGEST, "", MONDAY), MONDAY_0830)
    async with uow_factory() as uow:
        await outbox.mark_sent(uow, entry_id, MONDAY_0830)
    assert seed.rep.id not in await due_at(MONDAY_0830 + timedelta(hours=2))


async def test_digest_time_days_and_time_zone_are_each_members_own(uow_factory, seed):
    async with uow_factory() as uow:
        await uow.session.execute(
            update(User)
            .where(User.id == seed.rep.id)
            .values(timezone="Asia/Tokyo", digest_time=time(9, 0), digest_days="6,7")
        )
        await uow.commit()
    saturday_0900_tokyo = datetime(2026, 3, 7, 0, 0, tzinfo=UTC)
    async with uow_factory() as uow:
        on_monday = await due_digests(uow, MONDAY_0830, stale_before=MONDAY_0830)
        on_saturday = await due_digests(uow, saturday_0900_tokyo, stale_before=MONDAY_0830)
    assert seed.rep.id not in {item.recipient.user_id for item in on_monday}
    (mine,) = [item for item in on_saturday if item.recipient.user_id == seed.rep.id]
    assert (mine.key.local_date, mine.recipient.timezone) == (date(2026, 3, 7), "Asia/Tokyo")
    assert seed.rep2.id not in {item.recipient.user_id for item in on_saturday}


async def test_a_member_who_blocked_the_bot_is_not_due_anything(uow_factory, seed):
    key = OutboxKey(seed.rep.id, DIGEST, "", MONDAY)
    entry_id = await _claim(uow_factory, key, MONDAY_0830)
    async with uow_factory() as uow:
        await outbox.mark_blocked(uow, entry_id, seed.rep.id, MONDAY_0830)
    tuesday = MONDAY_0830 + timedelta(days=1)
    async with uow_factory() as uow:
        found = await due_digests(uow, tuesday, stale_before=tuesday)
        blocked_at = await uow.session.scalar(select(User.blocked_at).where(User.id == seed.rep.id))
    assert blocked_at == MONDAY_0830
    assert seed.rep.id not in {item.recipient.user_id for item in found}
    assert (await _entry(uow_factory, key)).status is OutboxStatus.FAILED


def test_the_latest_reminder_day_that_has_come_is_the_one_due():
    offsets = parse_offsets("7, 1,0,x")
    assert offsets == [7, 1, 0]
    close = date(2026, 3, 11)
    assert reminder_threshold(offsets, close, date(2026, 3, 3)) is None
    assert reminder_threshold(offsets, close, date(2026, 3, 4)) == date(2026, 3, 4)
    assert reminder_threshold(offsets, close, date(2026, 3, 8)) == date(2026, 3, 4)
    assert reminder_threshold(offsets, close, date(2026, 3, 10)) == date(2026, 3, 10)
    assert reminder_threshold(offsets, close, date(2026, 3, 11)) == close
    assert reminder_threshold(offsets, close, date(2026, 3, 12)) is None
    assert reminder_threshold([], close, date(2026, 3, 11)) is None


async def test_reminders_and_nudges_are_derived_for_open_deals_only(uow_factory, seed):
    deals = {}
    for name, close in (
        ("Due in 7", MONDAY + timedelta(days=7)),
        ("Due in 3", MONDAY + timedelta(days=3)),
        ("Overdue 2", MONDAY - timedelta(days=2)),
        ("Overdue 9", MONDAY - timedelta(days=9)),
        ("Far", MONDAY + timedelta(days=30)),
    ):
        async with uow_factory() as uow:
            deal = await create_opportunity(
                uow, seed.rep, OpportunityInput(name=name, close_date=close)
            )
        deals[name] = deal.id
    async with uow_factory() as uow:
        # Created well before: every reminder day passed while the deals existed.
        await uow.session.execute(
            update(Opportunity).values(created_at=MONDAY_0830 - timedelta(days=30))
        )
        await uow.commit()
    async with uow_factory() as uow:
        found = await due_reminders(uow, MONDAY_0830, stale_before=MONDAY_0830)
    got = {(item.deal_id, item.key.kind, item.key.local_date) for item in found}
    assert got == {
        (deals["Due in 7"], REMINDER, MONDAY),
        (deals["Due in 3"], REMINDER, MONDAY - timedelta(days=4)),
        (deals["Overdue 2"], OVERDUE, MONDAY - timedelta(days=2)),
    }
    async with uow_factory() as uow:
        await uow.session.execute(
            update(Opportunity)
            .where(Opportunity.id == deals["Due in 3"])
            .values(created_at=MONDAY_0830)
        )
        await uow.session.execute(
            update(Opportunity).where(Opportunity.id == deals["Due in 7"]).values(result="won")
        )
        await uow.commit()
    async with uow_factory() as uow:
        found = await due_reminders(uow, MONDAY_0830, stale_before=MONDAY_0830)
    # Won: nothing; created after its reminder day: not reminded of it at once.
    assert {item.deal_id for item in found} == {deals["Overdue 2"]}
