"""Nothing Telegram was told arrived is lost: a SIGKILLed `dealbot run` and a restart."""

from __future__ import annotations

import asyncio
import re
import socket

import httpx

from bot.fake_telegram import FakeTelegram
from bot.fake_telegram.http import SECRET_HEADER, TelegramHTTPServer
from tests.e2e.conftest import TOKEN
from tests.e2e.live_bot import LiveBot, answers, deal_count, deal_names, migrated_team, until

REPS = [301, 302, 303, 304, 305]
# A real `dealbot run` reads the machine's clock: a close date no test run will pass.
CLOSE = "31/12/2099"
# Saved answers: the deal card after "Deal saved.", or the note sent after a restart.
_NAME = re.compile(r"Deal \d+x\d+y")


def _fresh_url(backend, tmp_path, request):
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'live.sqlite3'}"
    return request.getfixturevalue("pg_database")(migrated=False)


def _saved_answers(fake: FakeTelegram) -> dict[str, int]:
    """How many answers told each deal's rep it was saved, by deal name."""
    told: dict[str, int] = {}
    for rep in REPS:
        for text in answers(fake, rep):
            if "saved" not in text:
                continue
            for name in set(_NAME.findall(text)):
                told[name] = told.get(name, 0) + 1
    return told


def _assert_each_answered_once(fake: FakeTelegram, expected: list[str]) -> None:
    """Every deal was answered; a second answer only for an update caught mid-answer.

    Telegram has no idempotent send: an answer that reached the chat just before the
    kill, before the bot could note it, is followed after the restart by the short
    "it was saved" note. Only the updates being answered at the kill (one per rep)
    can be in that moment, and a "Deal saved." is never repeated.
    """
    told = _saved_answers(fake)
    assert set(told) == set(expected)
    twice = [name for name, count in told.items() if count > 1]
    assert len(twice) <= len(REPS) and all(told[name] == 2 for name in twice), twice
    cards = [text for rep in REPS for text in answers(fake, rep) if "Deal saved." in text]
    assert len(cards) == len({_NAME.findall(text)[0] for text in cards})


def _command(fake: FakeTelegram, user_id: int, text: str) -> dict:
    """An update carrying ``text`` from ``user_id``, logged by the stand-in, not delivered."""
    user = fake.user(user_id, f"Rep {user_id}")
    entities = [{"type": "bot_command", "offset": 0, "length": text.index(" ")}]
    message = fake.add_message(
        fake.chats[user_id], {"text": text, "entities": entities}, sender=user.user
    )
    return fake.log_update({"message": message}, queue=False)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_a_kill_while_polling_loses_no_acknowledged_message(backend, tmp_path, request):
    url = _fresh_url(backend, tmp_path, request)
    await migrated_team(url, REPS)
    fake = FakeTelegram(TOKEN)
    expected = []
    for number in range(40):
        for rep_id in REPS:
            name = f"Deal {rep_id}x{number:02d}y"
            expected.append(name)
            await fake.user(rep_id, f"Rep {rep_id}").send(f"/new {name} 5tr {CLOSE}", via="queue")
    async with TelegramHTTPServer(fake) as server:
        bot = LiveBot(server.url, url, tmp_path)
        bot.start(TOKEN)
        try:
            # Killed a moment after it started answering, with most of the queue taken.
            await until(lambda: fake.calls_of("sendMessage"))
            await asyncio.sleep(0.7)
            bot.kill()
            taken = 200 - len(fake.pending_updates)
            bot.start(TOKEN)
            await until(lambda: len(_saved_answers(fake)) >= 200, patience=120)
            assert await bot.stop() == 0
        finally:
            if bot.process is not None and bot.process.poll() is None:
                bot.kill()
    assert taken > 10, "the first run had not taken the queue when it was killed"
    assert "left unfinished" in bot.log(), "the first run had finished before it was killed"
    assert sorted(await deal_names(url)) == sorted(expected)
    _assert_each_answered_once(fake, expected)


async def test_a_kill_after_webhook_answers_loses_no_acknowledged_message(
    backend, tmp_path, request
):
    url = _fresh_url(backend, tmp_path, request)
    await migrated_team(url, REPS)
    fake = FakeTelegram(TOKEN)
    port = _free_port()
    hook = f"http://127.0.0.1:{port}/hook"
    async with TelegramHTTPServer(fake) as server:
        bot = LiveBot(
            server.url,
            url,
            tmp_path,
            DEALBOT_WEBHOOK_URL=hook,
            DEALBOT_WEBHOOK_SECRET="s3cret",
            DEALBOT_LISTEN="127.0.0.1",
            DEALBOT_PORT=str(port),
        )
        bot.start(TOKEN)
        try:
            await until(lambda: fake.webhook is not None)
            expected, updates = [], []
            for number in range(20):
                for rep_id in REPS:
                    name = f"Deal {rep_id}x{number:02d}y"
                    expected.append(name)
                    updates.append(_command(fake, rep_id, f"/new {name} 5tr {CLOSE}"))
            headers = {SECRET_HEADER: "s3cret"}
            async with httpx.AsyncClient(trust_env=False, timeout=30) as client:
                answered = await asyncio.gather(
                    *(client.post(hook, json=update, headers=headers) for update in updates)
                )
            assert [response.status_code for response in answered] == [200] * 100
            bot.kill()
            bot.start(TOKEN)
            await until(lambda: len(fake.calls_of("setWebhook")) == 2)
            await until(lambda: len(_saved_answers(fake)) >= 100, patience=120)
            assert await bot.stop() == 0
        finally:
            if bot.process is not None and bot.process.poll() is None:
                bot.kill()
    assert "left unfinished" in bot.log(), "the first run had finished before it was killed"
    assert await deal_count(url) == 100
    _assert_each_answered_once(fake, expected)
