"""`dealbot board --demo`: a fresh database, a local server and a signed link that works."""

from __future__ import annotations

import asyncio
import io
from dataclasses import replace
from urllib.parse import unquote, urlsplit

import httpx
import pytest

from bot.board.local import run_board
from bot.config import ConfigError, load_settings


async def test_dealbot_board_demo_serves_the_demo_team_through_the_printed_link(tmp_path, settings):
    settings = replace(
        settings, database_url=f"sqlite+aiosqlite:///{tmp_path / 'board.sqlite3'}", token=""
    )
    stop = asyncio.Event()
    stdout = io.StringIO()
    task = asyncio.create_task(
        run_board(settings, name="Linh Tran", port=0, demo=True, stop=stop, stdout=stdout)
    )
    for _ in range(600):
        if "#tgWebAppData=" in stdout.getvalue() or task.done():
            break
        await asyncio.sleep(0.05)
    link = stdout.getvalue().splitlines()[-1]
    parts = urlsplit(link)
    init_data = unquote(parts.fragment.removeprefix("tgWebAppData="))
    base = f"{parts.scheme}://{parts.netloc}"
    try:
        async with httpx.AsyncClient(base_url=base, trust_env=False) as client:
            page = await client.get(parts.path)
            board = await client.get(
                "/board/api/board", headers={"Authorization": f"tma {init_data}"}
            )
            unsigned = await client.get("/board/api/board")
            script = await client.get("/board/static/board.js")
    finally:
        stop.set()
        await task
    assert page.status_code == 200 and "board.js" in page.text
    assert "telegram.org" not in page.text  # loaded by the script only inside Telegram
    assert script.status_code == 200
    assert unsigned.status_code == 401
    assert board.status_code == 200
    body = board.json()
    assert body["me"]["manager"] is True
    assert len(body["columns"]) == 6 and len(body["cards"]) > 10


def test_the_board_url_must_be_https(monkeypatch):
    monkeypatch.setenv("DEALBOT_BOARD_URL", "http://crm.example.com/board/")
    with pytest.raises(ConfigError, match="DEALBOT_BOARD_URL"):
        load_settings(require_token=False, dotenv=False)
    monkeypatch.setenv("DEALBOT_BOARD_URL", "https://crm.example.com/board/")
    assert load_settings(require_token=False, dotenv=False).board_url == (
        "https://crm.example.com/board/"
    )
