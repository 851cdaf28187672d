"""The FakeTelegram served over loopback HTTP, and a webhook poster, for real HTTP clients."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx
from tornado.httpserver import HTTPServer
from tornado.httputil import HTTPServerRequest
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from bot.fake_telegram.errors import SimulatedNetworkError
from bot.fake_telegram.records import UploadedFile
from bot.fake_telegram.server import FakeTelegram

LOOPBACK_HOSTS = frozenset(("127.0.0.1", "localhost", "::1"))
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def _require_loopback(host: str | None) -> None:
    # The stand-in and its webhooks must never reach beyond this machine.
    if host not in LOOPBACK_HOSTS:
        raise ValueError(f"only loopback addresses are allowed, not {host!r}")


class TelegramHTTPServer:
    """Serve ``fake`` at ``/bot<token>/<method>`` and ``/file/bot<token>/<path>`` on loopback.

    Point PTB at it with ``ApplicationBuilder().base_url(server.base_url)
    .base_file_url(server.base_file_url)``.
    """

    def __init__(self, fake: FakeTelegram, *, host: str = "127.0.0.1", port: int = 0) -> None:
        _require_loopback(host)
        self.fake = fake
        self.host = host
        self.port = port
        self._server: HTTPServer | None = None

    async def start(self) -> TelegramHTTPServer:
        """Listen (on an ephemeral port unless one was given) and return self."""
        routes = [
            (r"/bot([^/]+)/([A-Za-z0-9_]+)/?", _ApiHandler, {"fake": self.fake}),
            (r"/file/bot([^/]+)/(.+)", _FileHandler, {"fake": self.fake}),
        ]
        # Access logging per request would dominate a benchmark's profile.
        app = Application(routes, log_function=lambda handler: None)
        sockets = bind_sockets(self.port, self.host)
        self.port = sockets[0].getsockname()[1]
        self._server = HTTPServer(app)
        self._server.add_sockets(sockets)
        return self

    async def stop(self) -> None:
        """Stop listening and close open connections (ending pending long polls)."""
        if self._server is None:
            return
        self._server.stop()
        await self._server.close_all_connections()
        self._server = None

    async def __aenter__(self) -> TelegramHTTPServer:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        """Stop whether or not the block raised (what it raised goes on)."""
        await self.stop()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        """What PTB's ``base_url`` should be; PTB appends the token."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """What PTB's ``base_file_url`` should be; PTB appends the token."""
        return f"{self.url}/file/bot"

    def api_url(self, method: str, token: str | None = None) -> str:
        """The full URL of one Bot API method."""
        return f"{self.base_url}{token or self.fake.token}/{method}"


class _StubHandler(RequestHandler):
    """Shared plumbing: run the fake's answer as a task that a closed connection cancels."""

    def initialize(self, fake: FakeTelegram) -> None:
        self.fake = fake
        self._task: asyncio.Task[Any] | None = None
        self._gone = False

    def on_connection_close(self) -> None:
        # The client went away (or the server is stopping): stop waiting on its behalf.
        self._gone = True
        if self._task is not None and not self._task.done():
            self._task.cancel()

    async def _run(self, coroutine: Any) -> Any:
        self._task = asyncio.ensure_future(coroutine)
        try:
            return await self._task
        except SimulatedNetworkError:
            self.detach().close()  # the client sees the connection drop without an answer
            return None
        except asyncio.CancelledError:
            if not self._gone:
                raise
            return None  # nobody is left to answer


class _ApiHandler(_StubHandler):
    async def get(self, token: str, method: str) -> None:
        await self.post(token, method)

    async def post(self, token: str, method: str) -> None:
        try:
            params, files = _read_request(self.request)
        except ValueError:
            self.set_status(400)
            self.finish({"ok": False, "error_code": 400, "description": "Bad Request: bad JSON"})
            return
        answer = await self._run(self.fake.handle(method, params, files, token=token))
        if answer is None:
            return
        status, body = answer
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))


class _FileHandler(_StubHandler):
    async def get(self, token: str, file_path: str) -> None:
        answer = await self._run(self.fake.fetch_file(file_path, token=token))
        if answer is None:
            return
        status, body = answer
        self.set_status(status)
        content_type = "application/octet-stream" if status == 200 else "application/json"
        self.set_header("Content-Type", content_type)
        self.finish(body)


def _read_request(request: HTTPServerRequest) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """Read parameters from the query, a JSON body, a form or a multipart body, like Telegram."""
    params: dict[str, Any] = {k: v[-1].decode() for k, v in request.query_arguments.items()}
    content_type = request.headers.get("Content-Type", "")
    if content_type.startswith("application/json"):
        if request.body:
            body = json.loads(request.body)
            if not isinstance(body, dict):
                raise ValueError("the JSON body must be an object")
            params.update(body)
    else:
        params.update({k: v[-1].decode() for k, v in request.body_arguments.items()})
    files = {
        name: UploadedFile(parts[-1].filename, parts[-1].body, parts[-1].content_type)
        for name, parts in request.files.items()
    }
    return params, files


async def post_update(
    url: str,
    update: Mapping[str, Any],
    *,
    secret_token: str | None = None,
    client: httpx.AsyncClient | None = None,
) -> int:
    """POST an update to a bot's loopback webhook as Telegram does; return the HTTP status."""
    _require_loopback(urlsplit(url).hostname)
    headers = {"Content-Type": "application/json"}
    if secret_token:
        headers[SECRET_HEADER] = secret_token
    body = json.dumps(update)
    if client is not None:
        response = await client.post(url, content=body, headers=headers)
        return response.status_code
    # trust_env=False: a proxy from the environment must not see loopback traffic.
    async with httpx.AsyncClient(timeout=5.0, trust_env=False) as own:
        response = await own.post(url, content=body, headers=headers)
    return response.status_code


__all__ = ["LOOPBACK_HOSTS", "SECRET_HEADER", "TelegramHTTPServer", "post_update"]
