"""The framework floor: a bare python-telegram-bot echo, with PTB's defaults.

Run as a script (``python bench/echo_bot.py``), it imports nothing but ``telegram``, so
its CPU and memory are PTB's alone: no ``concurrent_updates``, no project modules.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

TOKEN = "123456:" + "B" * 35


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(update.effective_message.text or "")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--api", required=True)
    parser.add_argument("--mode", choices=["webhook", "polling"], default="webhook")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--secret", default="bench-secret")
    args, _ = parser.parse_known_args()
    logging.basicConfig(level=logging.WARNING)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(f"{args.api}/bot")
        .base_file_url(f"{args.api}/file/bot")
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
            await app.updater.start_polling()
        await stop.wait()
        await app.updater.stop()
        await app.stop()


if __name__ == "__main__":
    asyncio.run(main())
