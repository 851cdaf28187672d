"""One bot process under test: dealbot, or a bare PTB echo bot as the framework floor."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from datetime import timedelta

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.config import Settings
from bot.runner import serve

TOKEN = "123456:" + "B" * 35


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(update.effective_message.text or "")


async def run_echo(args: argparse.Namespace, stop: asyncio.Event) -> None:
    """The framework floor: the same PTB stack, answering every text with itself."""
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(f"{args.api}/bot")
        .base_file_url(f"{args.api}/file/bot")
        .concurrent_updates(True)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, _echo))
    async with app:
        await app.start()
        if args.mode == "webhook":
            await app.updater.start_webhook(
                listen="127.0.0.1",
                port=args.port,
                url_path="hook",
                webhook_url=f"http://127.0.0.1:{args.port}/hook",
                secret_token=args.secret,
            )
        else:
            await app.updater.start_polling(poll_interval=0)
        await stop.wait()
        await app.updater.stop()
        await app.stop()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["dealbot", "echo"])
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
    if args.kind == "echo":
        await run_echo(args, stop)
        return
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
