"""`dealbot board`: serve the board on this machine and print a signed link to open it."""

from __future__ import annotations

import asyncio
import sys
from dataclasses import replace
from typing import TextIO
from urllib.parse import quote

from sqlalchemy import select

from bot.app import build_application
from bot.board.initdata import sign
from bot.board.server import BOARD_PATH, WebServer, build_web_app, deps_of
from bot.cli.console import CONSOLE_TOKEN, NotAMember, _prepare
from bot.config import Settings
from bot.fake_telegram import FakeTelegram, StubRequest
from bot.runtime.runner import stop_on_signals
from storage import clock
from storage.db import create_engine, create_session_factory
from storage.models import User
from storage.uow import UnitOfWork


async def _member(settings: Settings, telegram_id: int) -> tuple[str, str]:
    """The member's name and language, for the signed link."""
    engine = create_engine(settings.database_url)
    try:
        async with UnitOfWork(create_session_factory(engine)) as uow:
            statement = select(User.name, User.language).where(User.telegram_id == telegram_id)
            row = (await uow.session.execute(statement)).first()
    finally:
        await engine.dispose()
    return (row[0], row[1] or settings.language) if row else ("Guest", settings.language)


def signed_link(base: str, token: str, telegram_id: int, name: str, language: str) -> str:
    """The board's address with initData in the fragment, where Telegram puts it."""
    init_data = sign(
        token, user_id=telegram_id, first_name=name, language=language, now=clock.now()
    )
    return f"{base}{BOARD_PATH}/#tgWebAppData={quote(init_data, safe='')}"


async def run_board(
    settings: Settings,
    *,
    name: str | None = None,
    port: int = 8080,
    demo: bool = False,
    language: str | None = None,
    stop: asyncio.Event | None = None,
    stdout: TextIO | None = None,
) -> None:
    """Serve the board on 127.0.0.1:``port`` against the configured database until stopped.

    The bot inside talks to the Bot API stand-in, never to Telegram: trying the board
    out locally announces no win to a real group.
    """
    stdout = stdout or sys.stdout
    token = settings.token or CONSOLE_TOKEN
    settings = replace(settings, token=token, webhook_url=None, board_url=None)
    try:
        telegram_id = (await _prepare(settings, name, demo)).telegram_id
    except NotAMember as nobody:
        members = ", ".join(f"{member} ({role})" for member, role in nobody.members)
        print(f"No member is called “{nobody.name}”. --as takes a member's name: {members}.")
        raise SystemExit(2) from None
    member_name, member_language = await _member(settings, telegram_id)
    fake = FakeTelegram(token)
    app = build_application(
        settings, request=StubRequest(fake), get_updates_request=StubRequest(fake)
    )
    await app.initialize()
    await app.start()
    server = WebServer(build_web_app(deps_of(app, token)), "127.0.0.1", port)
    await server.start()
    try:
        link = signed_link(
            f"http://127.0.0.1:{server.port}",
            token,
            telegram_id,
            member_name,
            language or member_language,
        )
        print(f"The board for {member_name} (valid 24 hours):", file=stdout)
        print(link, file=stdout, flush=True)
        stop = stop or stop_on_signals()
        await stop.wait()
    finally:
        await server.stop()
        await app.stop()
        await app.shutdown()
        await app.post_shutdown(app)
