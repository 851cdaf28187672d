"""The request layer that makes every Bot API call fit Telegram's limits.

Every send passes here, whatever sent it (a handler, a conversation, the scheduler), so
no answer can end in "message is too long": long texts go as several messages (the
keyboard on the last, which is the one later edited), edits and captions are shortened,
keyboards cut to 100 buttons.
"""

from __future__ import annotations

from typing import Any

from telegram.request import BaseRequest, RequestData
from telegram.request._requestparameter import RequestParameter

from bot.delivery.message_fit import MAX_CAPTION, MAX_TEXT, fit_keyboard, shorten, split_text

_CAPTIONED = frozenset(
    {"sendPhoto", "sendDocument", "sendVideo", "sendAudio", "sendAnimation", "editMessageCaption"}
)
_WITH_MARKUP = frozenset({"sendMessage", "editMessageText", "editMessageReplyMarkup"}) | _CAPTIONED
# Sent once, on the first part of a split message only.
_FIRST_PART_ONLY = frozenset({"reply_parameters", "reply_to_message_id"})


class FittingRequest(BaseRequest):
    """Wraps the real request (or the stand-in's) and fits what is sent through it."""

    def __init__(self, inner: BaseRequest) -> None:
        self._inner = inner

    @property
    def read_timeout(self) -> float | None:
        return self._inner.read_timeout

    async def initialize(self) -> None:
        await self._inner.initialize()

    async def shutdown(self) -> None:
        await self._inner.shutdown()

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        return await self._inner.do_request(*args, **kwargs)

    async def post(self, url: str, request_data: RequestData | None = None, **timeouts: Any) -> Any:
        method = url.rstrip("/").rsplit("/", 1)[-1]
        if request_data is None or method not in _WITH_MARKUP:
            return await self._inner.post(url, request_data, **timeouts)
        params = {param.name: param for param in request_data._parameters}
        is_html = str(_value(params, "parse_mode") or "").upper() == "HTML"
        _replace(params, "reply_markup", fit_keyboard)
        if method in _CAPTIONED:
            _replace(params, "caption", lambda text: _short(text, is_html, MAX_CAPTION))
        if method == "editMessageText" and isinstance(_value(params, "text"), str):
            return await self._edit(url, params, is_html, timeouts)
        if method != "sendMessage" or not isinstance(_value(params, "text"), str):
            return await self._inner.post(url, _data(params), **timeouts)
        return await self._send(url, params, is_html, timeouts)

    async def _edit(
        self, url: str, params: dict[str, RequestParameter], is_html: bool, timeouts: Any
    ) -> Any:
        """An edit too long for one message: the message takes the first part, and the rest
        follow as new messages in its chat, the keyboard under the last one."""
        parts = split_text(_value(params, "text"), is_html=is_html)
        chat_id = _value(params, "chat_id")
        if len(parts) == 1 or chat_id is None:
            _replace(params, "text", lambda text: _short(text, is_html, MAX_TEXT))
            return await self._inner.post(url, _data(params), **timeouts)
        edited = dict(params)
        edited["text"] = RequestParameter("text", parts[0], None)
        markup = edited.pop("reply_markup", None)
        result = await self._inner.post(url, _data(edited), **timeouts)
        rest: dict[str, RequestParameter] = {
            name: param
            for name, param in params.items()
            if name in ("chat_id", "parse_mode", "link_preview_options")
        }
        if markup is not None:
            rest["reply_markup"] = markup
        rest["text"] = RequestParameter("text", "\n".join(parts[1:]), None)
        send_url = url.rstrip("/").rsplit("/", 1)[0] + "/sendMessage"
        await self._send(send_url, rest, is_html, timeouts)
        return result

    async def _send(
        self, url: str, params: dict[str, RequestParameter], is_html: bool, timeouts: Any
    ) -> Any:
        parts = split_text(_value(params, "text"), is_html=is_html)
        result = None
        for number, part in enumerate(parts):
            sent = dict(params)
            sent["text"] = RequestParameter("text", part, None)
            if number < len(parts) - 1:
                sent.pop("reply_markup", None)
            if number > 0:
                for name in _FIRST_PART_ONLY:
                    sent.pop(name, None)
            result = await self._inner.post(url, _data(sent), **timeouts)
        return result


def _value(params: dict[str, RequestParameter], name: str) -> Any:
    param = params.get(name)
    return param.value if param is not None else None


def _replace(params: dict[str, RequestParameter], name: str, change: Any) -> None:
    param = params.get(name)
    if param is not None and param.value is not None:
        params[name] = RequestParameter(name, change(param.value), param.input_files)


def _short(text: Any, is_html: bool, limit: int) -> Any:
    return shorten(text, is_html=is_html, limit=limit) if isinstance(text, str) else text


def _data(params: dict[str, RequestParameter]) -> RequestData:
    return RequestData(list(params.values()))
