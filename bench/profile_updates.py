"""Profile the bot's handling of one kind of update, in-process against the stand-in.

``python -m bench.profile_updates [quick|mydeals|card|guided ...] [--users 10] [--rounds 5]``
seeds a database, starts the real Application on the in-process stand-in, warms it up with
one round, then plays ``rounds`` more for every user at once (so that updates interleave as
under load) inside cProfile, and prints the functions with the most time of their own (ten,
or ``TOP``; ``SORT=cumtime`` orders by time with callees, which for coroutines counts their
waits too); ``--sql`` adds the SQL statements an update runs. With ``--pyinstrument`` (if
installed), pyinstrument's call tree instead. Both see the event loop's thread only:
SQLite's own work happens in aiosqlite's thread and is not in them.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import event

from bench.chat_scenarios import deal_card, guided_deal, my_deals, quick_create
from bench.load import Step
from bench.seed import seed_database
from bot.app import build_application
from bot.config import Settings
from bot.fake_telegram import FakeTelegram, StubRequest

TOKEN = "123456:" + "P" * 35
DEALS_PER_USER = 20
SCRIPTS = {
    "quick": quick_create,
    "mydeals": my_deals,
    "card": deal_card(DEALS_PER_USER),
    "guided": guided_deal,
}


async def _play(users, script, first_round: int, rounds: int) -> int:  # type: ignore[no-untyped-def]
    count = 0

    async def person(index: int, user) -> None:  # type: ignore[no-untyped-def]
        nonlocal count
        for number in range(first_round, first_round + rounds):
            steps: list[Step] = script(index, number)
            for action, argument in steps:
                if action == "send":
                    await user.send(argument)
                else:
                    await user.click(argument)
                count += 1

    await asyncio.gather(*(person(i, user) for i, user in enumerate(users)))
    return count


async def profile(name: str, users: int, rounds: int, tree: bool, verbose: bool) -> str:
    directory = Path(tempfile.mkdtemp(prefix="dealbot-profile-"))
    url, ids = await seed_database(directory, users, DEALS_PER_USER, name=name)
    fake = FakeTelegram(TOKEN)
    settings = Settings(token=TOKEN, database_url=url, draft_ttl=timedelta(hours=24))
    app = build_application(
        settings, request=StubRequest(fake), get_updates_request=StubRequest(fake)
    )
    await app.initialize()
    await app.start()
    fake.attach(app)
    statements: Counter[str] = Counter()

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements[" ".join(statement.split())[:110]] += 1

    event.listen(app.bot_data.engine.sync_engine, "before_cursor_execute", count)
    people = [fake.user(telegram_id, f"U{telegram_id}") for telegram_id in ids]
    script = SCRIPTS[name]
    try:
        await _play(people, script, 0, 1)  # statement caches and first-use imports
        statements.clear()
        if tree:
            from pyinstrument import Profiler

            profiler = Profiler(async_mode="disabled", interval=0.0002)
            profiler.start()
            began = time.process_time()
            count = await _play(people, script, 1, rounds)
            spent = time.process_time() - began
            profiler.stop()
            body = profiler.output_text(unicode=False, show_all=False)
        else:
            # The loop thread's CPU, not wall time: waiting in epoll is not cost.
            profiler = cProfile.Profile(time.thread_time)
            began = time.process_time()
            profiler.enable()
            count = await _play(people, script, 1, rounds)
            profiler.disable()
            spent = time.process_time() - began
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out).sort_stats(os.environ.get("SORT", "tottime"))
            stats.print_stats(int(os.environ.get("TOP", "10")))
            body = out.getvalue()
    finally:
        await app.stop()
        await app.shutdown()
        await app.bot_data.engine.dispose()
    per_update = spent / count * 1000
    total = sum(statements.values())
    top = "\n".join(
        f"  {n / count:5.2f}  {text}" for text, n in statements.most_common((verbose and 40) or 0)
    )
    return (
        f"== {name}: {count} updates, {per_update:.2f} ms CPU each (profiled), "
        f"{total / count:.1f} SQL statements each\n{top}\n{body}"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_updates")
    parser.add_argument("names", nargs="*", default=list(SCRIPTS), choices=list(SCRIPTS))
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pyinstrument", action="store_true", help="a call tree instead")
    parser.add_argument("--sql", action="store_true", help="list the SQL statements too")
    arguments = parser.parse_args()
    for name in arguments.names:
        print(
            await profile(
                name, arguments.users, arguments.rounds, arguments.pyinstrument, arguments.sql
            )
        )


if __name__ == "__main__":
    asyncio.run(main())
