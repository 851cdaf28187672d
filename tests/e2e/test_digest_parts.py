"""A digest in several parts: a failed part is retried alone, more than once that day."""

from datetime import date, timedelta

from sqlalchemy import select, update

from bot.runtime.scheduler import tick
from storage import outbox
from storage.models import OutboxEntry, OutboxStatus, Team, User
from tests.e2e.digest_helpers import Clock, add_deal, days, register_members, without_job


def _parts(fake, chat_id: int) -> list[str]:
    """The "Part n of m" marker of every delivered part of a digest, in order."""
    found = []
    for call in fake.calls_of("sendMessage", chat_id):
        text = call.params["text"]
        if call.error is None and text.startswith("<i>Part "):
            found.append(text[len("<i>") : text.index("</i>")])
    return found


async def _four_part_digest(fake, make_app, seed, uow_factory):
    clock = Clock("2026-03-04 09:00")  # a Wednesday, after the 08:00 digest time
    app = without_job(await make_app(clock=clock))
    register_members(fake)
    an = fake.user(101, "An")
    await an.send("/language en")
    async with uow_factory() as uow:
        # Reminders only on the close day: this test is about the digest alone.
        await uow.session.execute(update(Team).values(reminder_offsets="0"))
        # An alone gets a digest, so the injected failures all land on its parts.
        await uow.session.execute(update(User).where(User.id != seed.rep.id).values(digest_days=""))
        await uow.commit()
    created = clock.now - days(30)
    for number in range(80):
        await add_deal(
            uow_factory, seed.rep, f"Deal {number:02d}", date(2026, 3, 6), created=created
        )
    return app, clock


async def _entry(uow_factory, user_id: int) -> OutboxEntry:
    async with uow_factory() as uow:
        statement = select(OutboxEntry).where(
            OutboxEntry.kind == "digest", OutboxEntry.user_id == user_id
        )
        return (await uow.session.execute(statement)).scalar_one()


async def test_a_refused_last_part_is_sent_alone_on_the_retry(fake, make_app, seed, uow_factory):
    app, clock = await _four_part_digest(fake, make_app, seed, uow_factory)
    fake.fail_next("sendMessage", "server_error", after=3)
    await tick(app)
    clock.now += timedelta(minutes=6)
    await tick(app)
    assert _parts(fake, 101) == [f"Part {n} of 4" for n in (1, 2, 3, 4)]
    assert (await _entry(uow_factory, seed.rep.id)).status is OutboxStatus.SENT


async def test_a_second_failure_does_not_lose_the_days_digest(fake, make_app, seed, uow_factory):
    app, clock = await _four_part_digest(fake, make_app, seed, uow_factory)
    fake.fail_next("sendMessage", "server_error", after=3)
    await tick(app)
    for retry in range(2):
        clock.now += outbox.RETRY_AFTER * 2**retry + timedelta(minutes=1)
        fake.fail_next("sendMessage", "server_error")
        await tick(app)
    clock.now += outbox.RETRY_AFTER * 4 + timedelta(minutes=1)
    await tick(app)
    assert _parts(fake, 101) == [f"Part {n} of 4" for n in (1, 2, 3, 4)]
    assert (await _entry(uow_factory, seed.rep.id)).status is OutboxStatus.SENT
