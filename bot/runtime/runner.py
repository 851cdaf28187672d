"""Running the bot for real: migrations, the leader lock, polling or a webhook."""

from __future__ import annotations

import asyncio
import logging
import signal

from telegram.request import BaseRequest

from bot.app import build_application
from bot.board.server import WebServer, start_web_server
from bot.config import Settings
from bot.runtime.intake import DurableQueue, Intake, poll
from storage import migrate
from storage.answered_log import AnsweredLog
from storage.db import create_engine
from storage.leader import LeaderLock

logger = logging.getLogger(__name__)


class RedactToken(logging.Filter):
    """Replace the bot token wherever it would appear in a log line."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self._token:
            message = record.getMessage()
            if self._token in message:
                record.msg = message.replace(self._token, "<token>")
                record.args = None
        return True


def configure_logging(settings: Settings, level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # httpx logs every request URL, and Bot API URLs carry the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    redact = RedactToken(settings.token)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)


async def serve(
    settings: Settings,
    *,
    stop: asyncio.Event | None = None,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    poll_seconds: float = 5.0,
    check_seconds: float = 3.0,
) -> bool:
    """Migrate, become the leader, then poll (or listen for webhooks) until ``stop`` is set.

    The leader checks its lock every ``check_seconds`` and stops serving once it is lost,
    so that a second instance that took over is not joined by a stale one.

    Returns:
        True if serving stopped because the leader lock was lost.
    """
    stop = stop or stop_on_signals()
    engine = create_engine(settings.database_url)
    lock = LeaderLock(engine)
    try:
        await migrate.upgrade(engine)
        await lock.acquire(
            on_wait=lambda: logger.warning(
                "another dealbot instance is running on this database; waiting for it to stop"
            ),
            poll_seconds=poll_seconds,
        )
        logger.info("this instance is the leader")
        return await _run_application(
            settings, stop, request, get_updates_request, lock, check_seconds
        )
    finally:
        await lock.release()
        await engine.dispose()


async def _run_application(
    settings: Settings,
    stop: asyncio.Event,
    request: BaseRequest | None,
    get_updates_request: BaseRequest | None,
    lock: LeaderLock,
    check_seconds: float,
) -> bool:
    app = build_application(settings, request=request, get_updates_request=get_updates_request)
    intake = Intake(app, app.bot_data.sessions, AnsweredLog.beside(settings.database_url))
    app.bot_data.recovered_keys = intake.recovered
    web_server: WebServer | None = None
    tasks: list[asyncio.Task[None]] = []
    try:
        await app.initialize()
        await app.post_init(app)
        await app.start()
        await intake.start()
        # The board's web server also receives the webhook, when one is set: each update
        # is stored in the inbox before the server answers 200.
        web_server = await start_web_server(app, settings, queue=DurableQueue(intake))
        if not settings.webhook_url:
            tasks.append(asyncio.create_task(poll(app, intake), name="intake:poll"))
            logger.info("polling for updates")

        watch = asyncio.create_task(lock.watch(stop.set, every=check_seconds))
        tasks.append(watch)
        await stop.wait()
        return watch.done() and not watch.cancelled()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if web_server is not None:
            await web_server.stop()
        # What is queued stays in the inbox for the next start (or the instance that
        # took over the lock): stopping waits only for the updates being handled.
        intake.stop_taking()
        if app.running:
            await app.stop()
        await intake.close()
        await app.shutdown()
        await app.post_shutdown(app)


def stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop
