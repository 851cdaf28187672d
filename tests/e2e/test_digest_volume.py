"""Digests at volume: a thousand members under 429s within flood limits, a 300-deal digest."""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from datetime import time as clock_time
from itertools import pairwise

from sqlalchemy import func, insert, select

from bot.fake_telegram.faults import FloodLimits, busiest_second
from bot.runtime.scheduler import tick
from storage.models import Opportunity, OutboxEntry, OutboxStatus, Role, Stage, User
from tests.e2e.digest_helpers import Clock, days, register_members, without_job

MEMBERS = 1_000
FIRST_ID = 500_000


async def _bulk_members(uow_factory, team_id: int) -> list[int]:
    """A thousand English-speaking reps, each with one deal due in 3 days and one overdue."""
    async with uow_factory() as uow:
        await uow.session.execute(
            insert(User),
            [
                {
                    "team_id": team_id,
                    "name": f"Rep {number}",
                    "role": Role.REP,
                    "telegram_id": FIRST_ID + number,
                    "language": "en",
                    "digest_time": clock_time(8, 0),
                }
                for number in range(MEMBERS)
            ],
        )
        await uow.commit()
        ids = list(
            (
                await uow.session.execute(select(User.id).where(User.telegram_id >= FIRST_ID))
            ).scalars()
        )
    return ids


async def _bulk_deals(uow_factory, team_id: int, owners: dict[int, int], clock: Clock) -> None:
    """Deals inserted as they stand; ``owners`` maps owner id to how many each gets."""
    today = clock.today()
    async with uow_factory() as uow:
        stage = (
            await uow.session.execute(select(Stage).where(Stage.team_id == team_id).limit(1))
        ).scalar_one()
        rows = []
        for owner_id, count in owners.items():
            for number in range(count):
                # Half overdue by 4+ days (past the nudge), half closing in 2 to 6 days, all
                # created today (after their 7-day reminder day): due, but nothing to remind.
                if number % 2:
                    close = today - days(4 + number // 2)
                else:
                    close = today + days(2 + number % 5)
                rows.append(
                    {
                        "team_id": team_id,
                        "owner_id": owner_id,
                        "name": f"Deal {owner_id}-{number} <Co & Sons>",
                        "search_name": f"deal {owner_id}-{number}",
                        "amount": 1_000_000 * (number + 1),
                        "currency": "VND",
                        "close_date": close,
                        "stage_id": stage.id,
                        "probability": stage.probability,
                        "created_at": clock.now,
                        "updated_at": clock.now,
                        "stage_changed_at": clock.now,
                    }
                )
        await uow.session.execute(insert(Opportunity), rows)
        await uow.commit()


async def test_a_digest_round_for_a_thousand_members_with_429s_delivers_each_once_within_limits(
    fake, make_app, seed, uow_factory
):
    clock = Clock("2026-03-02 08:00")
    register_members(fake)
    ids = await _bulk_members(uow_factory, seed.team.id)
    await _bulk_deals(uow_factory, seed.team.id, dict.fromkeys(ids, 2), clock)
    for number in range(MEMBERS):
        fake.add_chat({"id": FIRST_ID + number, "type": "private", "first_name": f"Rep {number}"})
    app = without_job(await make_app(clock=clock))
    meter = fake.check_flood_limits(FloodLimits(per_second=30, per_chat_per_second=1))
    fake.every_nth("sendMessage", 5, "retry_after", retry_after=1)
    started = time.monotonic()
    report = await tick(app)
    elapsed = time.monotonic() - started

    calls = [c for c in fake.calls_of("sendMessage") if c.chat_id >= FIRST_ID]
    delivered = [c for c in calls if c.error is None]
    per_chat = Counter(c.chat_id for c in delivered)
    assert len(per_chat) == MEMBERS and set(per_chat.values()) == {1}
    assert all("Your deals" in c.params["text"] for c in delivered)
    refused = [c for c in calls if c.error is not None]
    assert len(refused) >= MEMBERS // 5 - 5  # one in five answered 429, and each retried
    assert meter.violations == []
    assert busiest_second([c.at for c in fake.calls_of("sendMessage") if c.error is None]) <= 30
    chat_times = defaultdict(list)
    for call in fake.calls_of("sendMessage"):
        if call.error is None:
            chat_times[call.chat_id].append(call.at)
    for times in chat_times.values():
        assert all(b - a >= 1.0 for a, b in pairwise(times))
    async with uow_factory() as uow:
        sent = await uow.session.scalar(
            select(func.count()).where(OutboxEntry.status == OutboxStatus.SENT)
        )
    assert sent == MEMBERS + 6  # the seeded members got theirs too
    assert report.count("digest", "sent") == MEMBERS + 6
    print(
        f"\n{MEMBERS} digests: {elapsed:.1f} s, {len(refused)} answered 429, "
        f"busiest second {busiest_second([c.at for c in delivered])}"
    )
    # A second round finds nothing left to send.
    before = len(fake.calls_of("sendMessage"))
    await tick(app)
    assert len(fake.calls_of("sendMessage")) == before


async def test_a_digest_of_300_due_deals_arrives_in_messages_of_at_most_4096_characters(
    fake, make_app, seed, uow_factory
):
    clock = Clock("2026-03-02 08:00")
    register_members(fake)
    app = without_job(await make_app(clock=clock))
    await fake.user(101, "An").send("/language en")
    await _bulk_deals(uow_factory, seed.team.id, {seed.rep.id: 300}, clock)
    async with uow_factory() as uow:
        expected = set(
            (
                await uow.session.execute(
                    select(Opportunity.id).where(Opportunity.owner_id == seed.rep.id)
                )
            ).scalars()
        )
    already = len(fake.calls_of("sendMessage", 101))
    await tick(app)
    parts = [c.params for c in fake.calls_of("sendMessage", 101)[already:] if c.error is None]
    assert len(parts) > 1
    assert all(len(part["text"]) <= 4096 for part in parts)
    assert "Your deals" in parts[0]["text"] and "Total due" in parts[-1]["text"]
    shown = [int(found) for part in parts for found in re.findall(r"· #(\d+)\n", part["text"])]
    assert sorted(shown) == sorted(expected)  # every deal, once
    buttons = [len(part.get("reply_markup", {}).get("inline_keyboard", [])) for part in parts]
    assert sum(buttons) == 300 and max(buttons) <= 25
