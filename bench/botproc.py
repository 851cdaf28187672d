"""The dealbot process under test (the echo floor is bench/echo_bot.py, a script of its own)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from datetime import timedelta

from bench.echo_bot import TOKEN
from bot.config import Settings
from bot.runtime.runner import serve


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


if __name__ == "__main__":
    asyncio.run(main())
