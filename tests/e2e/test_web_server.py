"""The bot's web server: the board's page, files and fonts; the webhook's checks and body
limit; and a stop that lets the requests being handled finish and leaves nothing running."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import fontpkg_sarabun
import httpx
import pytest
from telegram import Update

from bot.board.server import MAX_BODY, WebServer, build_web_app, deps_of
from bot.fake_telegram.http import SECRET_HEADER
from tests.e2e.conftest import TOKEN

SECRET = "s3cret"
UPDATE = {
    "update_id": 7,
    "message": {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}},
}


class _Sink:
    """Takes the webhook's updates; holds each ``put`` while ``release`` is clear."""

    def __init__(self) -> None:
        self.updates: list[Update] = []
        self.arrived = asyncio.Event()
        self.release = asyncio.Event()
        self.release.set()

    async def put(self, update: Update) -> None:
        self.arrived.set()
        await self.release.wait()
        self.updates.append(update)


@asynccontextmanager
async def _served(app, sink: _Sink) -> AsyncIterator[tuple[WebServer, httpx.AsyncClient]]:
    web_app = build_web_app(
        deps_of(app, TOKEN),
        application=app,
        webhook_path="/hook",
        webhook_secret=SECRET,
        queue=sink,
    )
    server = WebServer(web_app, "127.0.0.1", 0)
    await server.start()
    base = f"http://127.0.0.1:{server.port}"
    try:
        async with httpx.AsyncClient(base_url=base, trust_env=False) as client:
            yield server, client
    finally:
        await server.stop()


def _hook(client: httpx.AsyncClient, body: str, secret: str | bytes | None = SECRET):
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    return client.post("/hook", content=body, headers=headers)


async def test_the_page_its_files_and_only_the_two_fonts_are_served(app):
    async with _served(app, _Sink()) as (server, client):
        assert server.port != 0
        moved = await client.get("/board?tgWebAppStartParam=x")
        assert (moved.status_code, moved.headers["Location"]) == (
            302,
            "/board/?tgWebAppStartParam=x",
        )
        page = await client.get("/board/")
        assert page.status_code == 200 and "board.js" in page.text
        assert page.headers["Cache-Control"] == "no-store"
        assert (await client.get("/board/static/board.js")).status_code == 200
        assert (await client.get("/board/static/missing.js")).status_code == 404
        font = await client.get("/board/fonts/Sarabun-Bold.ttf")
        assert font.content == (fontpkg_sarabun.ROOT / "files" / "Sarabun-Bold.ttf").read_bytes()
        for other in ("Sarabun-Thin.ttf", "..%2F..%2Fstatic%2Findex.html"):
            assert (await client.get(f"/board/fonts/{other}")).status_code == 404


async def test_the_webhook_checks_the_secret_and_the_json(app):
    sink = _Sink()
    async with _served(app, sink) as (_, client):
        assert (await _hook(client, json.dumps(UPDATE), secret=None)).status_code == 403
        assert (await _hook(client, json.dumps(UPDATE), secret="nope")).status_code == 403
        # Header bytes outside ASCII are refused like any wrong secret, not a 500.
        odd = "sécret-ключ".encode()
        assert (await _hook(client, json.dumps(UPDATE), secret=odd)).status_code == 403
        assert (await _hook(client, "{not json")).status_code == 400
        assert sink.updates == []
        assert (await _hook(client, json.dumps(UPDATE))).status_code == 200
    assert [update.update_id for update in sink.updates] == [7]


async def test_the_webhook_answers_only_once_the_update_is_in_the_sink(app):
    sink = _Sink()
    sink.release.clear()
    async with _served(app, sink) as (_, client):
        answer = asyncio.create_task(_hook(client, json.dumps(UPDATE)))
        await asyncio.wait_for(sink.arrived.wait(), 5)
        await asyncio.sleep(0.2)
        assert not answer.done()
        sink.release.set()
        assert (await answer).status_code == 200
        assert len(sink.updates) == 1


async def test_a_body_over_two_mib_is_refused(app):
    sink = _Sink()
    text = json.dumps(UPDATE)
    async with _served(app, sink) as (_, client):
        fits = text + " " * (MAX_BODY - len(text))
        assert (await _hook(client, fits)).status_code == 200
        try:
            status = (await _hook(client, fits + " ")).status_code
        except httpx.TransportError:  # the server may close before the body is sent
            status = None
        assert status in (400, 413, None)
    assert len(sink.updates) == 1


async def test_stop_closes_the_port_and_lets_a_request_being_handled_finish(app):
    before = asyncio.all_tasks()
    sink = _Sink()
    sink.release.clear()
    async with _served(app, sink) as (server, client):
        answer = asyncio.create_task(_hook(client, json.dumps(UPDATE)))
        await asyncio.wait_for(sink.arrived.wait(), 5)
        stopping = asyncio.create_task(server.stop())
        await asyncio.sleep(0.1)
        with pytest.raises(OSError):
            await asyncio.open_connection("127.0.0.1", server.port)
        assert not stopping.done()  # it waits for the webhook's update to be stored
        sink.release.set()
        await stopping
        assert (await answer).status_code == 200
    assert len(sink.updates) == 1
    assert asyncio.all_tasks() - before == {asyncio.current_task()} - before
