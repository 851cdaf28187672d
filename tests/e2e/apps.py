"""Starting and stopping the bot on the Bot API stand-in, as tests and `dealbot run` do."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram.ext import Application

from bot.app import build_application
from bot.config import Settings
from bot.fake_telegram import FakeTelegram, StubRequest
from bot.runtime.runner import serve


async def start_app(fake: FakeTelegram, settings: Settings, **overrides: Any) -> Application:
    """Build, initialise and start an Application that talks to ``fake``."""
    app = build_application(
        settings,
        request=StubRequest(fake),
        get_updates_request=StubRequest(fake),
        **overrides,
    )
    await app.initialize()
    # post_init/post_shutdown run only under run_polling/run_webhook: call them here.
    await app.post_init(app)
    await app.start()
    fake.attach(app)
    return app


async def stop_app(app: Application) -> None:
    """Stop (if running) and shut down an Application started by ``start_app``."""
    if app.running:
        await app.stop()
    await app.shutdown()
    await app.post_shutdown(app)


def serving(
    fake: FakeTelegram, settings: Settings, stop: asyncio.Event, **options: Any
) -> asyncio.Task[Any]:
    """Run ``dealbot run``'s loop against ``fake`` in a task, until ``stop`` is set."""
    return asyncio.create_task(
        serve(
            settings,
            stop=stop,
            request=StubRequest(fake),
            get_updates_request=StubRequest(fake),
            **options,
        )
    )
