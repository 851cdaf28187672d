"""`dealbot console`: chat with the bot in a terminal, through the Bot API stand-in."""

from __future__ import annotations

import asyncio
import functools
import logging
import sys
import tempfile
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import func, select

from bot.app import build_application
from bot.config import Settings
from bot.fake_telegram import FakeTelegram, SimUser, StubRequest
from storage import idempotency, migrate
from storage.db import create_engine, create_session_factory
from storage.demo import fill_demo, is_empty
from storage.models import ProcessedKey, Role, User
from storage.teams import add_user, create_team
from storage.uow import UnitOfWork

CONSOLE_TOKEN = "1000000:" + "c" * 35
# Telegram ids for names that are not members: far above any the demo or tests use.
_STRANGER_IDS = 10**12
_DEMO_ADMIN = "Admin"


@dataclass(frozen=True)
class ConsolePerson:
    """Who the console chats as, and where its update and message ids start."""

    telegram_id: int
    first_update_id: int
    first_message_id: int


class NotAMember(Exception):
    """``--as`` named nobody in the team; ``members`` says who can be named."""

    def __init__(self, name: str, members: list[tuple[str, str]]) -> None:
        super().__init__(name)
        self.name = name
        self.members = members


def stranger_id(name: str) -> int:
    """A Telegram id of its own for each name that is no member's: the bot refuses them."""
    return _STRANGER_IDS + zlib.crc32(name.casefold().encode())


async def _highest_ids(unit: UnitOfWork, bot_id: int, chat_id: int) -> tuple[int, int]:
    """The highest update id and message id this bot's earlier runs left in the database.

    A restarted console starts counting again; ids already seen would be taken for
    repeats of earlier messages and silently ignored.
    """
    updates = f"{idempotency.UPDATE_PREFIX}{bot_id}:"
    messages = f"msg:{bot_id}:{chat_id}:"
    statement = select(ProcessedKey.key).where(
        ProcessedKey.key.startswith(updates) | ProcessedKey.key.startswith(messages)
    )
    highest = {updates: 0, messages: 0}
    for (key,) in await unit.session.execute(statement):
        prefix = updates if key.startswith(updates) else messages
        tail = key[len(prefix) :]
        if tail.isdigit():
            highest[prefix] = max(highest[prefix], int(tail))
    return highest[updates], highest[messages]


async def _prepare(settings: Settings, name: str | None, demo: bool) -> ConsolePerson:
    """Migrate, fill the demo team if asked, and find (or make) the console's user.

    Raises:
        NotAMember: ``name`` is nobody in a database that already has members.
    """
    engine = create_engine(settings.database_url)
    try:
        await migrate.upgrade(engine)
        sessions = create_session_factory(engine)

        def uow() -> UnitOfWork:
            return UnitOfWork(sessions)

        async with uow() as unit:
            empty = await is_empty(unit)
        if empty and demo:
            # The demo's admin keeps its own name: --as picks among the demo's people.
            await fill_demo(uow)
        elif empty:
            # On an empty database the person at the console becomes the first admin.
            async with uow() as unit:
                team = await create_team(
                    unit,
                    settings.first_team(),
                )
            async with uow() as unit:
                await add_user(
                    unit,
                    team_id=team.id,
                    name=name or _DEMO_ADMIN,
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
            if name and user is None:
                everyone = select(User).where(User.active.is_(True)).order_by(User.id)
                members = [
                    (member.name, member.role.value)
                    for member in (await unit.session.execute(everyone)).scalars()
                ]
                raise NotAMember(name, members)
            telegram_id = user.telegram_id if user and user.telegram_id else None
            telegram_id = telegram_id or stranger_id(name or _DEMO_ADMIN)
            bot_id = int(settings.token.split(":", 1)[0])
            last_update, last_message = await _highest_ids(unit, bot_id, telegram_id)
        return ConsolePerson(telegram_id, max(last_update + 1, 100), last_message + 1)
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
    files_dir: Path | None = None,
) -> int:
    """Read lines from ``stdin`` and print the bot's answers, buttons numbered.

    Files the bot sends are written to ``files_dir`` (a temporary folder by default)
    and log lines to a file there, so neither is mixed into the conversation.

    Returns:
        The exit status: 0, or 2 when ``name`` is not a member.
    """
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    files_dir = files_dir or Path(tempfile.gettempdir()) / "dealbot-console"
    try:
        person_ids = await _prepare(settings, name, demo)
    except NotAMember as nobody:
        members = ", ".join(f"{member} ({role})" for member, role in nobody.members)
        print(
            f"No member is called “{nobody.name}”. --as takes a member's name: {members}.",
            file=stdout,
        )
        return 2
    files_dir.mkdir(parents=True, exist_ok=True)
    log_file = logging.FileHandler(files_dir / "console.log", encoding="utf-8")
    log_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(log_file)
    fake = FakeTelegram(settings.token, first_update_id=person_ids.first_update_id)
    app = build_application(
        settings, request=StubRequest(fake), get_updates_request=StubRequest(fake)
    )
    await app.initialize()
    await app.post_init(app)
    await app.start()
    fake.attach(app)
    person = fake.user(
        person_ids.telegram_id, name or _DEMO_ADMIN, language_code=language or settings.language
    )
    chat = fake.chats[person.chat_id]
    chat.next_message_id = max(chat.next_message_id, person_ids.first_message_id)
    print(
        "dealbot console — type a message, a /command, or a button's number; /quit ends.\n"
        f"Log lines and files the bot sends go to {files_dir}.",
        file=stdout,
    )
    show = functools.partial(_show, fake, person, stdout, files_dir)
    try:
        if language:
            await show(lambda: person.send(f"/language {language}"))
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
                await show(lambda m=message_id, d=data: person.click_data(m, d))
            else:
                await show(lambda text=text: person.send(text))
    finally:
        await app.stop()
        await app.shutdown()
        await app.post_shutdown(app)
        logging.getLogger().removeHandler(log_file)
        log_file.close()
    return 0


def _latest_buttons(fake: FakeTelegram, chat_id: int) -> tuple[int, list[dict[str, Any]]]:
    """The newest message with callback buttons, and those buttons in reading order."""
    for stored in reversed(fake.stored_messages(chat_id)):
        markup = stored.data.get("reply_markup") or {}
        rows = markup.get("inline_keyboard")
        if rows:
            buttons = [button for row in rows for button in row if "callback_data" in button]
            return stored.data["message_id"], buttons
    return 0, []


def _shown(fake: FakeTelegram, data: dict[str, Any], files_dir: Path) -> str:
    """A message as the terminal shows it: its text as sent, and where its file went."""
    text = str(data.get("text", data.get("caption", "")))
    media = data.get("document") or (data.get("photo") or [None])[-1]
    if not media:
        return text
    stored = fake.files.get(media["file_id"])
    if stored is None:
        return text
    path = files_dir / (stored.file_name or stored.file_path.replace("/", "_"))
    path.write_bytes(stored.content)
    kind = "photo" if "photo" in data else "file"
    return f"{text}\n[{kind}: {path}]".lstrip("\n")


async def _show(
    fake: FakeTelegram,
    person: SimUser,
    stdout: TextIO,
    files_dir: Path,
    action: Callable[[], Awaitable[object]],
) -> None:
    mark = person.mark()
    before = _latest_buttons(fake, person.chat_id)
    await action()
    changed = [s for s in fake.stored_messages(person.chat_id) if s.seq > mark]
    for stored in sorted(changed, key=lambda s: s.seq):
        print(_shown(fake, stored.data, files_dir), file=stdout)
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
