"""Running for real: restarts, redelivery, webhooks, flood answers, one leader, the CLI."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import subprocess
import sys
from dataclasses import replace

import httpx
import pytest

from bot.cli.console import run_console
from bot.fake_telegram import FakeTelegram, StubRequest
from bot.runtime.runner import serve
from storage.models import Lead
from tests.e2e.apps import serving
from tests.e2e.conftest import TOKEN
from tests.e2e.directory_helpers import only_row
from tests.e2e.people import rep_speaking, reply_to


async def test_a_crash_mid_flow_and_a_fresh_application_continue_the_draft(
    fake, make_app, seed, uow_factory
):
    await make_app()
    rep = await rep_speaking(fake)
    await rep.send("/lead")
    await rep.send("Nguyễn Văn An")
    assert "phone" in await reply_to(rep, "Cty ABC")
    # The first Application is dropped without stop(): nothing it held in memory survives.
    await make_app()
    assert "email" in await reply_to(rep, "0901 234 567")
    await rep.click("Skip")
    await rep.click("Skip")
    assert "Nguyễn Văn An" in rep.last_text() and "Cty ABC" in rep.last_text()
    await rep.click("Save")
    lead = await only_row(uow_factory, Lead)
    assert (lead.person_name, lead.company_name, lead.phone, lead.email) == (
        "Nguyễn Văn An",
        "Cty ABC",
        "+84901234567",  # E.164, the team's country, as from every other way in
        None,
    )


async def test_a_wrong_answer_is_explained_and_earlier_answers_are_kept(fake, app, seed):
    rep = await rep_speaking(fake)
    await rep.send("/lead")
    await rep.send("Bình <Boss> & Co")
    await rep.click("Skip")
    assert "does not look like a phone number" in await reply_to(rep, "call me maybe")
    await rep.click("Skip")
    await rep.click("Skip")
    await rep.click("Skip")
    # The stand-in refuses unescaped HTML, so reaching the card proves it was escaped.
    assert "Person: Bình <Boss> & Co" in rep.last_text()


async def test_a_retry_after_answer_is_retried_and_the_message_arrives_once(fake, app, seed):
    rep = fake.user(101, "An", language_code="en")
    fake.fail_next("sendMessage", "retry_after", retry_after=1)
    await rep.send("/help")
    delivered = [call for call in fake.calls_of("sendMessage", 101) if call.error is None]
    refused = [call for call in fake.calls_of("sendMessage", 101) if call.error is not None]
    assert len(delivered) == 1 and len(refused) == 1
    assert len(rep.messages) == 1


async def _wait_until(predicate):
    async with asyncio.timeout(10):
        while not predicate():  # noqa: ASYNC110 - polls a call recorder, which has no event
            await asyncio.sleep(0.05)


async def test_a_second_instance_on_the_same_database_does_not_poll(
    empty_database_url, settings, caplog
):
    settings = replace(settings, database_url=empty_database_url)
    first_fake, second_fake = FakeTelegram(TOKEN), FakeTelegram(TOKEN)
    first_stop, second_stop = asyncio.Event(), asyncio.Event()
    first = serving(first_fake, settings, first_stop)
    # Polling starts with deleteWebhook; getUpdates is recorded only when it returns.
    await _wait_until(lambda: first_fake.calls_of("deleteWebhook"))
    caplog.set_level(logging.WARNING, logger="bot.runtime.runner")
    second = serving(second_fake, settings, second_stop, poll_seconds=0.1)
    await _wait_until(lambda: "another dealbot instance" in caplog.text)
    await asyncio.sleep(0.5)
    assert second_fake.calls_of("deleteWebhook") == []
    assert second_fake.calls_of("getUpdates") == []
    first_stop.set()
    await first
    await _wait_until(lambda: second_fake.calls_of("deleteWebhook"))
    second_stop.set()
    await second


async def test_webhook_mode_refuses_a_missing_or_wrong_secret(tmp_path, settings, seed_free_port):
    url = f"http://127.0.0.1:{seed_free_port}/hook"
    settings = replace(
        settings,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'hook.sqlite3'}",
        webhook_url=url,
        webhook_secret="s3cret-token",
        listen="127.0.0.1",
        port=seed_free_port,
    )
    fake = FakeTelegram(TOKEN)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, stop=stop, request=StubRequest(fake)))
    await _wait_until(lambda: fake.webhook is not None)
    stranger = fake.user(4242, "Stranger", language_code="en")
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 4242, "type": "private", "first_name": "Stranger"},
            "from": stranger.user,
            "text": "hello",
        },
    }
    async with httpx.AsyncClient(trust_env=False) as client:
        missing = await client.post(url, json=update)
        wrong = await client.post(
            url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}
        )
        await asyncio.sleep(0.3)
        assert fake.calls_of("sendMessage") == []
        right = await client.post(
            url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
        )
    assert (missing.status_code, wrong.status_code, right.status_code) == (403, 403, 200)
    await _wait_until(lambda: fake.calls_of("sendMessage"))
    assert "only for members" in fake.calls_of("sendMessage")[0].params["text"]
    stop.set()
    await task


@pytest.fixture
def seed_free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_the_console_is_driven_through_standard_input(tmp_path, settings):
    settings = replace(settings, database_url=f"sqlite+aiosqlite:///{tmp_path / 'c.sqlite3'}")
    stdin = io.StringIO("/start\n/language en\n/lead\nLan Pham\n1\n/quit\n")
    stdout = io.StringIO()
    await run_console(settings, name="Admin", stdin=stdin, stdout=stdout)
    output = stdout.getvalue()
    assert "Hello, Admin!" in output or "Admin" in output
    assert "Which company does Lan Pham work for?" in output
    assert "[1] Skip  [2] Back  [3] Cancel" in output
    assert "Their phone number?" in output


def test_run_without_a_token_prints_one_line_naming_the_variable(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DEALBOT_")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env | {"PYTHONPATH": os.getcwd()},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "DEALBOT_TOKEN" in lines[0]
    assert "Traceback" not in result.stderr


async def test_the_console_shows_buttons_under_the_answer_they_belong_to(tmp_path, settings):
    settings = replace(settings, database_url=f"sqlite+aiosqlite:///{tmp_path / 'c.sqlite3'}")
    stdin = io.StringIO("/start\n/language en\n/settings\n/team\n2\n/quit\n")
    stdout = io.StringIO()
    await run_console(settings, name="Admin", stdin=stdin, stdout=stdout)
    answers = stdout.getvalue().split("\n> ")
    settings_answer = next(answer for answer in answers if "Your settings" in answer)
    team_answer = next(answer for answer in answers if "Your team's rules" in answer)
    assert "[1] Language" in settings_answer
    assert "[1]" not in team_answer  # /team has no buttons; the settings' stay usable
    assert "Which time zone are you in?" in stdout.getvalue()  # button 2 of /settings
