"""The deal card's buttons (open, back, log activity, history) and /mydeals."""

from __future__ import annotations

import html
import logging

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.buttons import codec as cb
from bot.context import BotContext
from bot.handlers.deals.card_view import card_message
from bot.handlers.deals.views import (
    PAGE_SIZE,
    activity_keyboard,
    deal_list_keyboard,
    deal_list_text,
    history_text,
)
from storage.cards import deal_card as load_card
from storage.deal_history import deal_history
from storage.errors import NotFound
from storage.queries import my_open_deals

logger = logging.getLogger(__name__)

# The two paged lists: /mydeals opens a card, /stage opens the stage buttons.
MY_DEALS = "m"
STAGE_LIST = "s"
_LIST_ACTIONS = {MY_DEALS: "open", STAGE_LIST: "mv"}


async def show(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None, *, edit: bool = True
) -> None:
    """Replace the pressed message's text and buttons, or send a new message.

    A button that navigates (Back, Previous, a stage) changes its own message, so stale
    buttons do not linger; a message that cannot be edited any more gets a new one.
    """
    query = update.callback_query
    if edit and query is not None and query.message is not None:
        try:
            await query.edit_message_text(text, reply_markup=markup)
            return
        except BadRequest as error:
            if "not modified" in str(error).lower():
                return
            logger.info("could not edit message, sending a new one: %s", error)
    await update.effective_message.reply_text(text, reply_markup=markup)


async def not_found(update: Update, context: BotContext) -> None:
    await update.effective_message.reply_text(context.t._("That deal was not found."))


async def send_deal_list(update: Update, context: BotContext, kind: str, page: int) -> None:
    """A page of my open deals, soonest close date (most urgent) first."""
    t = context.t
    page = max(page, 0)
    async with context.reading() as uow:
        deals = await my_open_deals(
            uow, context.actor, limit=PAGE_SIZE + 1, offset=page * PAGE_SIZE
        )
    if not deals and page > 0:
        # The list shrank since that page was shown: start again from the top.
        await send_deal_list(update, context, kind, 0)
        return
    has_next = len(deals) > PAGE_SIZE
    deals = deals[:PAGE_SIZE]
    if kind == STAGE_LIST:
        title = t._("Which deal should move? Most urgent first (page {page}).")
    else:
        title = t._("Your open deals, soonest close date first (page {page}).")
    today = context.today()
    text = deal_list_text(
        t,
        title.format(page=page + 1),
        deals,
        page=page,
        today=today,
        gregorian=context.member.gregorian_years,
    )
    markup = deal_list_keyboard(
        t,
        deals,
        kind=kind,
        action=_LIST_ACTIONS[kind],
        page=page,
        has_next=has_next,
        today=today,
        gregorian=context.fmt.gregorian,
    )
    await show(update, text, markup, edit=update.callback_query is not None)


async def my_deals(update: Update, context: BotContext) -> None:
    """/mydeals: my open deals, a page at a time."""
    await send_deal_list(update, context, MY_DEALS, 0)


async def turned_page(update: Update, context: BotContext) -> None:
    """Previous or Next under a list of deals."""
    button = await cb.pressed(update, cb.DealListPage)
    if button is None or button.kind not in _LIST_ACTIONS:
        return
    await send_deal_list(update, context, button.kind, button.page)


async def pressed_card_button(update: Update, context: BotContext) -> None:
    """Open (from a list), Back (to the card), Log activity, History."""
    button = await cb.pressed(update, cb.CardButton)
    if button is None:
        await not_found(update, context)
        return
    action, deal_id = button.action, button.deal_id
    try:
        if action == "hist":
            await _send_history(update, context, deal_id)
            return
        if action == "desc":
            await _send_description(update, context, deal_id)
            return
        text, markup = await card_message(context, deal_id)
    except NotFound:
        await not_found(update, context)
        return
    if action == "act":
        question = context.t._("What would you like to log?")
        await show(update, text + "\n\n" + question, activity_keyboard(context.t, deal_id))
    else:
        # "open" comes from a list, which stays; "card" returns a card to itself.
        await show(update, text, markup, edit=action == "card")


async def _send_description(update: Update, context: BotContext, deal_id: int) -> None:
    """The whole description, which the card shows only the start of."""
    async with context.reading() as uow:
        card = await load_card(uow, context.actor, deal_id)
    await update.effective_message.reply_text(
        f"<b>{html.escape(card.name)}</b>\n" + html.escape(card.description or "—")
    )


async def _send_history(update: Update, context: BotContext, deal_id: int) -> None:
    async with context.reading() as uow:
        found = await deal_history(uow, context.actor, deal_id)
    zone = context.fmt.zone
    await update.effective_message.reply_text(
        history_text(context.t, found, zone=zone, gregorian=context.member.gregorian_years)
    )


def handlers() -> list[object]:
    return [
        CommandHandler("mydeals", my_deals),
        CallbackQueryHandler(turned_page, pattern=cb.pattern(cb.DEAL_LIST)),
        CallbackQueryHandler(
            pressed_card_button, pattern=rf"^{cb.DEAL_CARD}:(open|card|act|hist):"
        ),
    ]
