"""`dealbot console`: chat with the bot in a terminal, through the Bot API stand-in."""

from __future__ import annotations

import asyncio
import html
import re
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TextIO

from sqlalchemy import func, select

from bot.app import build_application
from bot.config import Settings
from bot.telegram_stub import FakeTelegram, SimUser, StubRequest
from storage import migrate
from storage.db import create_engine, create_session_factory
from storage.demo import fill_demo, is_empty
from storage.models import Role, User
from storage.teams import TeamSettings, add_user, create_team
from storage.uow import UnitOfWork

CONSOLE_TOKEN = "1000000:" + "c" * 35
_TAG = re.compile(r"<[^>]+>")


def as_plain_text(message_html: str) -> str:
    """What the terminal shows of an HTML message: tags dropped, entities decoded."""
    return html.unescape(_TAG.sub("", message_html))


async def _prepare(settings: Settings, name: str | None, demo: bool) -> int:
    """Migrate, fill the demo team if asked, and find (or make) the console's user."""
    engine = create_engine(settings.database_url)
    try:
        await migrate.upgrade(engine)
        sessions = create_session_factory(engine)

        def uow() -> UnitOfWork:
            return UnitOfWork(sessions)

        async with uow() as unit:
            empty = await is_empty(unit)
        if empty and demo:
            await fill_demo(uow, admin_name=name or "Admin")
        elif empty:
            # On an empty database the person at the console becomes the first admin.
            async with uow() as unit:
                team = await create_team(
                    unit,
                    TeamSettings(
                        name="My team",
                        currency=settings.currency,
                        timezone=settings.timezone,
                        language=settings.language,
                    ),
                )
            async with uow() as unit:
                await add_user(
                    unit,
                    team_id=team.id,
                    name=name or "Admin",
                    role=Role.ADMIN,
                    telegram_id=900_000,
                )
        async with uow() as unit:
            statement = select(User).where(User.active.is_(True))
            if name:
                statement = statement.where(func.lower(User.name) == name.lower())
            else:
                statement = statement.where(User.role == Role.ADMIN)
            user = (await unit.session.execute(statement.order_by(User.id).limit(1))).scalar()
        # Someone who is not a member gets a Telegram id nobody has: the bot refuses them.
        return user.telegram_id if user and user.telegram_id else 899_999
    finally:
        await engine.dispose()


async def run_console(
    settings: Settings,
    *,
    name: str | None = None,
    language: str | None = None,
    demo: bool = False,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> None:
    """Read lines from ``stdin`` and print the bot's answers, buttons numbered."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    telegram_id = await _prepare(settings, name, demo)
    fake = FakeTelegram(settings.token)
    app = build_application(
        settings, request=StubRequest(fake), get_updates_request=StubRequest(fake)
    )
    await app.initialize()
    await app.post_init(app)
    await app.start()
    fake.attach(app)
    person = fake.user(telegram_id, name or "Admin", language_code=language or settings.language)
    print(
        "dealbot console — type a message, a /command, or a button's number; /quit ends.",
        file=stdout,
    )
    try:
        if language:
            await _show(fake, person, stdout, lambda: person.send(f"/language {language}"))
        loop = asyncio.get_running_loop()
        while True:
            print("> ", end="", file=stdout, flush=True)
            line = await loop.run_in_executor(None, stdin.readline)
            if not line or line.strip() == "/quit":
                break
            text = line.strip()
            if not text:
                continue
            message_id, buttons = _latest_buttons(fake, person.chat_id)
            if text.isdigit() and 1 <= int(text) <= len(buttons):
                data = buttons[int(text) - 1]["callback_data"]
                await _show(
                    fake, person, stdout, lambda m=message_id, d=data: person.click_data(m, d)
                )
            else:
                await _show(fake, person, stdout, lambda text=text: person.send(text))
    finally:
        await app.stop()
        await app.shutdown()
        await app.post_shutdown(app)


def _latest_buttons(fake: FakeTelegram, chat_id: int) -> tuple[int, list[dict[str, Any]]]:
    """The newest message with callback buttons, and those buttons in reading order."""
    for stored in reversed(fake.stored_messages(chat_id)):
        markup = stored.data.get("reply_markup") or {}
        rows = markup.get("inline_keyboard")
        if rows:
            buttons = [button for row in rows for button in row if "callback_data" in button]
            return stored.data["message_id"], buttons
    return 0, []


async def _show(
    fake: FakeTelegram,
    person: SimUser,
    stdout: TextIO,
    action: Callable[[], Awaitable[object]],
) -> None:
    mark = person.mark()
    before = _latest_buttons(fake, person.chat_id)
    await action()
    for text in person.texts_since(mark):
        print(as_plain_text(text), file=stdout)
    after = _latest_buttons(fake, person.chat_id)
    messages = fake.stored_messages(person.chat_id)
    newest = messages[-1].data["message_id"] if messages else 0
    # An answer without buttons leaves the older ones usable, but repeating them under it
    # would read as if they belonged to it.
    _, buttons = after
    if buttons and (after != before or after[0] == newest):
        labels = (f"[{i}] {button['text']}" for i, button in enumerate(buttons, start=1))
        print("  ".join(labels), file=stdout)
    print(file=stdout, flush=True)
