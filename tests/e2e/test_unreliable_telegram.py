"""A Bot API that refuses with 429s and 502s: nothing is lost, nothing is asked twice."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from sqlalchemy import func, select

from bot.fake_telegram import FakeTelegram, StubRequest
from bot.runtime.runner import serve
from storage.models import Opportunity
from tests.e2e.conftest import TOKEN
from tests.e2e.deal_helpers import NOW
from tests.e2e.live_bot import until

MEMBERS = [1, 100, 101, 102, 200]  # the seed's members, reps and managers alike


def _saved(fake: FakeTelegram, chat_id: int) -> int:
    return sum(
        "Deal saved." in str(call.params.get("text", ""))
        for call in fake.calls_of("sendMessage", chat_id)
        if call.error is None
    )


async def test_replies_refused_with_429_and_502_still_arrive_and_nothing_is_saved_twice(
    fake, now_app, seed, uow_factory
):
    fake.every_nth("sendMessage", 5, "retry_after", retry_after=1)
    fake.every_nth("sendMessage", 7, "server_error")

    async def rep_writes(telegram_id: int) -> None:
        rep = fake.user(telegram_id, f"Rep {telegram_id}", language_code="en")
        for number in range(20):
            await rep.send(f"/new Deal {telegram_id}-{number} 5tr 31/12/2030")

    await asyncio.gather(*(rep_writes(telegram_id) for telegram_id in MEMBERS))
    async with uow_factory() as uow:
        deals = await uow.session.scalar(select(func.count()).select_from(Opportunity))
    assert deals == 100
    assert [_saved(fake, chat) for chat in MEMBERS] == [20] * 5
    refused = [call for call in fake.calls_of("sendMessage") if call.error is not None]
    assert len(refused) > 20  # the faults really happened
    assert not any("send your last answer again" in str(call.params) for call in fake.calls)


async def test_a_reply_that_fails_after_the_deal_was_saved_does_not_ask_to_send_it_again(
    fake, make_app, seed, uow_factory
):
    # No retries: the reply's one failure is final.
    await make_app(rate_limiter=False, clock=lambda: NOW)
    rep = fake.user(101, "An", language_code="en")
    fake.fail_next("sendMessage", "server_error")
    await rep.send("/new Acme ERP 5tr 31/12/2030")
    async with uow_factory() as uow:
        deals = await uow.session.scalar(select(func.count()).select_from(Opportunity))
    assert deals == 1
    assert "was saved" in rep.last_text()
    assert "send it again" in rep.last_text() and "no need" in rep.last_text()


async def test_one_502_on_set_my_commands_does_not_end_the_start(
    backend, tmp_path, request, settings
):
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'start.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_database")(migrated=False)
    settings = replace(settings, database_url=url)
    fake = FakeTelegram(TOKEN)
    fake.fail_next("setMyCommands", "server_error")
    stop = asyncio.Event()
    task = asyncio.create_task(
        serve(settings, stop=stop, request=StubRequest(fake), get_updates_request=StubRequest(fake))
    )
    await until(lambda: fake.calls_of("deleteWebhook") or task.done(), patience=30)
    assert not task.done(), task.exception()
    assert len([c for c in fake.calls_of("setMyCommands") if c.error is None]) == 3
    stop.set()
    await task
