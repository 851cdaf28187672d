"""The bot's web server: the board's page and API, and the Telegram webhook when one is set.

Tornado serves them in the process that runs the Application, so the board and the
webhook reach the same storage services and the same bot (PTB documents running an
Application under a custom web server for exactly this). PTB's webhook extra brings
Tornado into every bot process already, so the bot carries one web framework.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
from importlib import resources
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import fontpkg_sarabun
from telegram import Bot, MenuButtonWebApp, Update, WebAppInfo
from telegram.error import TelegramError
from telegram.ext import Application
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application as WebApp
from tornado.web import HTTPError, RedirectHandler, RequestHandler, StaticFileHandler

from bot.board import api
from bot.board.api import DEPS, BoardDeps
from bot.config import Settings
from bot.delivery.ratelimit import retrying
from bot.i18n import translator

logger = logging.getLogger(__name__)

BOARD_PATH = "/board"
STATIC = Path(str(resources.files("bot.board") / "static"))
MAX_BODY = 2 * 1024 * 1024
# How long stopping waits for the requests being handled before it cancels them.
STOP_SECONDS = 10.0

_FONTS = frozenset({"Sarabun-Regular.ttf", "Sarabun-Bold.ttf"})
# The web application's setting that holds the tasks of the requests being handled.
_HANDLING = "handling"


class UpdateSink(Protocol):
    """Where the webhook puts an update before it answers 200."""

    async def put(self, update: Update) -> None: ...


class _Tracked(RequestHandler):
    """Stopping the server lets the requests being handled here finish, and be answered."""

    def prepare(self) -> None:
        task = asyncio.current_task()
        if task is not None:
            handling: set[asyncio.Task[Any]] = self.settings[_HANDLING]
            handling.add(task)
            task.add_done_callback(handling.discard)


class _Api(_Tracked):
    """One API path: the answer for the request's method, or its refusal, as JSON."""

    def initialize(self, answers: dict[str, api.Answer]) -> None:
        self._answers = answers

    async def get(self, **_: str) -> None:
        await self._respond()

    async def post(self, **_: str) -> None:
        await self._respond()

    async def _respond(self) -> None:
        answer = self._answers.get(self.request.method or "")
        if answer is None:
            raise HTTPError(405)
        try:
            status, body = 200, await answer(self)
        except api.Refused as refused:
            status, body = refused.status, refused.body
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(api.json_text(body))


class _Webhook(_Tracked):
    """Telegram's POST of one update."""

    def initialize(self, bot: Bot, secret: str | None, sink: UpdateSink) -> None:
        self._bot = bot
        self._secret = secret
        self._sink = sink

    async def post(self) -> None:
        # Compared as bytes: compare_digest raises on str outside ASCII, which a forged
        # header may carry.
        given = self.request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        expected = (self._secret or "").encode()
        if not expected or not hmac.compare_digest(given.encode(), expected):
            raise HTTPError(403)
        try:
            update = Update.de_json(json.loads(self.request.body), self._bot)
        except (ValueError, TypeError, KeyError) as error:
            raise HTTPError(400) from error
        # The 200 goes out when this returns: Telegram forgets an update once it is
        # answered, so the sink (the durable inbox) must hold it by then.
        await self._sink.put(update)


class _Static(_Tracked, StaticFileHandler):
    """A file of the board's static folder (or of the fonts')."""


class _Page(_Static):
    """The page, never stored: Telegram's webview fetches it afresh each time the board opens."""

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-store")


class _Font(_Static):
    """Sarabun, the charts' font, for Thai text on machines without a Thai font."""

    async def get(self, path: str, include_body: bool = True) -> None:
        if path not in _FONTS:
            raise HTTPError(404)
        await super().get(path, include_body)


def build_web_app(
    deps: BoardDeps,
    *,
    application: Application | None = None,
    webhook_path: str | None = None,
    webhook_secret: str | None = None,
    queue: UpdateSink | None = None,
) -> WebApp:
    """The board under /board (page, static files, /board/api), plus the webhook route."""
    routes: list[Any] = [
        (BOARD_PATH, RedirectHandler, {"url": BOARD_PATH + "/", "permanent": False}),
        # The empty group is the static folder itself, served as its index.html.
        (BOARD_PATH + "/()", _Page, {"path": str(STATIC), "default_filename": "index.html"}),
        (BOARD_PATH + "/static/(.*)", _Static, {"path": str(STATIC)}),
        (BOARD_PATH + "/fonts/([^/]+)", _Font, {"path": str(fontpkg_sarabun.ROOT / "files")}),
        *((path, _Api, {"answers": answers}) for path, answers in api.routes(BOARD_PATH + "/api")),
    ]
    if application is not None and webhook_path is not None:
        sink = queue if queue is not None else application.update_queue
        kwargs = {"bot": application.bot, "secret": webhook_secret, "sink": sink}
        routes.append((re.escape(webhook_path), _Webhook, kwargs))
    # No access log: a line for every update and every board call would bury the bot's own.
    settings = {DEPS: deps, _HANDLING: set(), "log_function": lambda handler: None}
    return WebApp(routes, **settings)


class WebServer:
    """The web application served on ``listen:port``; port 0 picks a free one."""

    def __init__(self, web_app: WebApp, listen: str, port: int) -> None:
        self._web_app = web_app
        self._listen = listen
        self.port = port
        self._server: HTTPServer | None = None

    async def start(self) -> None:
        sockets = bind_sockets(self.port, self._listen)
        self.port = sockets[0].getsockname()[1]
        self._server = HTTPServer(self._web_app, max_body_size=MAX_BODY)
        self._server.add_sockets(sockets)

    async def stop(self) -> None:
        """Stop listening, let the requests being handled finish, then close every connection."""
        if self._server is None:
            return
        self._server.stop()
        handling: set[asyncio.Task[Any]] = self._web_app.settings[_HANDLING]
        if handling:
            await asyncio.wait(handling, timeout=STOP_SECONDS)
        await self._server.close_all_connections()
        # What is left (past the wait, or a request that came in on an open connection
        # meanwhile) is cancelled rather than left running against a stopping bot.
        for task in handling:
            task.cancel()
        await asyncio.gather(*handling, return_exceptions=True)
        self._server = None


def deps_of(application: Application, token: str) -> BoardDeps:
    data = application.bot_data
    settings: Settings = data.settings
    return BoardDeps(
        sessions=data.sessions,
        token=token,
        timezone=settings.timezone,
        language=settings.language,
        bot=application.bot,
    )


async def start_web_server(
    application: Application, settings: Settings, *, queue: UpdateSink | None = None
) -> WebServer | None:
    """Serve the board (when DEALBOT_BOARD_URL is set) and the webhook (when its URL is).

    ``queue`` receives each webhook update before the server answers 200 (default: the
    Application's own queue).

    Returns None when there is nothing to serve: polling without a board.
    """
    if not settings.webhook_url and not settings.board_url:
        return None
    webhook_path = None
    if settings.webhook_url:
        webhook_path = "/" + urlsplit(settings.webhook_url).path.strip("/")
    server = WebServer(
        build_web_app(
            deps_of(application, settings.token),
            application=application,
            webhook_path=webhook_path,
            webhook_secret=settings.webhook_secret,
            queue=queue,
        ),
        settings.listen,
        settings.port,
    )
    await server.start()
    logger.info("web server on %s:%s", settings.listen, server.port)
    if settings.webhook_url:
        await retrying(
            lambda: application.bot.set_webhook(
                settings.webhook_url,
                secret_token=settings.webhook_secret,
                allowed_updates=Update.ALL_TYPES,
            )
        )
        logger.info("listening for webhooks at %s", webhook_path)
    return server


async def set_board_menu_button(application: Application, board_url: str) -> None:
    """Give every private chat a menu button that opens the board."""
    t = translator(application.bot_data.settings.language)
    button = MenuButtonWebApp(t._("Board"), WebAppInfo(board_url))
    try:
        await application.bot.set_chat_menu_button(menu_button=button)
    except TelegramError as error:
        logger.warning("could not set the board's menu button: %s", error)
