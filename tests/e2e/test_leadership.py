"""A leader that loses its lock stops serving, so two instances never answer at once."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.fake_telegram import FakeTelegram
from storage.db import create_engine
from tests.e2e.apps import serving
from tests.e2e.conftest import TOKEN
from tests.e2e.live_bot import until

_HOLDERS = text(
    "SELECT l.pid FROM pg_locks l JOIN pg_database d ON l.database = d.oid "
    "WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()"
)


async def _take_the_lock_away(url: str) -> None:
    """End the leader's hold as a failover, a reaper or an admin would."""
    if make_url(url).get_backend_name() == "sqlite":
        database = Path(make_url(url).database or "")
        database.with_suffix(database.suffix + ".lock").unlink()
        return
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            pids = (await connection.scalars(_HOLDERS)).all()
            assert pids, "no session holds the leader lock"
            for pid in pids:
                await connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            await connection.commit()
    finally:
        await engine.dispose()


async def test_a_leader_whose_lock_is_taken_away_stops_and_the_next_one_serves(
    empty_database_url, settings, caplog
):
    url = empty_database_url
    settings = replace(settings, database_url=url)
    first_fake, second_fake = FakeTelegram(TOKEN), FakeTelegram(TOKEN)
    first_stop, second_stop = asyncio.Event(), asyncio.Event()

    def instance(fake: FakeTelegram, stop: asyncio.Event) -> asyncio.Task[None]:
        return serving(fake, settings, stop, poll_seconds=0.2, check_seconds=0.5)

    caplog.set_level(logging.WARNING)
    first = instance(first_fake, first_stop)
    await until(lambda: first_fake.calls_of("deleteWebhook"))
    second = instance(second_fake, second_stop)
    await until(lambda: "another dealbot instance" in caplog.text)
    await _take_the_lock_away(url)
    # The first stops on its own within seconds; the second takes over.
    assert await asyncio.wait_for(first, 10) is True
    assert "lost the leader lock" in caplog.text
    await until(lambda: second_fake.calls_of("deleteWebhook"), patience=10)
    second_stop.set()
    await second
