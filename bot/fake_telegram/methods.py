"""The Bot API methods the stand-in implements, each validating as Telegram does."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from bot.fake_telegram.errors import ApiError, bad_request
from bot.fake_telegram.markup import MAX_CAPTION, check_reply_markup, render_text

if TYPE_CHECKING:
    from bot.fake_telegram.records import (
        ChatState,
        StoredFile,
        StoredMessage,
        UploadedFile,
    )
    from bot.fake_telegram.server import FakeTelegram

Params = dict[str, Any]
Files = Mapping[str, "UploadedFile"]
Handler = Callable[["FakeTelegram", Params, Files], Any]

# Form-encoded requests carry every value as a string; Telegram reads these as numbers,
# booleans or JSON, and everything else (text, captions, ids of files) as strings.
_INT_PARAMS = frozenset(
    (
        "chat_id",
        "message_id",
        "offset",
        "limit",
        "timeout",
        "cache_time",
        "reply_to_message_id",
        "message_thread_id",
        "user_id",
        "max_connections",
    )
)
_BOOL_PARAMS = frozenset(
    (
        "show_alert",
        "drop_pending_updates",
        "disable_notification",
        "protect_content",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "has_spoiler",
        "disable_content_type_detection",
        "show_caption_above_media",
    )
)
_JSON_PARAMS = frozenset(
    (
        "reply_markup",
        "entities",
        "caption_entities",
        "allowed_updates",
        "commands",
        "scope",
        "link_preview_options",
        "reply_parameters",
        "media",
        "menu_button",
    )
)
_INTEGER = re.compile(r"-?\d+")
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"RIFF", b"BM")
_MAX_DOWNLOAD = 20 * 1024 * 1024  # getFile refuses bigger files
_MAX_UPLOAD = 50 * 1024 * 1024
_BAD_QUERY = "query is too old and response timeout expired or query ID is invalid"


def coerce_params(params: Mapping[str, Any]) -> Params:
    """Read request parameters the way Telegram does, whether they came as JSON or a form."""
    parsed: Params = {}
    for key, value in params.items():
        if isinstance(value, str):
            if key in _INT_PARAMS and _INTEGER.fullmatch(value):
                value = int(value)
            elif key in _BOOL_PARAMS:
                value = value.lower() in ("true", "1")
            elif key in _JSON_PARAMS:
                try:
                    value = json.loads(value)
                except ValueError as exc:
                    raise bad_request(f"can't parse {key} JSON object") from exc
        parsed[key] = value
    return parsed


def _message_fields(p: Params) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Split reply_markup: Telegram echoes inline keyboards only; reply keyboards stay aside."""
    markup = p.get("reply_markup")
    check_reply_markup(markup)
    if markup and "inline_keyboard" in markup:
        return {"reply_markup": markup}, None
    return {}, markup


def _reply_to(tg: FakeTelegram, chat: ChatState, p: Params) -> dict[str, Any]:
    target = (p.get("reply_parameters") or {}).get("message_id", p.get("reply_to_message_id"))
    if target is None:
        return {}
    stored = chat.messages.get(target)
    if stored is None or stored.deleted:
        lenient = p.get("allow_sending_without_reply") or (p.get("reply_parameters") or {}).get(
            "allow_sending_without_reply"
        )
        if lenient:
            return {}
        raise bad_request("message to be replied not found")
    return {"reply_to_message": {k: v for k, v in stored.data.items() if k != "reply_to_message"}}


def get_me(tg: FakeTelegram, p: Params, files: Files) -> Any:
    return dict(tg.bot_user)


def get_updates(tg: FakeTelegram, p: Params, files: Files) -> Any:
    return tg.get_updates(p)


def set_webhook(tg: FakeTelegram, p: Params, files: Files) -> Any:
    url = p.get("url") or ""
    if p.get("drop_pending_updates"):
        tg.updates.drop()
    if not url:
        tg.webhook = None
        return True
    secret = p.get("secret_token")
    if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
        raise bad_request("secret token contains unallowed characters")
    tg.webhook = {"url": url, "secret_token": secret, "allowed_updates": p.get("allowed_updates")}
    return True


def delete_webhook(tg: FakeTelegram, p: Params, files: Files) -> Any:
    if p.get("drop_pending_updates"):
        tg.updates.drop()
    tg.webhook = None
    return True


def get_webhook_info(tg: FakeTelegram, p: Params, files: Files) -> Any:
    hook = tg.webhook or {}
    return {
        "url": hook.get("url", ""),
        "has_custom_certificate": False,
        "pending_update_count": len(tg.pending_updates),
    }


def send_message(tg: FakeTelegram, p: Params, files: Files) -> Any:
    chat = tg.chat(p.get("chat_id"))
    text, entities = render_text(p.get("text"), p.get("parse_mode"), p.get("entities"))
    markup, keyboard = _message_fields(p)
    fields: dict[str, Any] = {"text": text, **markup, **_reply_to(tg, chat, p)}
    if entities:
        fields["entities"] = entities
    return tg.add_message(chat, fields, keyboard=keyboard)


def edit_message_text(tg: FakeTelegram, p: Params, files: Files) -> Any:
    stored = _editable(tg, p)
    if "text" not in stored.data:
        raise bad_request("there is no text in the message to edit")
    text, entities = render_text(p.get("text"), p.get("parse_mode"), p.get("entities"))
    markup, _ = _message_fields(p)
    # Leaving reply_markup out removes the keyboard, exactly as on Telegram.
    changes = {
        "text": text,
        "entities": entities or None,
        "reply_markup": markup.get("reply_markup"),
    }
    return tg.edit(stored, changes)


def edit_message_caption(tg: FakeTelegram, p: Params, files: Files) -> Any:
    stored = _editable(tg, p)
    if not ({"photo", "document"} & stored.data.keys()):
        raise bad_request("there is no caption in the message to edit")
    caption, entities = _caption(p)
    markup, _ = _message_fields(p)
    changes = {
        "caption": caption or None,
        "caption_entities": entities or None,
        "reply_markup": markup.get("reply_markup"),
    }
    return tg.edit(stored, changes)


def edit_message_reply_markup(tg: FakeTelegram, p: Params, files: Files) -> Any:
    stored = _editable(tg, p)
    markup, _ = _message_fields(p)
    return tg.edit(stored, {"reply_markup": markup.get("reply_markup")})


def _caption(p: Params) -> tuple[str, list[dict[str, Any]]]:
    return render_text(
        p.get("caption", ""),
        p.get("parse_mode"),
        p.get("caption_entities"),
        limit=MAX_CAPTION,
        caption=True,
    )


def _editable(tg: FakeTelegram, p: Params) -> StoredMessage:
    if "inline_message_id" in p:
        raise bad_request("inline messages are not supported by the stand-in")
    chat = tg.chat(p.get("chat_id"))
    stored = tg.stored_message(chat, p.get("message_id"), action="edit")
    if not stored.from_bot:
        raise bad_request("message can't be edited")
    return stored


def delete_message(tg: FakeTelegram, p: Params, files: Files) -> Any:
    chat = tg.chat(p.get("chat_id"))
    tg.delete(tg.stored_message(chat, p.get("message_id"), action="delete"))
    return True


def answer_callback_query(tg: FakeTelegram, p: Params, files: Files) -> Any:
    query = tg.callback_queries.get(str(p.get("callback_query_id")))
    if query is None or query.answer is not None:
        raise bad_request(_BAD_QUERY)
    if len(p.get("text") or "") > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    query.answer = {
        "text": p.get("text"),
        "show_alert": bool(p.get("show_alert")),
        "url": p.get("url"),
        "cache_time": p.get("cache_time"),
    }
    return True


def _commands_key(p: Params) -> tuple[str, str]:
    scope = p.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), p.get("language_code") or ""


def set_my_commands(tg: FakeTelegram, p: Params, files: Files) -> Any:
    commands = p.get("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("commands must be a list of at most 100 BotCommand")
    for command in commands:
        if not _COMMAND.fullmatch(str(command.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
            raise bad_request("command description must be 1-256 characters")
    tg.commands[_commands_key(p)] = [dict(c) for c in commands]
    return True


def get_my_commands(tg: FakeTelegram, p: Params, files: Files) -> Any:
    return [dict(c) for c in tg.commands.get(_commands_key(p), [])]


def delete_my_commands(tg: FakeTelegram, p: Params, files: Files) -> Any:
    tg.commands.pop(_commands_key(p), None)
    return True


def set_chat_menu_button(tg: FakeTelegram, p: Params, files: Files) -> Any:
    button = p.get("menu_button") or {"type": "default"}
    kind = button.get("type")
    if kind not in ("default", "commands", "web_app"):
        raise bad_request("menu button type is invalid")
    if kind == "web_app":
        url = str((button.get("web_app") or {}).get("url", ""))
        if not url.startswith("https://") or not str(button.get("text", "")).strip():
            raise bad_request("WEB_APP_URL_INVALID: a web app button needs text and an https URL")
    tg.menu_buttons[p.get("chat_id")] = dict(button)
    return True


def get_chat_menu_button(tg: FakeTelegram, p: Params, files: Files) -> Any:
    chat_id = p.get("chat_id")
    return dict(tg.menu_buttons.get(chat_id) or tg.menu_buttons.get(None) or {"type": "default"})


def send_chat_action(tg: FakeTelegram, p: Params, files: Files) -> Any:
    tg.chat(p.get("chat_id"))
    return True


def _input_file(tg: FakeTelegram, p: Params, files: Files, field: str) -> StoredFile:
    """Resolve an upload, an attach:// reference or a known file_id; URLs cannot be fetched."""
    value = p.get(field)
    part = files.get(field)
    if part is None and isinstance(value, str) and value.startswith("attach://"):
        part = files.get(value.removeprefix("attach://"))
    if part is None:
        known = tg.files.get(value) if isinstance(value, str) else None
        if known is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        return known
    if not part.content:
        raise bad_request("file must be non-empty")
    if len(part.content) > _MAX_UPLOAD:
        raise ApiError(413, "Request Entity Too Large")
    if field == "photo" and not part.content.startswith(_IMAGE_MAGIC):
        raise bad_request("IMAGE_PROCESS_FAILED")
    kind = "photos" if field == "photo" else "documents"
    return tg.files.store(
        part.content, file_name=part.filename, mime_type=part.mime_type, kind=kind
    )


def _image_size(content: bytes) -> tuple[int, int]:
    if content.startswith(b"\x89PNG") and len(content) >= 24:
        return int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")
    return 800, 600  # other formats: a plausible size is enough for the bot's purposes


def _send_media(tg: FakeTelegram, p: Params, files: Files, field: str) -> Any:
    chat = tg.chat(p.get("chat_id"))
    stored = _input_file(tg, p, files, field)
    caption, entities = _caption(p)
    ids = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
    size = len(stored.content)
    if field == "photo":
        width, height = _image_size(stored.content)
        media: Any = [{**ids, "width": width, "height": height, "file_size": size}]
    else:
        media = {**ids, "file_size": size}
        if stored.file_name:
            media["file_name"] = stored.file_name
        if stored.mime_type:
            media["mime_type"] = stored.mime_type
    markup, keyboard = _message_fields(p)
    fields: dict[str, Any] = {field: media, **markup, **_reply_to(tg, chat, p)}
    if caption:
        fields["caption"] = caption
    if entities:
        fields["caption_entities"] = entities
    return tg.add_message(chat, fields, keyboard=keyboard)


def send_photo(tg: FakeTelegram, p: Params, files: Files) -> Any:
    return _send_media(tg, p, files, "photo")


def send_document(tg: FakeTelegram, p: Params, files: Files) -> Any:
    return _send_media(tg, p, files, "document")


def get_file(tg: FakeTelegram, p: Params, files: Files) -> Any:
    stored = tg.files.get(str(p.get("file_id")))
    if stored is None:
        raise bad_request("invalid file_id")
    if len(stored.content) > _MAX_DOWNLOAD:
        raise bad_request("file is too big")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.content),
        "file_path": stored.file_path,
    }


METHODS: dict[str, Handler] = {
    "getMe": get_me,
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "sendMessage": send_message,
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "answerCallbackQuery": answer_callback_query,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "setChatMenuButton": set_chat_menu_button,
    "getChatMenuButton": get_chat_menu_button,
    "sendChatAction": send_chat_action,
    "sendPhoto": send_photo,
    "sendDocument": send_document,
    "getFile": get_file,
}
# Telegram matches method names case-insensitively.
_BY_LOWER = {name.lower(): (name, handler) for name, handler in METHODS.items()}


def lookup(method: str) -> tuple[str, Handler | None]:
    """Return the canonical method name and its handler (None for a method Telegram lacks)."""
    return _BY_LOWER.get(method.lower(), (method, None))
