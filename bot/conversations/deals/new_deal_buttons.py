"""What a button of the guided deal form does: every id it names is checked in storage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from telegram import InlineKeyboardMarkup

from bot.context import BotContext
from bot.conversations.deals.form_view import EDITABLE, fields_keyboard
from bot.conversations.deals.new_deal_answers import Problem, use_buttons
from bot.conversations.deals.new_deal_steps import (
    EDITING,
    OPTIONAL,
    PRODUCT,
    QUERY,
    SEARCHED,
    Step,
    cleared,
    preceding,
)
from bot.invalid import explain
from storage import validation
from storage.deal_form import get_campaign, get_product, team_source, team_stage
from storage.directory import get_account, get_contact
from storage.drafts import NONCE
from storage.errors import InvalidInput, NotFound
from storage.models import DealType, Rating

_FIELD_OF_TABLE = {
    "accounts": "account",
    "contacts": "contact",
    "campaigns": "campaign",
    "products": "product",
    "sources": "source",
    "stages": "stage",
}
_SEARCH_FIELD = {Step.ACCOUNT: "account", Step.CONTACT: "contact", Step.CAMPAIGN: "campaign"}


@dataclass
class Choice:
    """What a pressed button decided.

    ``changes`` go into the draft; ``go_to`` is the next question (None: the one that
    follows); ``fields_menu`` is a message to send instead (text and keyboard).
    """

    changes: dict[str, Any] = field(default_factory=dict)
    go_to: Step | None = None
    fields_menu: tuple[str, InlineKeyboardMarkup] | None = None


async def chose(
    context: BotContext, data: dict[str, Any], step: Step, action: str, args: list[str]
) -> Choice:
    """Turn a button of question ``step`` into draft changes.

    Raises:
        Problem: the button names something the actor may not use, or does not fit
            the question; the same question is asked again with the explanation.
    """
    t = context.t
    if action == "back":
        return Choice(go_to=preceding(step, data))
    if action == "skip" and step in OPTIONAL:
        if step is Step.PRODUCTS and data.get("lines"):
            return Choice()  # "Continue": the lines added so far stay
        return Choice(cleared(step))
    if action == "done" and step in OPTIONAL:
        return Choice(go_to=Step.SUMMARY)
    if step is Step.SUMMARY:
        return _summary(context, data, action, args)
    try:
        return await _picked(context, data, step, action, args)
    except NotFound as error:
        # Forged or stale data naming a record the actor may not use: "not found".
        field_name = _FIELD_OF_TABLE.get(error.entity, error.entity)
        raise Problem(explain(t, InvalidInput(field_name, "unknown"))) from None
    except (ValueError, IndexError):
        raise use_buttons(t) from None
    except InvalidInput as error:
        raise Problem(explain(t, error)) from None


def _summary(context: BotContext, data: dict[str, Any], action: str, args: list[str]) -> Choice:
    t = context.t
    if action == "edit":
        return Choice(
            fields_menu=(t._("Which field do you want to change?"), fields_keyboard(t, data[NONCE]))
        )
    if action == "show":
        return Choice(go_to=Step.SUMMARY)
    editable = {int(step) for step, _ in EDITABLE}
    if action == "field" and args and args[0].isdigit() and int(args[0]) in editable:
        return Choice({EDITING: True}, go_to=Step(int(args[0])))
    raise use_buttons(t)


async def _picked(
    context: BotContext, data: dict[str, Any], step: Step, action: str, args: list[str]
) -> Choice:
    """A choice among the question's own buttons; raises NotFound/ValueError when forged."""
    actor = context.actor
    if action == "am" and step is Step.AMOUNT:
        minor_units = validation.amount(int(args[0]))
        return Choice({"amount": minor_units, "currency": validation.currency(args[1])})
    if action == "dt" and step is Step.CLOSE_DATE:
        day = date(int(args[0][:4]), int(args[0][4:6]), int(args[0][6:8]))
        return Choice({"close_date": validation.close_date(day).isoformat()})
    if action == "st" and step is Step.STAGE:
        async with context.uow() as uow:
            stage = await team_stage(uow, actor, int(args[0]))
        return Choice({"stage_id": stage.id})
    if action == "p" and step in SEARCHED:
        name = _SEARCH_FIELD[step]
        async with context.uow() as uow:
            if step is Step.ACCOUNT:
                row: Any = await get_account(uow, actor, int(args[0]))
            elif step is Step.CONTACT:
                row = await get_contact(uow, actor, int(args[0]))
            else:
                row = await get_campaign(uow, actor, int(args[0]))
        return Choice({f"{name}_id": row.id, f"{name}_name": row.name, f"new_{name}": None})
    if action == "new" and step in SEARCHED and data.get(QUERY):
        name = _SEARCH_FIELD[step]
        if step is Step.CAMPAIGN and not actor.is_manager:
            raise InvalidInput("campaign", "not_allowed")
        return Choice({f"{name}_id": None, f"{name}_name": None, f"new_{name}": data[QUERY]})
    if action == "rt" and step is Step.RATING:
        return Choice({"rating": Rating(args[0]).value})
    if action == "ty" and step is Step.DEAL_TYPE:
        return Choice({"deal_type": DealType(args[0]).value})
    if action == "src" and step is Step.SOURCE:
        async with context.uow() as uow:
            source = await team_source(uow, actor, int(args[0]))
        return Choice({"source_id": source.id})
    if action == "pr" and step is Step.PRODUCTS:
        async with context.uow() as uow:
            product = await get_product(uow, actor, int(args[0]))
        if product.currency != (data.get("currency") or context.member.currency):
            raise InvalidInput("product", "currency_mismatch")
        return Choice({PRODUCT: product.id}, go_to=Step.QUANTITY)
    if action == "clear" and step is Step.PRODUCTS:
        return Choice({"lines": []}, go_to=Step.PRODUCTS)
    raise ValueError(action)
