"""The bot's web server: the board's page and API, and the Telegram webhook when one is set.

aiohttp serves them in the process that runs the Application, so the board and the
webhook reach the same storage services and the same bot (PTB documents running an
Application under a custom web server for exactly this).
"""

from __future__ import annotations

import hmac
import json
import logging
from importlib import resources
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from aiohttp import web
from telegram import MenuButtonWebApp, Update, WebAppInfo
from telegram.error import TelegramError
from telegram.ext import Application

from bot.board import api
from bot.board.api import DEPS, BoardDeps
from bot.config import Settings
from bot.delivery.ratelimit import retrying
from bot.i18n import translator

logger = logging.getLogger(__name__)

BOARD_PATH = "/board"
STATIC = Path(str(resources.files("bot.board") / "static"))
_NO_STORE = {"Cache-Control": "no-store"}


class UpdateSink(Protocol):
    """Where the webhook puts an update before it answers 200."""

    async def put(self, update: Update) -> None: ...


_FONTS = frozenset({"Sarabun-Regular.ttf", "Sarabun-Bold.ttf"})


async def _index(request: web.Request) -> web.StreamResponse:
    return web.FileResponse(STATIC / "index.html", headers=_NO_STORE)


async def _font(request: web.Request) -> web.StreamResponse:
    """Sarabun, the charts' font, for Thai text on machines without a Thai font."""
    import fontpkg_sarabun

    name = request.match_info["name"]
    if name not in _FONTS:
        raise web.HTTPNotFound()
    return web.FileResponse(fontpkg_sarabun.ROOT / "files" / name)


async def _to_index(request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound(
        BOARD_PATH + "/" + (f"?{request.query_string}" if request.query_string else "")
    )


def _webhook_handler(application: Application, secret: str | None, queue: UpdateSink):  # type: ignore[no-untyped-def]
    async def receive(request: web.Request) -> web.StreamResponse:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not secret or not hmac.compare_digest(given, secret):
            raise web.HTTPForbidden()
        try:
            update = Update.de_json(json.loads(await request.read()), application.bot)
        except (ValueError, TypeError, KeyError) as error:
            raise web.HTTPBadRequest() from error
        await queue.put(update)
        return web.Response()

    return receive


def build_web_app(
    deps: BoardDeps,
    *,
    application: Application | None = None,
    webhook_path: str | None = None,
    webhook_secret: str | None = None,
    queue: UpdateSink | None = None,
) -> web.Application:
    """The board under /board (page, static files, /board/api), plus the webhook route."""
    web_app = web.Application(client_max_size=2 * 1024 * 1024)
    web_app[DEPS] = deps
    web_app.add_routes(
        [
            web.get(BOARD_PATH, _to_index),
            web.get(BOARD_PATH + "/", _index),
            web.static(BOARD_PATH + "/static", STATIC),
            web.get(BOARD_PATH + "/fonts/{name}", _font),
            *api.routes(BOARD_PATH + "/api"),
        ]
    )
    if application is not None and webhook_path is not None:
        sink = queue if queue is not None else application.update_queue
        web_app.router.add_post(webhook_path, _webhook_handler(application, webhook_secret, sink))
    return web_app


class WebServer:
    """One aiohttp site on ``listen:port``; port 0 picks a free one."""

    def __init__(self, web_app: web.Application, listen: str, port: int) -> None:
        self._runner = web.AppRunner(web_app, access_log=None)
        self._listen = listen
        self._port = port
        self.port = port

    async def start(self) -> None:
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._listen, self._port)
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        if sockets:
            self.port = sockets[0].getsockname()[1]

    async def stop(self) -> None:
        await self._runner.cleanup()


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
