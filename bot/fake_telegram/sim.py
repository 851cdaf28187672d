"""A simulated person in a private chat with the bot, driving a real PTB Application."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Literal

from telegram import Update

from bot.fake_telegram.markup import inline_buttons
from bot.fake_telegram.records import clone

if TYPE_CHECKING:
    from telegram.ext import Application

    from bot.fake_telegram.records import Call, StoredMessage
    from bot.fake_telegram.server import FakeTelegram

Via = Literal["process", "queue", "webhook"]
"""How an update reaches the bot.

* ``process``: ``Update.de_json`` + ``await app.process_update(update)``: the handlers have
  run when the call returns, so a test is deterministic;
* ``queue``: the update waits in the stand-in's getUpdates queue for ``start_polling``;
  follow with ``await user.wait_for_reply()``;
* ``webhook``: POSTed over loopback HTTP to the URL the bot gave setWebhook, with its
  secret token header.
"""
# What Telegram marks as a bot_command at the start of a message.
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?=\s|$)")


class SimUser:
    """A person chatting privately with the bot: sends, clicks and reads what the bot wrote."""

    def __init__(
        self,
        fake: FakeTelegram,
        user: dict[str, Any],
        *,
        app: Application[Any, Any, Any, Any, Any, Any] | None = None,
    ) -> None:
        self.fake = fake
        self.user = user  # the Telegram User object, as a dict
        self._app = app
        self.last_update: dict[str, Any] | None = None
        self._last_via: Via = "process"
        self._chat_instance = str(-(10**18) - user["id"])

    def __repr__(self) -> str:
        return f"SimUser(id={self.id}, first_name={self.user['first_name']!r})"

    @property
    def id(self) -> int:
        """The person's Telegram user id."""
        return int(self.user["id"])

    @property
    def chat_id(self) -> int:
        """The private chat's id (equal to the user id, as on Telegram)."""
        return self.id

    @property
    def app(self) -> Application[Any, Any, Any, Any, Any, Any]:
        """The Application this person talks to (their own, else the fake's attached one)."""
        app = self._app or self.fake.application
        if app is None:
            raise RuntimeError("no Application: pass app= to fake.user() or call fake.attach(app)")
        return app

    def bind(self, app: Application[Any, Any, Any, Any, Any, Any]) -> SimUser:
        """Talk to ``app`` from now on; returns self."""
        self._app = app
        return self

    # --- acting -----------------------------------------------------------------------

    async def send(
        self, text: str, *, via: Via = "process", reply_to: int | None = None
    ) -> dict[str, Any]:
        """Send a text message (a leading ``/command`` gets its bot_command entity)."""
        fields: dict[str, Any] = {"text": text}
        if command := _COMMAND.match(text):
            fields["entities"] = [{"type": "bot_command", "offset": 0, "length": command.end()}]
        return await self._send_message(fields, via, reply_to)

    async def send_document(
        self,
        filename: str,
        content: bytes,
        mime_type: str = "application/octet-stream",
        *,
        caption: str | None = None,
        via: Via = "process",
    ) -> dict[str, Any]:
        """Send a file; the bot can getFile and download the same bytes."""
        stored = self.fake.files.store(content, file_name=filename, mime_type=mime_type)
        document = {
            "file_name": filename,
            "mime_type": mime_type,
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(content),
        }
        fields: dict[str, Any] = {"document": document}
        if caption:
            fields["caption"] = caption
        return await self._send_message(fields, via)

    async def send_contact(
        self,
        phone_number: str,
        first_name: str,
        last_name: str | None = None,
        *,
        user_id: int | None = None,
        vcard: str | None = None,
        via: Via = "process",
    ) -> dict[str, Any]:
        """Share a contact card (pass ``user_id=user.id`` for one's own number)."""
        contact: dict[str, Any] = {"phone_number": phone_number, "first_name": first_name}
        for key, value in (("last_name", last_name), ("user_id", user_id), ("vcard", vcard)):
            if value is not None:
                contact[key] = value
        return await self._send_message({"contact": contact}, via)

    async def click(self, label: str, *, via: Via = "process") -> dict[str, Any] | None:
        """Press the button labelled ``label`` in the latest bot message with an inline keyboard.

        The label matches exactly, else as the only button containing it. Returns what the bot
        passed to answerCallbackQuery (text, show_alert, url), or None if it did not answer.
        """
        stored = self._last_keyboard_message()
        if stored is None:
            raise AssertionError(f"no bot message to {self!r} has an inline keyboard")
        button = _find_button(stored, label)
        if "callback_data" not in button:
            raise AssertionError(f"button {button['text']!r} is not a callback button: {button}")
        return await self.click_data(stored.data["message_id"], button["callback_data"], via=via)

    async def click_data(
        self, message_id: int, data: str, *, via: Via = "process"
    ) -> dict[str, Any] | None:
        """Press a button of ``message_id`` carrying ``data``, which may be forged."""
        stored = self.fake.chats[self.chat_id].messages.get(message_id)
        if stored is None or stored.deleted:
            raise AssertionError(f"there is no message {message_id} in the chat with {self!r}")
        query_id = self.fake.new_callback_query(self.chat_id)
        query = {
            "id": query_id,
            "from": dict(self.user),
            "message": clone(stored.data),
            "chat_instance": self._chat_instance,
            "data": data,
        }
        await self._deliver({"callback_query": query}, via)
        return self.fake.callback_queries[query_id].answer

    async def deliver_again(self) -> dict[str, Any]:
        """Deliver the last update once more, same update_id, the same way as before."""
        if self.last_update is None:
            raise AssertionError(f"{self!r} has not sent anything yet")
        self.fake.redeliver(self.last_update, queue=self._last_via == "queue")
        await self._dispatch(self.last_update, self._last_via)
        return clone(self.last_update)

    async def wait_for_reply(self, timeout: float = 5.0) -> Call:  # noqa: ASYNC109 - as fake's
        """Wait until the bot answers this chat after the last queued update."""
        return await self.fake.wait_for_reply(self.chat_id, timeout)

    def block_bot(self) -> None:
        """Block the bot: its sends to this chat answer 403 Forbidden."""
        self.fake.block(self.chat_id)

    def unblock_bot(self) -> None:
        """Unblock the bot."""
        self.fake.block(self.chat_id, blocked=False)

    # --- reading ----------------------------------------------------------------------

    @property
    def messages(self) -> list[dict[str, Any]]:
        """Every live bot message in this chat, edits applied, oldest first."""
        return self.fake.messages(self.chat_id)

    def last_message(self) -> dict[str, Any]:
        """The bot's latest message in this chat."""
        messages = self.messages
        if not messages:
            raise AssertionError(f"the bot has sent nothing to {self!r}")
        return messages[-1]

    def last_text(self) -> str:
        """The text (or caption) of the bot's latest message."""
        message = self.last_message()
        return str(message.get("text", message.get("caption", "")))

    def mark(self) -> int:
        """A point in time for :meth:`texts_since`."""
        return self.fake.mark()

    def texts_since(self, mark: int) -> list[str]:
        """Texts of bot messages sent or edited after ``mark``, in the order they changed."""
        changed = [s for s in self.fake.stored_messages(self.chat_id) if s.seq > mark]
        return [
            str(s.data.get("text", s.data.get("caption", "")))
            for s in sorted(changed, key=lambda s: s.seq)
        ]

    def keyboard(self) -> list[list[str]]:
        """Labels of the latest inline keyboard, row by row ([] when there is none)."""
        stored = self._last_keyboard_message()
        if stored is None:
            return []
        return [[b["text"] for b in row] for row in stored.data["reply_markup"]["inline_keyboard"]]

    def buttons(self) -> list[str]:
        """Labels of the latest inline keyboard, flattened."""
        return [label for row in self.keyboard() for label in row]

    def reply_keyboard(self) -> list[list[str]] | None:
        """Labels of the reply keyboard shown under the input field, or None when removed."""
        for stored in reversed(self.fake.stored_messages(self.chat_id)):
            if stored.keyboard is None or "force_reply" in stored.keyboard:
                continue
            rows = stored.keyboard.get("keyboard")
            if rows is None:
                return None
            return [[b if isinstance(b, str) else b["text"] for b in row] for row in rows]
        return None

    # --- plumbing ---------------------------------------------------------------------

    async def _send_message(
        self, fields: dict[str, Any], via: Via, reply_to: int | None = None
    ) -> dict[str, Any]:
        chat = self.fake.chats[self.chat_id]
        if reply_to is not None:
            if reply_to not in chat.messages:
                raise AssertionError(f"there is no message {reply_to} to reply to")
            original = chat.messages[reply_to].data
            fields["reply_to_message"] = {
                k: v for k, v in original.items() if k != "reply_to_message"
            }
        message = self.fake.add_message(chat, fields, sender=self.user)
        return await self._deliver({"message": message}, via)

    async def _deliver(self, payload: dict[str, Any], via: Via) -> dict[str, Any]:
        update = self.fake.log_update(payload, queue=via == "queue")
        self.last_update, self._last_via = update, via
        await self._dispatch(update, via)
        return clone(update)

    async def _dispatch(self, update: dict[str, Any], via: Via) -> None:
        if via == "process":
            app = self.app
            await app.process_update(Update.de_json(clone(update), app.bot))
        elif via == "webhook":
            from bot.fake_telegram.http import post_update  # tornado/httpx only when used

            hook = self.fake.webhook
            if hook is None:
                raise AssertionError("no webhook is set: start the bot's webhook first")
            status = await post_update(hook["url"], update, secret_token=hook["secret_token"])
            if status != 200:
                raise AssertionError(f"the bot's webhook answered HTTP {status}")
        elif via != "queue":
            raise ValueError(f"unknown delivery {via!r}: use 'process', 'queue' or 'webhook'")

    def _last_keyboard_message(self) -> StoredMessage | None:
        for stored in reversed(self.fake.stored_messages(self.chat_id)):
            if inline_buttons(stored.data.get("reply_markup")):
                return stored
        return None


def _find_button(stored: StoredMessage, label: str) -> dict[str, Any]:
    """Find a button by exact label, else by a unique substring (then ignoring case)."""
    buttons = inline_buttons(stored.data.get("reply_markup"))
    labels = [b["text"] for b in buttons]
    exact = [b for b in buttons if b["text"] == label]
    if exact:
        return exact[0]
    for fold in (str, str.casefold):
        partial = [b for b in buttons if fold(label) in fold(b["text"])]
        if len(partial) == 1:
            return partial[0]
        if len(partial) > 1:
            found = [b["text"] for b in partial]
            raise AssertionError(f"{label!r} matches several buttons {found}; buttons: {labels}")
    raise AssertionError(
        f"no button {label!r} in message {stored.data['message_id']}; buttons: {labels}"
    )


__all__ = ["SimUser", "Via"]
