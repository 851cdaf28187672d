"""Helpers shared by the deal card and stage move tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from telegram import Update

from bot.fake_telegram.records import clone
from storage.models import AuditEntry, Opportunity, Stage, StageChange
from storage.opportunities import OpportunityInput, create_opportunity

# Monday 23 November 2026, 09:00 in Ho Chi Minh City.
NOW = datetime.fromisoformat("2026-11-23T02:00:00+00:00")
TODAY = date(2026, 11, 23)
GROUP_ID = -1001234567890
TRICKY_NAME = "A<b>&Co</b> > ERP & <script>"
LONG_THAI_NAME = ("ระบบบริหารงานขายสำหรับร้านค้าปลีก" * 10)[:200]


async def make_deal(uow_factory, actor, name="Acme ERP", **fields: Any) -> Opportunity:
    fields.setdefault("close_date", date(2026, 12, 31))
    fields.setdefault("amount", 50_000_000)
    async with uow_factory() as uow:
        return await create_opportunity(uow, actor, OpportunityInput(name=name, **fields))


async def load_deal(uow_factory, deal_id: int) -> Opportunity:
    async with uow_factory() as uow:
        return await uow.session.get(Opportunity, deal_id)


async def all_deals(uow_factory) -> list[Opportunity]:
    """Every deal in the database, oldest first."""
    async with uow_factory() as uow:
        statement = select(Opportunity).order_by(Opportunity.id)
        return list((await uow.session.execute(statement)).scalars())


async def stage_of(uow_factory, deal_id: int) -> Stage:
    async with uow_factory() as uow:
        deal = await uow.session.get(Opportunity, deal_id)
        return await uow.session.get(Stage, deal.stage_id)


async def stage_by_code(uow_factory, team_id: int, code: str) -> Stage:
    async with uow_factory() as uow:
        statement = select(Stage).where(Stage.team_id == team_id, Stage.code == code)
        return (await uow.session.execute(statement)).scalar_one()


async def moves_of(uow_factory, deal_id: int) -> list[StageChange]:
    async with uow_factory() as uow:
        statement = (
            select(StageChange)
            .where(StageChange.opportunity_id == deal_id)
            .order_by(StageChange.id)
        )
        return list((await uow.session.execute(statement)).scalars())


async def audit_of(uow_factory, deal_id: int) -> list[AuditEntry]:
    async with uow_factory() as uow:
        statement = (
            select(AuditEntry)
            .where(AuditEntry.entity == "opportunity", AuditEntry.entity_id == deal_id)
            .order_by(AuditEntry.id)
        )
        return list((await uow.session.execute(statement)).scalars())


async def speak(user, language: str) -> None:
    await user.send(f"/language {language}")


def add_group(fake, chat_id: int = GROUP_ID) -> None:
    fake.add_chat({"id": chat_id, "type": "supergroup", "title": "Saigon sales"})


async def send_in_group(fake, person, text: str, chat_id: int = GROUP_ID) -> None:
    """``person`` writes ``text`` in the group chat (a command gets its entity)."""
    fields: dict[str, Any] = {"text": text}
    if text.startswith("/"):
        fields["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    message = fake.add_message(fake.chats[chat_id], fields, sender=person.user)
    update = fake.log_update({"message": message}, queue=False)
    app = fake.application
    await app.process_update(Update.de_json(clone(update), app.bot))


def group_texts(fake, chat_id: int = GROUP_ID) -> list[str]:
    return [message.get("text", "") for message in fake.messages(chat_id)]


def button_data(fake) -> list[str]:
    """Every callback_data the bot ever sent or edited in, in any chat."""
    found = []
    for call in fake.calls:
        markup = call.params.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            found += [button["callback_data"] for button in row if "callback_data" in button]
    return found


def data_of_button(message: dict[str, Any], wanted: Callable[[dict[str, Any]], bool]) -> str:
    """The callback data of the first button of ``message`` that ``wanted`` accepts."""
    return next(
        button["callback_data"]
        for row in message["reply_markup"]["inline_keyboard"]
        for button in row
        if wanted(button)
    )


def refused_calls(fake) -> list[Any]:
    """Calls Telegram would have refused (bad HTML, a message too long, bad button data)."""
    return [call for call in fake.calls if call.error]


def last_button_data(user, label: str) -> str:
    """The callback data of the button labelled exactly ``label`` in the latest keyboard."""
    for message in reversed(user.messages):
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if label in button["text"]:
                    return button["callback_data"]
    raise AssertionError(f"no button {label!r}")
