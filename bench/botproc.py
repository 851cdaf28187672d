"""The dealbot process under test (the echo floor is bench/echo_bot.py, a script of its own).

With ``DEALBOT_BENCH_PROFILE=<file>`` the process profiles itself while it runs, and writes
the profile there when stopped: pyinstrument's text when it is installed, else cProfile's.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
from datetime import timedelta

from bench.echo_bot import TOKEN
from bot.config import Settings
from bot.runner import serve


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--api", required=True)
    parser.add_argument("--db", default="")
    parser.add_argument("--mode", choices=["webhook", "polling"], default="webhook")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--secret", default="bench-secret")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    settings = Settings(
        token=TOKEN,
        database_url=args.db,
        api_url=args.api,
        webhook_url=f"http://127.0.0.1:{args.port}/hook" if args.mode == "webhook" else None,
        webhook_secret=args.secret if args.mode == "webhook" else None,
        listen="127.0.0.1",
        port=args.port,
        draft_ttl=timedelta(hours=24),
    )
    await serve(settings, stop=stop)


def _profiled(path: str) -> None:
    try:
        from pyinstrument import Profiler
    except ImportError:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.runcall(asyncio.run, main())
        with open(path, "w") as out:
            pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(40)
        return
    profiler = Profiler(async_mode="disabled", interval=0.0005)
    profiler.start()
    try:
        asyncio.run(main())
    finally:
        profiler.stop()
        with open(path, "w") as out:
            out.write(profiler.output_text(unicode=False, show_all=False))


if __name__ == "__main__":
    if profile_path := os.environ.get("DEALBOT_BENCH_PROFILE"):
        _profiled(profile_path)
    else:
        asyncio.run(main())
