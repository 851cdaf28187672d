"""End-to-end fixtures: the real Application talking to the Bot API stand-in."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from telegram.ext import Application

from bot.config import Settings
from bot.fake_telegram import FakeTelegram
from bot.i18n import Translator, translator
from tests.e2e.apps import start_app, stop_app
from tests.e2e.deal_helpers import NOW
from tests.e2e.people import rep_speaking

TOKEN = "123456:" + "T" * 35


@pytest.fixture
def fake() -> FakeTelegram:
    return FakeTelegram(TOKEN)


@pytest.fixture
def settings(database_url: str, engine) -> Settings:  # engine: the schema is ready
    return Settings(
        token=TOKEN,
        database_url=database_url,
        timezone="Asia/Ho_Chi_Minh",
        language="vi",
        currency="VND",
        draft_ttl=timedelta(hours=24),
    )


@pytest.fixture
async def make_app(
    fake: FakeTelegram, settings: Settings
) -> AsyncIterator[Callable[..., Awaitable[Application]]]:
    """Start Applications on the stand-in; the latest is the one users talk to."""
    running: list[Application] = []

    async def make(**overrides) -> Application:
        app = await start_app(fake, overrides.pop("settings", settings), **overrides)
        running.append(app)
        return app

    yield make
    for app in running:
        await stop_app(app)


@pytest.fixture
async def app(make_app) -> Application:
    return await make_app()


@pytest.fixture
async def now_app(make_app) -> Application:
    """The Application with its clock stopped at ``NOW`` (Monday 23 November 2026, 09:00)."""
    return await make_app(clock=lambda: NOW)


@pytest.fixture
def language() -> str:
    """The language members speak; a test parametrizes ``language`` to change it."""
    return "en"


@pytest.fixture
def t(language: str) -> Translator:
    """The translator a test reads the bot's labels with, in the members' language."""
    return translator(language)


@pytest.fixture
async def rep(fake: FakeTelegram, now_app: Application, seed, language: str) -> Any:
    """The rep An, known to the team (``seed``), speaking ``language`` to ``now_app``."""
    return await rep_speaking(fake, language)
