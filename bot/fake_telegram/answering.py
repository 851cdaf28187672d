"""Answering one request as Telegram would: the token, injected faults, flood limits, and
every call recorded, refused ones included."""

from __future__ import annotations

import asyncio
import inspect
import json
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from bot.fake_telegram import methods
from bot.fake_telegram.errors import ApiError, SimulatedNetworkError
from bot.fake_telegram.records import Call, ChatState, UploadedFile

if TYPE_CHECKING:
    from bot.fake_telegram.server import FakeTelegram

T = TypeVar("T")


async def _faulted(api: FakeTelegram, call: Call, run: Callable[[], Awaitable[T]]) -> T:
    """``run`` under the fault injected for the call's method, if any.

    A simulated network error is recorded here and raised; an ``ApiError`` is the
    caller's to record, since its answer differs by request kind.
    """
    fault = api.faults.pick(call.method)
    try:
        if fault is not None:
            fault.before_call()
        result = await run()
        if fault is not None:
            fault.after_call()
    except SimulatedNetworkError as exc:
        api.record(Call(call.method, call.params, call.at, call.chat_id, f"network: {exc}"))
        raise
    return result


def _refused(api: FakeTelegram, call: Call, exc: ApiError) -> tuple[int, dict[str, Any]]:
    api.record(Call(call.method, call.params, call.at, call.chat_id, exc.description))
    return exc.code, exc.to_json()


def _call_chat(api: FakeTelegram, method: str, params: Mapping[str, Any]) -> int | None:
    chat_id = params.get("chat_id")
    if isinstance(chat_id, int):
        return chat_id
    query = api.callback_queries.get(str(params.get("callback_query_id")))
    return query.chat_id if method == "answerCallbackQuery" and query else None


async def answer(
    api: FakeTelegram,
    method: str,
    params: Mapping[str, Any],
    files: Mapping[str, UploadedFile] | None,
    token: str | None,
) -> tuple[int, dict[str, Any]]:
    """The HTTP status and JSON body Telegram would send for one Bot API request."""
    at = time.monotonic()
    if api.latency:
        await asyncio.sleep(api.latency)
    name, handler = methods.lookup(method)
    files = dict(files or {})
    try:
        parsed = methods.coerce_params(params)
    except ApiError as exc:
        return _refused(api, Call(name, dict(params), at, None), exc)
    call = Call(name, {**parsed, **files}, at, _call_chat(api, name, parsed))
    if token is not None and token != api.token:
        return _refused(api, call, ApiError(401, "Unauthorized"))
    if handler is None:
        return _refused(api, call, ApiError(404, "Not Found"))

    async def run() -> Any:
        if api.flood is not None and call.chat_id is not None:
            is_group = api.chats.get(call.chat_id, ChatState({})).info.get("type") != "private"
            api.flood.check(name, call.chat_id, is_group, at)
        result = handler(api, parsed, files)
        return await result if inspect.isawaitable(result) else result

    try:
        result = await _faulted(api, call, run)
    except ApiError as exc:
        return _refused(api, call, exc)
    api.record(call)
    return 200, {"ok": True, "result": result}


async def download(api: FakeTelegram, file_path: str, token: str | None) -> tuple[int, bytes]:
    """A file download (``/file/bot<token>/<file_path>``), recorded as downloadFile."""
    call = Call("downloadFile", {"file_path": file_path}, time.monotonic(), None)
    stored = api.files.by_path(file_path) if token in (None, api.token) else None

    async def run() -> bytes:
        if stored is None:
            raise ApiError(404, "Not Found")
        return stored.content

    try:
        content = await _faulted(api, call, run)
    except ApiError as exc:
        _refused(api, call, exc)
        return exc.code, json.dumps(exc.to_json()).encode()
    api.record(call)
    return 200, content
