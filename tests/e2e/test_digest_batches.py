"""Digests read a batch at a time: a batch that cannot be read is sent on the retry."""

from __future__ import annotations

from datetime import timedelta

from bot.runtime import scheduler
from bot.runtime.scheduler import Outcome, tick
from storage import outbox
from tests.e2e.digest_helpers import SEEDED, Clock, register_members, without_job


def _delivered(fake, telegram_id: int) -> int:
    return sum(1 for call in fake.calls_of("sendMessage", telegram_id) if call.error is None)


async def test_members_of_a_batch_that_cannot_be_read_get_their_digest_on_the_retry(
    fake, make_app, seed, monkeypatch
):
    clock = Clock("2026-03-02 09:00")  # a Monday, after everyone's digest time
    register_members(fake)
    app = without_job(await make_app(clock=clock))

    async def unreadable(*args, **kwargs):
        raise ConnectionError("the database went away mid-round")

    with monkeypatch.context() as patch:
        patch.setattr(scheduler, "load_digests", unreadable)
        report = await tick(app)
    assert report.count("digest", Outcome.LEFT) == len(SEEDED)
    assert all(_delivered(fake, telegram_id) == 0 for telegram_id, _ in SEEDED)
    clock.now += outbox.RETRY_AFTER + timedelta(minutes=1)
    report = await tick(app)
    assert report.count("digest", Outcome.SENT) == len(SEEDED)
    assert all(_delivered(fake, telegram_id) == 1 for telegram_id, _ in SEEDED)
