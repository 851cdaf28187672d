"""What the Bot API stand-in keeps: calls, chats, messages, files, button presses."""

from __future__ import annotations

import asyncio
import itertools
import json
import mimetypes
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any


def clone(value: Any) -> Any:
    """Deep-copy JSON-shaped data (several times faster than copy.deepcopy)."""
    return json.loads(json.dumps(value))


@dataclass(frozen=True)
class Call:
    """One request the bot made: method, parameters as Telegram read them, when, which chat."""

    method: str
    params: dict[str, Any]
    at: float  # time.monotonic() when the request arrived
    chat_id: int | None
    error: str | None = None  # the refusal's description; None when Telegram said ok


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str | None
    content: bytes
    mime_type: str | None


@dataclass
class StoredFile:
    """A file Telegram holds, reachable by file_id and downloadable by file_path."""

    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    file_name: str | None = None
    mime_type: str | None = None


@dataclass
class StoredMessage:
    """A message as it currently is in a chat (edits applied)."""

    data: dict[str, Any]
    from_bot: bool
    seq: int  # the fake's change counter when it was last sent or edited
    keyboard: dict[str, Any] | None = None  # reply keyboards are not echoed back by Telegram
    deleted: bool = False


@dataclass
class ChatState:
    """A chat, its messages by id and whether its user blocked the bot."""

    info: dict[str, Any]
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    next_message_id: int = 1
    blocked: bool = False


@dataclass
class CallbackQueryState:
    """A button press waiting for answerCallbackQuery."""

    chat_id: int
    answer: dict[str, Any] | None = None


class Signal:
    """Wakes every waiter once; a fresh event per round keeps it free of any one loop."""

    def __init__(self) -> None:
        self._event: asyncio.Event | None = None

    def notify(self) -> None:
        """Wake everyone waiting now."""
        if self._event is not None:
            self._event.set()
            self._event = None

    async def wait(self, seconds: float) -> None:
        """Return when notified or after ``seconds``, whichever comes first."""
        if self._event is None:
            self._event = asyncio.Event()
        event = self._event
        try:
            async with asyncio.timeout(seconds):
                await event.wait()
        except TimeoutError:
            pass


class FileStore:
    """Files Telegram holds: by file_id for getFile, by file_path for downloads."""

    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._numbers = itertools.count(1)

    def store(
        self,
        content: bytes,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        kind: str = "documents",
    ) -> StoredFile:
        """Keep a file as Telegram would after an upload, and return its record."""
        number = next(self._numbers)
        suffix = PurePosixPath(file_name).suffix if file_name else ""
        if not suffix and mime_type:
            suffix = mimetypes.guess_extension(mime_type) or ""
        stored = StoredFile(
            file_id=f"BQACAgIAAxkBAAI{number:08d}",
            file_unique_id=f"AgAD{number:06d}",
            file_path=f"{kind}/file_{number}{suffix}",
            content=content,
            file_name=file_name,
            mime_type=mime_type,
        )
        self._by_id[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def get(self, file_id: str) -> StoredFile | None:
        """The file with this file_id, if Telegram holds it."""
        return self._by_id.get(file_id)

    def by_path(self, file_path: str) -> StoredFile | None:
        """The file served at this file_path, if any."""
        return self._by_path.get(file_path)
