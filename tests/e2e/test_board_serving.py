"""`dealbot run` serves the board: beside polling, and on the webhook's own server."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import replace

import httpx

from bot.fake_telegram import FakeTelegram, StubRequest
from bot.runtime.runner import serve
from tests.e2e.conftest import TOKEN


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def _get(url: str, **kwargs) -> httpx.Response | None:
    async with httpx.AsyncClient(trust_env=False) as client:
        try:
            return await client.get(url, **kwargs)
        except httpx.TransportError:
            return None


async def _until_served(url: str) -> httpx.Response:
    async with asyncio.timeout(20):
        while (response := await _get(url)) is None:  # noqa: ASYNC110 - a port has no event
            await asyncio.sleep(0.1)
    return response


async def test_polling_mode_starts_the_board_and_sets_the_menu_button(tmp_path, settings):
    port = _free_port()
    settings = replace(
        settings,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'poll.sqlite3'}",
        board_url="https://crm.example.com/board/",
        port=port,
    )
    fake = FakeTelegram(TOKEN)
    stop = asyncio.Event()
    task = asyncio.create_task(
        serve(settings, stop=stop, request=StubRequest(fake), get_updates_request=StubRequest(fake))
    )
    try:
        page = await _until_served(f"http://127.0.0.1:{port}/board/")
        assert page.status_code == 200
        api = await _get(f"http://127.0.0.1:{port}/board/api/board")
        assert api is not None and api.status_code == 401
    finally:
        stop.set()
        await task
    assert fake.calls_of("deleteWebhook")  # it polled
    button = fake.calls_of("setChatMenuButton")[-1].params["menu_button"]
    assert button["type"] == "web_app" and button["web_app"]["url"] == settings.board_url


async def test_the_webhook_and_the_board_share_one_server(tmp_path, settings):
    port = _free_port()
    settings = replace(
        settings,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'hook.sqlite3'}",
        webhook_url=f"http://127.0.0.1:{port}/hook",
        webhook_secret="s3cret",
        port=port,
    )
    fake = FakeTelegram(TOKEN)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, stop=stop, request=StubRequest(fake)))
    try:
        async with asyncio.timeout(20):
            while fake.webhook is None:  # noqa: ASYNC110 - the stand-in records, it has no event
                await asyncio.sleep(0.05)
        board = await _get(f"http://127.0.0.1:{port}/board/api/board")
        assert board is not None and board.status_code == 401
        page = await _get(f"http://127.0.0.1:{port}/board/")
        assert page is not None and page.status_code == 200
    finally:
        stop.set()
        await task
    assert fake.webhook["url"] == settings.webhook_url
