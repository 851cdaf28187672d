"""The Bot API stand-in answers python-telegram-bot the way Telegram does, refusals included."""

from __future__ import annotations

import datetime as dt
import re
import struct
import zlib
from collections.abc import AsyncIterator
from contextlib import AbstractContextManager
from typing import Any

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.request import HTTPXRequest

from bot.fake_telegram import FakeTelegram, FloodLimits, StubRequest
from bot.fake_telegram.http import TelegramHTTPServer, post_update
from bot.fake_telegram.markup import parse_html

TOKEN = "123:ABC"
CHAT = 4242


@pytest.fixture(autouse=True)
def _timedelta_periods(monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB 22 warns whenever RetryAfter reads its period as an int; opt in to timedeltas.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
def fake() -> FakeTelegram:
    telegram = FakeTelegram(TOKEN)
    telegram.user(CHAT, "Lan", "vi")
    return telegram


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, request=StubRequest(fake), get_updates_request=StubRequest(fake)) as b:
        yield b


def refused(error: type[Exception], description: str) -> AbstractContextManager[Any]:
    """Expect ``error`` with Telegram's description (PTB re-capitalizes it, so ignore case)."""
    return pytest.raises(error, match=re.compile(re.escape(description), re.IGNORECASE))


def _png(width: int = 2, height: int = 1) -> bytes:
    """A tiny valid PNG, so sendPhoto has a real image to accept."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


async def test_get_me_answers_with_the_stand_ins_bot_user(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123, "dealbot_test_bot", True)


async def test_a_sent_message_is_stored_and_every_call_is_recorded(
    bot: Bot, fake: FakeTelegram
) -> None:
    sent = await bot.send_message(CHAT, "Xin chào")

    assert sent.text == "Xin chào" and sent.chat.id == CHAT and sent.from_user.id == 123
    assert fake.messages(CHAT)[-1]["text"] == "Xin chào"
    call = fake.calls_of("sendMessage")[-1]
    assert (call.params["text"], call.chat_id, call.error) == ("Xin chào", CHAT, None)
    assert fake.calls_of("getMe"), "Bot.initialize asks getMe first"


async def test_a_message_longer_than_4096_characters_is_refused(bot: Bot) -> None:
    with refused(BadRequest, "message is too long"):
        await bot.send_message(CHAT, "a" * 4097)


async def test_the_4096_character_limit_counts_text_after_html_parsing(bot: Bot) -> None:
    sent = await bot.send_message(CHAT, "<b>" + "ก" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    assert len(sent.text) == 4096
    assert sent.entities[0].type == "bold"


async def test_an_empty_message_is_refused(bot: Bot) -> None:
    with refused(BadRequest, "message text is empty"):
        await bot.send_message(CHAT, "<b> </b>", parse_mode=ParseMode.HTML)


@pytest.mark.parametrize(
    "text",
    [
        "<b>unclosed",
        "<div>not a Telegram tag</div>",
        "1 < 2",
        "Tom & Jerry",
        "<b>crossed</i>",
        "<span>needs the spoiler class</span>",
        "line<br/>break",
    ],
)
async def test_html_that_telegram_cannot_parse_is_refused(bot: Bot, text: str) -> None:
    with refused(BadRequest, "can't parse entities"):
        await bot.send_message(CHAT, text, parse_mode=ParseMode.HTML)


async def test_telegrams_html_subset_becomes_entities(bot: Bot) -> None:
    text = (
        '<b>Acme</b> &amp; <i>Co</i> <a href="https://example.com/?a=1&amp;b=2">link</a> '
        '<tg-spoiler>x</tg-spoiler> <span class="tg-spoiler">y</span> &lt;3 &#127881;'
        '<pre><code class="language-python">print()</code></pre><blockquote>q</blockquote>'
    )
    sent = await bot.send_message(CHAT, text, parse_mode=ParseMode.HTML)

    assert sent.text.startswith("Acme & Co link x y <3 🎉print()")
    kinds = [(e.type, sent.parse_entity(e)) for e in sent.entities]
    assert ("bold", "Acme") in kinds and ("italic", "Co") in kinds
    assert ("text_link", "link") in kinds and ("pre", "print()") in kinds
    assert [e.url for e in sent.entities if e.url] == ["https://example.com/?a=1&b=2"]
    assert [e.language for e in sent.entities if e.type == "pre"] == ["python"]


def test_entity_offsets_are_counted_in_utf16_code_units() -> None:
    text, entities = parse_html("🎉 <b>Thái</b>")
    assert text == "🎉 Thái"
    assert entities == [{"type": "bold", "offset": 3, "length": 4}]


async def test_callback_data_of_65_bytes_is_refused(bot: Bot) -> None:
    button = InlineKeyboardButton("Too long", callback_data="x" * 65)
    with refused(BadRequest, "BUTTON_DATA_INVALID"):
        await bot.send_message(CHAT, "Pick", reply_markup=InlineKeyboardMarkup([[button]]))


async def test_callback_data_is_measured_in_utf8_bytes(bot: Bot) -> None:
    thai = "ก" * 21  # 63 bytes: fits; one more character is 66 bytes
    ok = InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data=thai)]])
    assert (await bot.send_message(CHAT, "Pick", reply_markup=ok)).reply_markup == ok
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("no", callback_data=thai + "ก")]])
    with refused(BadRequest, "BUTTON_DATA_INVALID"):
        await bot.send_message(CHAT, "Pick", reply_markup=too_long)


async def test_editing_a_message_that_does_not_exist_is_refused(bot: Bot) -> None:
    with refused(BadRequest, "message to edit not found"):
        await bot.edit_message_text("new", chat_id=CHAT, message_id=999)


async def test_editing_with_identical_content_is_refused_as_not_modified(bot: Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Save", callback_data="s")]])
    sent = await bot.send_message(CHAT, "Card", reply_markup=markup)

    with refused(BadRequest, "message is not modified"):
        await bot.edit_message_text("Card", chat_id=CHAT, message_id=sent.id, reply_markup=markup)
    with refused(BadRequest, "message is not modified"):
        await bot.edit_message_reply_markup(CHAT, sent.id, reply_markup=markup)


async def test_editing_text_without_a_keyboard_removes_the_keyboard(
    bot: Bot, fake: FakeTelegram
) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Save", callback_data="s")]])
    sent = await bot.send_message(CHAT, "Card", reply_markup=markup)

    edited = await bot.edit_message_text("Saved", chat_id=CHAT, message_id=sent.id)

    assert edited.text == "Saved" and edited.reply_markup is None and edited.edit_date
    assert "reply_markup" not in fake.messages(CHAT)[-1]


async def test_deleting_a_message_twice_is_refused(bot: Bot, fake: FakeTelegram) -> None:
    sent = await bot.send_message(CHAT, "Temporary")
    assert await bot.delete_message(CHAT, sent.id)
    assert fake.messages(CHAT) == []
    with refused(BadRequest, "message to delete not found"):
        await bot.delete_message(CHAT, sent.id)


async def test_sending_to_an_unknown_chat_is_refused(bot: Bot) -> None:
    with refused(BadRequest, "chat not found"):
        await bot.send_message(999, "hello")


async def test_a_429_from_fail_next_surfaces_as_retry_after(bot: Bot, fake: FakeTelegram) -> None:
    fake.fail_next("sendMessage", "retry_after", retry_after=3)

    with pytest.raises(RetryAfter) as refused:
        await bot.send_message(CHAT, "digest")

    assert refused.value.retry_after == dt.timedelta(seconds=3)
    assert fake.calls[-1].error == "Too Many Requests: retry after 3"
    assert fake.messages(CHAT) == []
    assert (await bot.send_message(CHAT, "digest")).text == "digest", "only the next call fails"


async def test_a_blocked_user_surfaces_as_forbidden(bot: Bot, fake: FakeTelegram) -> None:
    fake.fail_next("sendMessage", "blocked")
    with refused(Forbidden, "bot was blocked by the user"):
        await bot.send_message(CHAT, "hello")

    fake.block(CHAT)
    with refused(Forbidden, "bot was blocked by the user"):
        await bot.send_message(CHAT, "hello again")


async def test_a_network_fault_surfaces_as_network_error(bot: Bot, fake: FakeTelegram) -> None:
    fake.fail_next("sendMessage", "network")
    with pytest.raises(NetworkError):
        await bot.send_message(CHAT, "lost")
    assert fake.messages(CHAT) == []


async def test_a_lost_response_raises_although_the_message_was_sent(
    bot: Bot, fake: FakeTelegram
) -> None:
    fake.fail_next("sendMessage", "lost_response")
    with pytest.raises(NetworkError):
        await bot.send_message(CHAT, "sent twice if retried blindly")
    assert [m["text"] for m in fake.messages(CHAT)] == ["sent twice if retried blindly"]


async def test_every_nth_fails_one_call_in_n(bot: Bot, fake: FakeTelegram) -> None:
    policy = fake.every_nth("sendMessage", 5, "retry_after")
    refused = []
    for number in range(1, 11):
        try:
            await bot.send_message(CHAT, str(number))
        except RetryAfter:
            refused.append(number)
    assert refused == [5, 10]

    policy.cancel()
    await bot.send_message(CHAT, "after cancel")
    assert len(fake.messages(CHAT)) == 9


async def test_a_wrong_token_is_refused_as_unauthorized(fake: FakeTelegram) -> None:
    bot = Bot("999:WRONG", request=StubRequest(fake), get_updates_request=StubRequest(fake))
    with pytest.raises(InvalidToken):
        await bot.initialize()
    await bot.shutdown()


async def test_flood_limits_are_recorded_with_timestamps_and_can_answer_429(
    bot: Bot, fake: FakeTelegram
) -> None:
    meter = fake.check_flood_limits(FloodLimits(per_second=3, respond_429=True))
    for number in range(3):
        await bot.send_message(CHAT, str(number))
    with pytest.raises(RetryAfter):
        await bot.send_message(CHAT, "one too many")

    assert [v.rule for v in meter.violations] == ["per_second"]
    times = [call.at for call in fake.calls_of("sendMessage")]
    assert times == sorted(times) and times[-1] - times[0] < 1.0


async def test_commands_are_stored_per_language(bot: Bot, fake: FakeTelegram) -> None:
    await bot.set_my_commands([("new", "Tạo cơ hội")], language_code="vi")
    await bot.set_my_commands([("new", "Create a deal")])

    assert [c.description for c in await bot.get_my_commands(language_code="vi")] == ["Tạo cơ hội"]
    assert [c.description for c in await bot.get_my_commands()] == ["Create a deal"]
    with refused(BadRequest, "BOT_COMMAND_INVALID"):
        await bot.set_my_commands([("New Deal", "spaces and capitals are refused")])


async def test_an_uploaded_document_round_trips_through_get_file(bot: Bot) -> None:
    content = b"name,amount\nAcme ERP,50000000\n"
    sent = await bot.send_document(
        CHAT, content, filename="deals.csv", caption="<b>Export</b>", parse_mode=ParseMode.HTML
    )

    assert (sent.document.file_name, sent.caption) == ("deals.csv", "Export")
    file = await bot.get_file(sent.document.file_id)
    assert file.file_path.endswith(".csv")
    assert bytes(await file.download_as_bytearray()) == content


async def test_a_photo_must_be_an_image(bot: Bot) -> None:
    sent = await bot.send_photo(CHAT, _png(3, 2), caption="Pipeline")
    assert (sent.photo[-1].width, sent.photo[-1].height) == (3, 2)
    with refused(BadRequest, "IMAGE_PROCESS_FAILED"):
        await bot.send_photo(CHAT, b"not an image")


async def test_an_unknown_file_id_is_refused(bot: Bot) -> None:
    with refused(BadRequest, "wrong file identifier"):
        await bot.send_document(CHAT, "no-such-file-id")


async def test_get_updates_hands_out_queued_updates_until_acknowledged(
    bot: Bot, fake: FakeTelegram
) -> None:
    user = fake.user(CHAT, "Lan")
    first = await user.send("one", via="queue")
    second = await user.send("two", via="queue")

    updates = await bot.get_updates(timeout=0)
    assert [u.update_id for u in updates] == [first["update_id"], second["update_id"]]
    assert [u.message.text for u in updates] == ["one", "two"]
    assert await bot.get_updates(offset=second["update_id"] + 1, timeout=0) == ()
    assert fake.pending_updates == []


async def test_get_updates_is_refused_while_a_webhook_is_set(bot: Bot) -> None:
    await bot.set_webhook("http://127.0.0.1:9/hook", secret_token="s3cret")
    with pytest.raises(Exception, match="webhook is active"):
        await bot.get_updates(timeout=0)
    await bot.delete_webhook()
    assert await bot.get_updates(timeout=0) == ()


async def test_the_http_server_answers_a_real_httpx_post(fake: FakeTelegram) -> None:
    async with (
        TelegramHTTPServer(fake) as server,
        httpx.AsyncClient(trust_env=False) as client,
    ):
        assert server.url.startswith("http://127.0.0.1:")
        url = server.api_url("sendMessage")
        answer = await client.post(
            url, json={"chat_id": CHAT, "text": "<b>hi</b>", "parse_mode": "HTML"}
        )
        form = await client.post(
            url, data={"chat_id": str(CHAT), "text": "<b>oops", "parse_mode": "HTML"}
        )
        wrong_token = await client.post(server.api_url("getMe", token="1:X"))

    assert answer.status_code == 200
    assert answer.json()["result"]["text"] == "hi"
    assert answer.json()["result"]["entities"] == [{"type": "bold", "offset": 0, "length": 2}]
    assert form.status_code == 400 and form.json()["ok"] is False
    assert form.json()["description"].startswith("Bad Request: can't parse entities")
    assert wrong_token.status_code == 401


async def test_ptb_talks_to_the_loopback_server_over_real_http(fake: FakeTelegram) -> None:
    async with TelegramHTTPServer(fake) as server:
        bot = Bot(
            TOKEN,
            base_url=server.base_url,
            base_file_url=server.base_file_url,
            request=HTTPXRequest(httpx_kwargs={"trust_env": False}),
        )
        async with bot:
            sent = await bot.send_document(CHAT, b"\x00\x01binary", filename="a.bin")
            file = await bot.get_file(sent.document.file_id)
            assert bytes(await file.download_as_bytearray()) == b"\x00\x01binary"

            fake.fail_next("sendMessage", "retry_after", retry_after=2)
            with pytest.raises(RetryAfter):
                await bot.send_message(CHAT, "flood")
            fake.fail_next("sendMessage", "network")
            with pytest.raises(NetworkError):
                await bot.send_message(CHAT, "dropped")
            assert (await bot.send_message(CHAT, "fine")).text == "fine"


async def test_updates_are_only_posted_to_loopback_webhooks() -> None:
    with pytest.raises(ValueError, match="loopback"):
        await post_update("https://example.com/hook", {"update_id": 1})


async def test_a_web_app_menu_button_needs_an_https_url(bot: Bot, fake: FakeTelegram) -> None:
    from telegram import MenuButtonWebApp, WebAppInfo

    url = "https://crm.example.com/board/"
    assert await bot.set_chat_menu_button(menu_button=MenuButtonWebApp("Board", WebAppInfo(url)))
    button = await bot.get_chat_menu_button(chat_id=CHAT)
    assert isinstance(button, MenuButtonWebApp) and button.web_app.url == url
    with pytest.raises(BadRequest):
        await bot.set_chat_menu_button(
            menu_button=MenuButtonWebApp("Board", WebAppInfo("http://crm.example.com/"))
        )
