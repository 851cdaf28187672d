"""A simulated user drives a real PTB Application through the Bot API stand-in."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, Update
from telegram import ReplyKeyboardMarkup as ReplyKeyboard
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot.fake_telegram import FakeTelegram, StubRequest
from bot.fake_telegram.http import TelegramHTTPServer, post_update

TOKEN = "123:ABC"
Context = ContextTypes.DEFAULT_TYPE


@pytest.fixture(autouse=True)
def _timedelta_periods(monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB 22 warns whenever a time period is read as an int; opt in to timedeltas.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


async def start(update: Update, context: Context) -> None:
    """Greet with the command's arguments and a stage picker."""
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Proposal", callback_data="stage:3"),
                InlineKeyboardButton("Closed won", callback_data="stage:5"),
                InlineKeyboardButton("Closed lost", callback_data="stage:6"),
            ],
            [InlineKeyboardButton("Help", url="https://example.com/help")],
        ]
    )
    args = " ".join(context.args or [])
    await update.effective_message.reply_text(f"Welcome ({args})", reply_markup=keyboard)


async def chose_stage(update: Update, context: Context) -> None:
    """Acknowledge the press and show the chosen stage in place of the picker."""
    query = update.callback_query
    await query.answer(f"Moved to {query.data}")
    await query.edit_message_text(f"Stage is {query.data}")


async def received_document(update: Update, context: Context) -> None:
    """Download the document and say what it held."""
    file = await update.message.document.get_file()
    content = bytes(await file.download_as_bytearray())
    await update.message.reply_text(f"{update.message.document.file_name}: {content.decode()}")


async def received_contact(update: Update, context: Context) -> None:
    """Say whose number arrived."""
    contact = update.message.contact
    await update.message.reply_text(f"{contact.first_name} {contact.phone_number}")


async def ask_phone(update: Update, context: Context) -> None:
    """Offer the button that shares the user's own number."""
    button = KeyboardButton("Share my number", request_contact=True)
    await update.message.reply_text("Your phone?", reply_markup=ReplyKeyboard([[button]]))


async def echo(update: Update, context: Context) -> None:
    """Repeat the text, with the user's language, and count the update ids seen."""
    context.bot_data.setdefault("seen", []).append(update.update_id)
    user = update.effective_user
    await update.message.reply_text(f"{update.message.text} [{user.language_code}]")


def build_app(fake: FakeTelegram) -> Application[Any, Any, Any, Any, Any, Any]:
    """A bare PTB Application whose network is the stand-in."""
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .request(StubRequest(fake))
        .get_updates_request(StubRequest(fake))
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("phone", ask_phone))
    app.add_handler(CallbackQueryHandler(chose_stage, pattern=r"^stage:"))
    app.add_handler(MessageHandler(filters.Document.ALL, received_document))
    app.add_handler(MessageHandler(filters.CONTACT, received_contact))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return app


@pytest.fixture
def fake() -> FakeTelegram:
    return FakeTelegram(TOKEN)


@pytest.fixture
async def app(fake: FakeTelegram) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    application = build_app(fake)
    fake.attach(application)
    await application.initialize()
    await application.start()
    try:
        yield application
    finally:
        if application.updater and application.updater.running:
            await application.updater.stop()
        await application.stop()
        await application.shutdown()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_an_echo_application_answers_a_sim_user(app: Application, fake: FakeTelegram) -> None:
    lan = fake.user(1001, "Lan", "vi")

    await lan.send("Xin chào")

    assert lan.last_text() == "Xin chào [vi]"
    assert lan.last_message()["chat"]["id"] == lan.chat_id
    assert [c.method for c in fake.calls_of(chat_id=lan.chat_id)] == ["sendMessage"]


async def test_a_command_carries_a_bot_command_entity_and_its_arguments(
    app: Application, fake: FakeTelegram
) -> None:
    somchai = fake.user(1002, "Somchai", "th")

    update = await somchai.send("/start abc")

    entity = update["message"]["entities"][0]
    assert (entity["type"], entity["offset"], entity["length"]) == ("bot_command", 0, 6)
    assert somchai.last_text() == "Welcome (abc)"
    assert somchai.keyboard() == [["Proposal", "Closed won", "Closed lost"], ["Help"]]


async def test_clicking_a_button_by_label_triggers_the_callback_query_handler(
    app: Application, fake: FakeTelegram
) -> None:
    lan = fake.user(1001, "Lan", "vi")
    await lan.send("/start")
    mark = lan.mark()

    answer = await lan.click("Proposal")

    assert answer is not None and answer["text"] == "Moved to stage:3"
    assert lan.texts_since(mark) == ["Stage is stage:3"]
    assert lan.buttons() == [], "editing the text without a keyboard removed it"
    assert len(lan.messages) == 1, "the card was edited in place"


async def test_a_button_is_found_by_a_unique_part_of_its_label(
    app: Application, fake: FakeTelegram
) -> None:
    lan = fake.user(1001, "Lan", "vi")
    await lan.send("/start")

    await lan.click("won")
    assert lan.last_text() == "Stage is stage:5"


async def test_a_missing_or_ambiguous_label_fails_with_the_labels_listed(
    app: Application, fake: FakeTelegram
) -> None:
    lan = fake.user(1001, "Lan", "vi")
    with pytest.raises(AssertionError, match="has an inline keyboard"):
        await lan.click("Proposal")
    await lan.send("/start")

    with pytest.raises(AssertionError, match=r"no button 'Negotiation'.*'Proposal'"):
        await lan.click("Negotiation")
    with pytest.raises(AssertionError, match="matches several buttons"):
        await lan.click("Closed")
    with pytest.raises(AssertionError, match="not a callback button"):
        await lan.click("Help")


async def test_forged_button_data_reaches_the_handler(app: Application, fake: FakeTelegram) -> None:
    lan = fake.user(1001, "Lan", "vi")
    await lan.send("/start")
    card = lan.last_message()["message_id"]

    await lan.click_data(card, "stage:999")

    assert lan.last_text() == "Stage is stage:999"


async def test_delivering_an_update_again_keeps_its_update_id(
    app: Application, fake: FakeTelegram
) -> None:
    lan = fake.user(1001, "Lan", "vi")
    update = await lan.send("Acme ERP 50tr")

    await lan.deliver_again()

    assert app.bot_data["seen"] == [update["update_id"], update["update_id"]]
    assert [u["update_id"] for u in fake.update_log] == [update["update_id"]] * 2


async def test_a_document_sent_by_the_user_can_be_downloaded_by_the_bot(
    app: Application, fake: FakeTelegram
) -> None:
    lan = fake.user(1001, "Lan", "vi")

    await lan.send_document("deals.csv", b"name,amount\nAcme,5", "text/csv")

    assert lan.last_text() == "deals.csv: name,amount\nAcme,5"
    assert [c.method for c in fake.calls if c.method in ("getFile", "downloadFile")] == [
        "getFile",
        "downloadFile",
    ]


async def test_a_shared_contact_reaches_the_contact_handler(
    app: Application, fake: FakeTelegram
) -> None:
    lan = fake.user(1001, "Lan", "vi")
    await lan.send("/phone")
    assert lan.reply_keyboard() == [["Share my number"]]

    await lan.send_contact("+84901234567", "Lan", user_id=lan.id)

    assert lan.last_text() == "Lan +84901234567"


async def test_polling_through_get_updates_works_end_to_end(
    app: Application, fake: FakeTelegram
) -> None:
    lan = fake.user(1001, "Lan", "vi")
    somchai = fake.user(1002, "Somchai", "th")
    await app.updater.start_polling(poll_interval=0)

    await lan.send("first", via="queue")
    await fake.wait_for_reply(lan.chat_id, timeout=5)
    await somchai.send("second", via="queue")
    await somchai.wait_for_reply(timeout=5)

    assert lan.last_text() == "first [vi]"
    assert somchai.last_text() == "second [th]"
    await app.updater.stop()
    assert fake.pending_updates == [], "stopping acknowledged what was fetched"


async def test_polling_works_over_loopback_http_too(fake: FakeTelegram) -> None:
    lan = fake.user(1001, "Lan", "vi")
    async with TelegramHTTPServer(fake) as server:
        app = (
            ApplicationBuilder()
            .token(TOKEN)
            .base_url(server.base_url)
            .base_file_url(server.base_file_url)
            .request(HTTPXRequest(httpx_kwargs={"trust_env": False}))
            .get_updates_request(HTTPXRequest(httpx_kwargs={"trust_env": False}))
            .build()
        )
        app.add_handler(MessageHandler(filters.TEXT, echo))
        async with app:
            await app.start()
            await app.updater.start_polling(poll_interval=0)
            await lan.send("over http", via="queue")
            await lan.wait_for_reply(timeout=5)
            await app.updater.stop()
            await app.stop()

    assert lan.last_text() == "over http [vi]"
    assert all(call.error is None for call in fake.calls)


async def test_waiting_for_a_reply_that_never_comes_fails_clearly(
    app: Application, fake: FakeTelegram
) -> None:
    lan = fake.user(1001, "Lan", "vi")
    await lan.send("nobody polls", via="queue")
    with pytest.raises(AssertionError, match="did not answer chat 1001"):
        await lan.wait_for_reply(timeout=0.05)


async def test_webhook_delivery_carries_the_secret_token(
    app: Application, fake: FakeTelegram
) -> None:
    lan = fake.user(1001, "Lan", "vi")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/hook"
    await app.updater.start_webhook(
        listen="127.0.0.1", port=port, url_path="hook", secret_token="s3cret", webhook_url=url
    )
    assert fake.webhook == {"url": url, "secret_token": "s3cret", "allowed_updates": None}

    await lan.send("over the webhook", via="webhook")
    await lan.wait_for_reply(timeout=5)
    forged = await post_update(url, {"update_id": 1}, secret_token="wrong")

    assert lan.last_text() == "over the webhook [vi]"
    assert forged == 403
