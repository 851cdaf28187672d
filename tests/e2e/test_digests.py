"""Scheduled pushes with a moved clock: digests, reminders, catch-up, exactly once."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from sqlalchemy import select

from bot.runtime.scheduler import JOB_NAME, TICK_INTERVAL, tick
from storage.models import Opportunity, OutboxEntry, OutboxStatus, Result, User
from tests.e2e.digest_helpers import (
    Clock,
    add_deal,
    days,
    digests,
    register_members,
    reminders,
    sent_texts,
    without_job,
)


async def _english(fake, *telegram_ids: int):
    users = [fake.user(telegram_id, f"User {telegram_id}") for telegram_id in telegram_ids]
    for user in users:
        await user.send("/language en")
    return users


async def test_the_scheduler_job_is_registered_once_per_application(make_app):
    app = await make_app()
    (job,) = app.job_queue.get_jobs_by_name(JOB_NAME)
    assert job.job.trigger.interval == TICK_INTERVAL
    assert job.callback.__name__ == "_tick_job"


async def test_bangkok_and_saigon_members_get_one_digest_at_their_local_time_and_none_on_sunday(
    fake, make_app, seed, uow_factory
):
    clock = Clock("2026-03-02 06:00")  # a Monday
    app = without_job(await make_app(clock=clock))
    register_members(fake)
    an, somchai = await _english(fake, 101, 200)
    await somchai.send("/settings tz Asia/Bangkok")
    await somchai.send("/settings time 07:30")
    await an.send("/settings time 08:15")
    created = clock.now - days(20)
    await add_deal(uow_factory, seed.rep, "Acme ERP", date(2026, 3, 20), created=created)
    await add_deal(uow_factory, seed.other_rep, "Siam POS", date(2026, 3, 20), created=created)

    expected = {
        "2026-03-02 06:00": (0, 0),
        "2026-03-02 07:29": (0, 0),
        "2026-03-02 07:30": (0, 1),
        "2026-03-02 08:14": (0, 1),
        "2026-03-02 08:15": (1, 1),
        "2026-03-02 12:00": (1, 1),
        "2026-03-08 09:00": (1, 1),  # Sunday
        "2026-03-09 09:00": (2, 2),  # Monday again
    }
    for local, counts in expected.items():
        clock.set(local)
        await tick(app)
        assert (len(digests(fake, 101)), len(digests(fake, 200))) == counts, local
    first = digests(fake, 101)[0]
    assert "Acme ERP" in first and "Siam POS" not in first
    assert "Nothing is due" in first  # 18 days away: not due, but the digest still comes
    assert "Siam POS" in digests(fake, 200)[0] and "Acme ERP" not in digests(fake, 200)[0]


async def test_a_digest_lists_due_deals_soonest_first_with_amount_stage_and_days_left(
    fake, make_app, seed, uow_factory
):
    clock = Clock("2026-03-04 09:00")  # Wednesday
    app = without_job(await make_app(clock=clock))
    register_members(fake)
    await _english(fake, 101)
    created = clock.now - days(30)
    later = await add_deal(uow_factory, seed.rep, "Later", date(2026, 3, 9), created=created)
    late = await add_deal(uow_factory, seed.rep, "Late", date(2026, 3, 1), created=created)
    await add_deal(uow_factory, seed.rep, "Far away", date(2026, 4, 30), created=created)
    await add_deal(uow_factory, seed.rep2, "Not mine", date(2026, 3, 5), created=created)
    await tick(app)
    (text,) = digests(fake, 101)
    assert text.index("Late") < text.index("Later")
    assert "overdue by 3 days" in text and "5 days left" in text
    assert "₫" in text and "Prospecting (10%)" in text
    assert "Not mine" not in text
    # Unmoved for 30 days: stuck, flagged in the due list and listed when not due.
    assert "stuck for 30 days" in text and "Far away" in text.split("Stuck")[1]
    assert "2 deals" in text  # the totals of what is due
    (message,) = [c for c in fake.calls_of("sendMessage", 101) if "Your deals" in c.params["text"]]
    rows = message.params["reply_markup"]["inline_keyboard"]
    data = [button["callback_data"] for row in rows for button in row]
    assert f"dc:mv:{late}" in data and f"pu:d:{later}" in data


async def test_a_manager_digest_adds_team_totals_by_rep_and_stuck_deals_per_rep(
    fake, make_app, seed, uow_factory
):
    clock = Clock("2026-03-04 09:00")  # Wednesday; the week ends on Sunday 8 March
    app = without_job(await make_app(clock=clock))
    register_members(fake)
    await _english(fake, 100)
    fresh, old = clock.now - days(1), clock.now - days(40)
    await add_deal(uow_factory, seed.rep, "An this week", date(2026, 3, 6), created=fresh)
    await add_deal(uow_factory, seed.rep2, "Binh this month", date(2026, 3, 25), created=old)
    await add_deal(uow_factory, seed.other_rep, "Other team", date(2026, 3, 6), created=old)
    await tick(app)
    (text,) = digests(fake, 100)
    week = text.split("closing this week")[1].split("closing this month")[0]
    month = text.split("closing this month")[1].split("stuck deals by rep")[0]
    stuck = text.split("stuck deals by rep")[1]
    assert "An Rep" in week and "Binh Rep" not in week
    assert "An Rep" in month and "Binh Rep" in month
    assert "Binh Rep: 1 stuck deal" in stuck and "An Rep" not in stuck
    assert "Other team" not in text and "Somchai" not in text


async def test_a_deal_gets_its_three_reminders_and_none_after_it_is_won(
    fake, make_app, seed, uow_factory
):
    clock = Clock("2026-03-04 09:00")
    app = without_job(await make_app(clock=clock))
    register_members(fake)
    (an,) = await _english(fake, 101)
    await an.send("/settings days none")  # only reminders in this chat
    created = clock.now - days(30)
    kept = await add_deal(uow_factory, seed.rep, "Kept open", date(2026, 3, 11), created=created)
    won = await add_deal(uow_factory, seed.rep, "Won early", date(2026, 3, 11), created=created)
    await tick(app)
    await tick(app)
    assert len(reminders(fake, 101)) == 2
    await an.send(f"/won #{won}")
    for local in ("2026-03-07 09:00", "2026-03-10 09:00", "2026-03-11 09:00", "2026-03-11 18:00"):
        clock.set(local)
        await tick(app)
    kept_texts = [text for text in reminders(fake, 101) if f"#{kept}" in text]
    won_texts = [text for text in reminders(fake, 101) if f"#{won}" in text]
    assert len(kept_texts) == 3 and len(won_texts) == 1
    assert "closes in 7 days" in kept_texts[0]
    assert "closes in 1 day," in kept_texts[1]
    assert "closes today" in kept_texts[2]
    # The day after: one nudge with new date / won / lost, and only one.
    clock.set("2026-03-12 09:00")
    await tick(app)
    await tick(app)
    nudges = sent_texts(fake, 101, "How did it go?")
    assert len(nudges) == 1 and f"#{kept}" in nudges[0] and f"#{won}" not in nudges[0]
    assert an.buttons() == ["New close date", "Won", "Lost"]
    await an.click("Won")
    async with uow_factory() as uow:
        deal = await uow.session.get(Opportunity, kept)
    assert deal.result is Result.WON


async def test_changing_the_close_date_re_arms_the_reminders(fake, make_app, seed, uow_factory):
    clock = Clock("2026-03-04 09:00")
    app = without_job(await make_app(clock=clock))
    register_members(fake)
    (an,) = await _english(fake, 101)
    await an.send("/settings days none")
    deal = await add_deal(
        uow_factory, seed.rep, "Moving target", date(2026, 3, 11), created=clock.now - days(30)
    )
    await tick(app)
    assert len(reminders(fake, 101)) == 1
    await an.click("New close date")
    await an.click("In two weeks")  # 18 March
    async with uow_factory() as uow:
        assert (await uow.session.get(Opportunity, deal)).close_date == date(2026, 3, 18)
    for local in ("2026-03-10 09:00", "2026-03-11 09:00", "2026-03-17 09:00", "2026-03-18 09:00"):
        clock.set(local)
        await tick(app)
    texts = reminders(fake, 101)
    assert len(texts) == 4
    assert "closes in 7 days" in texts[1] and "18 Mar 2026" in texts[1]
    assert "closes today" in texts[3]


async def test_down_across_eight_and_back_at_half_past_ten_sends_the_digest_once(
    fake, make_app, seed
):
    clock = Clock("2026-03-02 07:50")
    register_members(fake)
    first = without_job(await make_app(clock=clock))
    await _english(fake, 101)
    await tick(first)
    await first.stop()  # down from 07:50 ...
    clock.set("2026-03-02 10:30")  # ... to 10:30
    second = without_job(await make_app(clock=clock))
    await tick(second)
    await tick(second)
    clock.set("2026-03-02 10:31")
    await tick(second)
    assert len(digests(fake, 101)) == 1


async def test_a_digest_missed_for_a_whole_day_is_not_sent_the_next_day(fake, make_app, seed):
    clock = Clock("2026-03-03 00:30")  # Tuesday: Monday's digest time passed while down
    register_members(fake)
    app = without_job(await make_app(clock=clock))
    await _english(fake, 101)
    await tick(app)
    assert digests(fake, 101) == []
    clock.set("2026-03-03 08:00")
    await tick(app)
    (text,) = digests(fake, 101)
    assert "3 March 2026" in text


async def test_a_crash_between_claim_and_send_is_retried_once_a_few_minutes_later(
    fake, make_app, seed, uow_factory
):
    clock = Clock("2026-03-02 08:00")
    register_members(fake)
    app = without_job(await make_app(clock=clock))
    await _english(fake, 101)
    async with uow_factory() as uow:
        # What a process that died right after claiming leaves behind.
        uow.session.add(
            OutboxEntry(
                user_id=seed.rep.id,
                kind="digest",
                subject="",
                local_date=date(2026, 3, 2),
                attempts=1,
                claimed_at=clock.now,
            )
        )
        await uow.commit()
    clock.set("2026-03-02 08:02")
    await tick(app)
    assert digests(fake, 101) == []
    clock.set("2026-03-02 08:06")
    await tick(app)
    await tick(app)
    assert len(digests(fake, 101)) == 1
    async with uow_factory() as uow:
        entry = (
            await uow.session.execute(select(OutboxEntry).where(OutboxEntry.user_id == seed.rep.id))
        ).scalar_one()
    assert (entry.status, entry.attempts) == (OutboxStatus.SENT, 2)


async def test_a_member_who_blocked_the_bot_is_skipped_until_they_write_again(
    fake, make_app, seed, uow_factory
):
    clock = Clock("2026-03-02 09:00")
    register_members(fake)
    app = without_job(await make_app(clock=clock))
    (an,) = await _english(fake, 101)
    an.block_bot()
    await tick(app)
    async with uow_factory() as uow:
        assert (await uow.session.get(User, seed.rep.id)).blocked_at == clock.now
    refused = len(fake.calls_of("sendMessage", 101))
    clock.set("2026-03-03 09:00")
    await tick(app)
    assert len(fake.calls_of("sendMessage", 101)) == refused  # not even tried
    an.unblock_bot()
    await an.send("/help")
    await tick(app)
    assert len(digests(fake, 101)) == 1


async def test_two_applications_sharing_one_database_send_exactly_one_digest_per_member(
    fake, make_app, seed
):
    clock = Clock("2026-03-02 09:00")
    register_members(fake)
    first = without_job(await make_app(clock=clock))
    second = without_job(await make_app(clock=clock))
    await asyncio.gather(tick(first), tick(second), tick(first), tick(second))
    for telegram_id in (100, 101, 102, 200, 201, 1):
        delivered = [c for c in fake.calls_of("sendMessage", telegram_id) if c.error is None]
        assert len(delivered) == 1, telegram_id


async def test_quiet_mode_sends_nothing_when_nothing_is_due(fake, make_app, seed, uow_factory):
    clock = Clock("2026-03-02 09:00")
    register_members(fake)
    app = without_job(await make_app(clock=clock))
    an, binh = await _english(fake, 101, 102)
    await an.send("/settings quiet on")
    await binh.send("/settings quiet on")
    await add_deal(uow_factory, seed.rep2, "Due soon", date(2026, 3, 4), created=clock.now)
    await tick(app)
    assert digests(fake, 101) == [] and len(digests(fake, 102)) == 1
    async with uow_factory() as uow:
        statuses = dict(
            (await uow.session.execute(select(OutboxEntry.user_id, OutboxEntry.status))).all()
        )
    assert statuses[seed.rep.id] is OutboxStatus.SKIPPED


async def test_slash_digest_sends_my_digest_now(fake, make_app, seed, uow_factory):
    clock = Clock("2026-03-01 15:00")  # a Sunday afternoon
    app = without_job(await make_app(clock=clock))
    register_members(fake)
    (an,) = await _english(fake, 101)
    await add_deal(uow_factory, seed.rep, "Acme ERP", date(2026, 3, 3), created=clock.now)
    await an.send("/digest")
    assert "Acme ERP" in an.last_text() and "2 days left" in an.last_text()
    await tick(app)
    assert len(digests(fake, 101)) == 1  # only the one asked for
    assert clock.today() + timedelta(days=2) == date(2026, 3, 3)
