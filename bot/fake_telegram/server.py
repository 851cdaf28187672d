"""An in-memory Telegram Bot API: chats, messages, files, updates and every call recorded."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bot.fake_telegram import answering
from bot.fake_telegram.errors import ApiError, bad_request, blocked_by_user
from bot.fake_telegram.faults import EveryNth, Fault, FaultKind, FaultPlan, FloodLimits, FloodMeter
from bot.fake_telegram.records import (
    Call,
    CallbackQueryState,
    ChatState,
    FileStore,
    Signal,
    StoredMessage,
    UploadedFile,
    clone,
)
from bot.fake_telegram.updates import UpdateQueue
from storage import clock

if TYPE_CHECKING:
    from telegram.ext import Application

    from bot.fake_telegram.sim import SimUser

# Calls that count as the bot answering a chat, for wait_for_reply.
REPLY_METHODS = frozenset(
    (
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "editMessageText",
        "editMessageReplyMarkup",
        "editMessageCaption",
        "answerCallbackQuery",
    )
)
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


class FakeTelegram:
    """The Bot API as one bot sees it, in memory; answer requests with :meth:`handle`."""

    def __init__(
        self,
        token: str = "123:ABC",
        *,
        username: str = "dealbot_test_bot",
        first_name: str = "Dealbot",
        latency: float = 0.0,
        first_update_id: int = 100,
    ) -> None:
        self.token = token
        self.bot_user: dict[str, Any] = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": first_name,
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.latency = latency
        self.calls: list[Call] = []
        self.chats: dict[int, ChatState] = {}
        self.files = FileStore()
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.webhook: dict[str, Any] | None = None
        # Menu buttons by chat id; None holds the default one for every private chat.
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.callback_queries: dict[str, CallbackQueryState] = {}
        self.faults = FaultPlan()
        self.flood: FloodMeter | None = None
        self.application: Application[Any, Any, Any, Any, Any, Any] | None = None
        self._users: dict[int, SimUser] = {}
        self.updates = UpdateQueue(first_update_id)
        self._query_ids = itertools.count(1)
        self._seq = 0
        self._reply_marks: dict[int, int] = {}
        self._activity_signal = Signal()

    # --- people and chats -------------------------------------------------------------

    def user(
        self,
        telegram_id: int,
        first_name: str,
        language_code: str = "en",
        username: str | None = None,
        *,
        last_name: str | None = None,
        app: Application[Any, Any, Any, Any, Any, Any] | None = None,
    ) -> SimUser:
        """Return the simulated person with this id (created, with a private chat, once)."""
        from bot.fake_telegram.sim import SimUser  # sim imports this module

        if telegram_id in self._users:
            return self._users[telegram_id]
        person: dict[str, Any] = {"id": telegram_id, "is_bot": False, "first_name": first_name}
        chat: dict[str, Any] = {"id": telegram_id, "type": "private", "first_name": first_name}
        for key, value in (("last_name", last_name), ("username", username)):
            if value is not None:
                person[key] = chat[key] = value
        person["language_code"] = language_code
        self.add_chat(chat)
        self._users[telegram_id] = SimUser(self, person, app=app)
        return self._users[telegram_id]

    def attach(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Make ``app`` the Application that simulated users talk to by default."""
        self.application = app

    def add_chat(self, chat: Mapping[str, Any]) -> ChatState:
        """Register a chat (a Telegram Chat object) the bot can write to."""
        return self.chats.setdefault(int(chat["id"]), ChatState(dict(chat)))

    def block(self, chat_id: int, blocked: bool = True) -> None:
        """Have the chat's user block (or unblock) the bot: sends then answer 403."""
        self.chats[chat_id].blocked = blocked

    def chat(self, chat_id: Any) -> ChatState:
        """Return a chat the bot may write to, or raise the refusal Telegram answers."""
        state = self.chats.get(chat_id) if isinstance(chat_id, int) else None
        if state is None:
            raise bad_request("chat not found")
        if state.blocked:
            raise blocked_by_user()
        return state

    # --- messages ---------------------------------------------------------------------

    def add_message(
        self,
        chat: ChatState,
        fields: Mapping[str, Any],
        *,
        sender: Mapping[str, Any] | None = None,
        keyboard: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Store a new message in ``chat`` (from the bot unless ``sender`` is given)."""
        message_id = chat.next_message_id
        chat.next_message_id += 1
        # Stored values are never mutated in place (edits replace them), so sharing them with
        # the caller is safe and keeps the benchmark's per-call cost low.
        data: dict[str, Any] = {
            "message_id": message_id,
            "from": sender or self.bot_user,
            "chat": chat.info,
            "date": int(clock.now().timestamp()),
            **fields,
        }
        chat.messages[message_id] = StoredMessage(data, sender is None, self._bump(), keyboard)
        return data

    def stored_message(self, chat: ChatState, message_id: Any, *, action: str) -> StoredMessage:
        """Return a message that exists, or the 400 Telegram answers for ``action``."""
        stored = chat.messages.get(message_id) if isinstance(message_id, int) else None
        if stored is None or stored.deleted:
            raise bad_request(f"message to {action} not found")
        return stored

    def edit(self, stored: StoredMessage, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Apply an edit (None removes a field), refusing one that changes nothing."""
        if all(stored.data.get(key) == value for key, value in changes.items()):
            raise bad_request(_NOT_MODIFIED)
        for key, value in changes.items():
            if value is None:
                stored.data.pop(key, None)
            else:
                stored.data[key] = value
        stored.data["edit_date"] = int(clock.now().timestamp())
        stored.seq = self._bump()
        return dict(stored.data)

    def delete(self, stored: StoredMessage) -> None:
        """Remove a message from its chat."""
        stored.deleted = True
        stored.seq = self._bump()

    def stored_messages(self, chat_id: int, *, from_bot: bool | None = True) -> list[StoredMessage]:
        """Return a chat's live messages by id (only the bot's by default)."""
        chat = self.chats.get(chat_id)
        if chat is None:
            return []
        return [
            stored
            for _, stored in sorted(chat.messages.items())
            if not stored.deleted and (from_bot is None or stored.from_bot == from_bot)
        ]

    def messages(self, chat_id: int, *, from_bot: bool | None = True) -> list[dict[str, Any]]:
        """Return copies of a chat's live messages, edits applied, oldest first."""
        return [clone(s.data) for s in self.stored_messages(chat_id, from_bot=from_bot)]

    def mark(self) -> int:
        """Return the change counter; messages sent or edited later have a higher ``seq``."""
        return self._seq

    def _bump(self) -> int:
        self._seq += 1
        return self._seq

    def new_callback_query(self, chat_id: int) -> str:
        """Open a button press that the bot may answer once."""
        query_id = str(8_000_000_000_000_000 + next(self._query_ids))
        self.callback_queries[query_id] = CallbackQueryState(chat_id)
        return query_id

    # --- updates ----------------------------------------------------------------------

    def log_update(self, payload: Mapping[str, Any], *, queue: bool) -> dict[str, Any]:
        """Give an update its update_id, log it, and queue it for getUpdates if asked."""
        update = self.updates.add(payload)
        self.redeliver(update, queue=queue)
        return update

    def redeliver(self, update: Mapping[str, Any], *, queue: bool) -> None:
        """Log an update again with its own update_id, as Telegram does when it retries."""
        if (chat_id := _update_chat_id(update)) is not None:
            self._reply_marks[chat_id] = len(self.calls)
        self.updates.deliver(update, queue=queue)

    @property
    def update_log(self) -> list[dict[str, Any]]:
        """Every update delivered, in order (redeliveries included)."""
        return self.updates.log

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates queued for getUpdates that the bot has not acknowledged."""
        return self.updates.pending

    async def get_updates(self, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Answer getUpdates: refused while a webhook is set, else a long poll."""
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        return await self.updates.poll(
            params.get("offset"), params.get("limit"), params.get("timeout")
        )

    async def wait_for_reply(
        self,
        chat_id: int,
        timeout: float = 5.0,  # noqa: ASYNC109 - tests read best with the deadline inline
        *,
        since: int | None = None,
    ) -> Call:
        """Wait until the bot answers ``chat_id`` after its last update; return the answering call.

        Args:
            chat_id: the chat that expects an answer.
            timeout: seconds to wait before failing.
            since: index into :attr:`calls` to look from; defaults to where the calls stood
                when an update from this chat was last delivered.
        """
        start = self._reply_marks.get(chat_id, 0) if since is None else since
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for call in self.calls[start:]:
                if call.error is None and call.chat_id == chat_id and call.method in REPLY_METHODS:
                    return call
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"the bot did not answer chat {chat_id} within {timeout} s")
            await self._activity_signal.wait(remaining)

    # --- faults and limits ------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        kind: FaultKind = "retry_after",
        retry_after: int = 1,
        *,
        times: int = 1,
        after: int = 0,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (``"*"``: any) fail with ``kind``,
        once ``after`` calls of it have gone through."""
        self.faults.fail_next(method, Fault(kind, retry_after), times, after=after)

    def every_nth(
        self, method: str, n: int, kind: FaultKind = "retry_after", retry_after: int = 1
    ) -> EveryNth:
        """Make every ``n``-th call of ``method`` fail with ``kind``; cancel the result to stop."""
        return self.faults.every_nth(method, n, Fault(kind, retry_after))

    def clear_faults(self) -> None:
        """Stop injecting faults."""
        self.faults.clear()

    def check_flood_limits(self, limits: FloodLimits | None = None) -> FloodMeter:
        """Start recording (and, if ``limits.respond_429``, refusing) sends over the limits."""
        self.flood = FloodMeter(limits or FloodLimits())
        return self.flood

    # --- answering requests -----------------------------------------------------------

    def calls_of(self, method: str | None = None, chat_id: int | None = None) -> list[Call]:
        """Return the recorded calls, optionally of one method and/or to one chat."""
        return [
            call
            for call in self.calls
            if (method is None or call.method == method)
            and (chat_id is None or call.chat_id == chat_id)
        ]

    async def handle(
        self,
        method: str,
        params: Mapping[str, Any],
        files: Mapping[str, UploadedFile] | None = None,
        *,
        token: str | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """Answer one Bot API request: the HTTP status and the JSON body Telegram would send.

        Raises:
            SimulatedNetworkError: when an injected fault breaks the connection.
        """
        return await answering.answer(self, method, params, files, token)

    async def fetch_file(self, file_path: str, *, token: str | None = None) -> tuple[int, bytes]:
        """Serve a file download (``/file/bot<token>/<file_path>``), recorded as downloadFile.

        Raises:
            SimulatedNetworkError: when an injected fault breaks the connection.
        """
        return await answering.download(self, file_path, token)

    def record(self, call: Call) -> None:
        """Keep ``call`` and wake whoever waits for the bot's activity."""
        self.calls.append(call)
        self._activity_signal.notify()


def _update_chat_id(update: Mapping[str, Any]) -> int | None:
    message = update.get("message") or (update.get("callback_query") or {}).get("message")
    return message["chat"]["id"] if message else None


__all__ = ["REPLY_METHODS", "FakeTelegram"]
