"""A python-telegram-bot request class that answers from a FakeTelegram, in-process."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote, urlsplit

from telegram.error import NetworkError
from telegram.request import BaseRequest, RequestData

from bot.fake_telegram.errors import SimulatedNetworkError
from bot.fake_telegram.records import UploadedFile
from bot.fake_telegram.server import FakeTelegram

# The base URL is PTB's to choose (api.telegram.org by default), so only the tail is read.
_API_PATH = re.compile(r"/bot(?P<token>[^/]+)/(?P<method>[A-Za-z0-9_]+)/?$")
_FILE_PATH = re.compile(r"/file/bot(?P<token>[^/]+)/(?P<path>.+)$")
_NOT_FOUND = json.dumps({"ok": False, "error_code": 404, "description": "Not Found"}).encode()


class StubRequest(BaseRequest):
    """Answer PTB's Bot API requests from ``fake`` with Telegram's exact JSON, no sockets.

    PTB then turns the answers into its usual results and exceptions (``RetryAfter``,
    ``Forbidden``, ``BadRequest``, ``NetworkError``), so the code under test is the code that
    runs in production.
    """

    def __init__(self, fake: FakeTelegram, *, read_timeout: float | None = 5.0) -> None:
        self.fake = fake
        self._read_timeout = read_timeout

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout PTB adds to getUpdates' long-poll timeout."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Nothing to open: there is no connection pool."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Answer one request as Telegram's server would: (HTTP status, JSON payload)."""
        path = unquote(urlsplit(url).path)
        try:
            if method == "GET" and (match := _FILE_PATH.search(path)):
                return await self.fake.fetch_file(match["path"], token=match["token"])
            match = _API_PATH.search(path)
            if match is None:
                return 404, _NOT_FOUND
            params = request_data.json_parameters if request_data else {}
            status, body = await self.fake.handle(
                match["method"], params, _uploads(request_data), token=match["token"]
            )
        except SimulatedNetworkError as exc:
            # The wording HTTPXRequest uses, so logs and retries look like production's.
            raise NetworkError(f"httpx.ConnectError: {exc}") from exc
        return status, json.dumps(body).encode()


def _uploads(request_data: RequestData | None) -> dict[str, UploadedFile]:
    """Read the multipart parts PTB would upload, by part name."""
    if request_data is None or not request_data.contains_files:
        return {}
    uploads = {}
    for name, (filename, content, mime_type) in request_data.multipart_data.items():
        data = content if isinstance(content, bytes) else content.read()
        uploads[name] = UploadedFile(filename, data, mime_type)
    return uploads


__all__ = ["StubRequest"]
