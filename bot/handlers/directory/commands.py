"""Contact and account cards: /contact, /account, the contact card's tabs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.buttons import codec as cb
from bot.context import BotContext
from bot.handlers.deals.card import show
from bot.handlers.directory.views import (
    DETAILS,
    OPPORTUNITIES,
    account_card_keyboard,
    account_card_text,
    choices,
    contact_card_keyboard,
    contact_card_text,
)
from bot.i18n import N_
from storage.directory_cards import account_card, contact_card, contact_deals, resolve_named
from storage.errors import NotFound
from storage.lead_cards import SeveralMatch
from storage.models import Account, Contact

TAB_DEALS = 10


async def contact_message(
    context: BotContext, contact_id: int, tab: str = DETAILS
) -> tuple[str, InlineKeyboardMarkup]:
    """A contact's card on one tab, with its buttons.

    Raises:
        NotFound: no such contact, or another rep's.
    """
    async with context.uow() as uow:
        card = await contact_card(uow, context.actor, contact_id)
        deals = []
        if tab == OPPORTUNITIES:
            deals = await contact_deals(uow, context.actor, contact_id, limit=TAB_DEALS)
    gregorian = context.member.gregorian_years
    text = contact_card_text(context.t, card, tab, deals, gregorian=gregorian)
    return text, contact_card_keyboard(context.t, card, tab, deals)


async def account_message(
    context: BotContext, account_id: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    """An account's card with its buttons.

    Raises:
        NotFound: no such account in the member's team.
    """
    async with context.uow() as uow:
        card = await account_card(uow, context.actor, account_id)
    text = account_card_text(context.t, card, gregorian=context.member.gregorian_years)
    return text, account_card_keyboard(card)


def _argument(update: Update) -> str:
    return (update.effective_message.text or "").partition(" ")[2].strip()


# What /contact and /account answer to no text, to no match and to several matches.
_ANSWERS = {
    Contact: (
        N_("Which contact? For example <code>/contact Lan</code>."),
        N_("That contact was not found."),
        N_("Several contacts match. Which one?"),
    ),
    Account: (
        N_("Which account? For example <code>/account Acme</code>."),
        N_("That account was not found."),
        N_("Several accounts match. Which one?"),
    ),
}


async def _show_named(
    update: Update,
    context: BotContext,
    model: type[Contact] | type[Account],
    message: Callable[[BotContext, int], Awaitable[tuple[str, InlineKeyboardMarkup | None]]],
) -> None:
    """The card of the contact or account the command's text names."""
    which, not_found, several_match = (context.t._(text) for text in _ANSWERS[model])
    text = _argument(update)
    if not text:
        await update.effective_message.reply_text(which)
        return
    try:
        async with context.uow() as uow:
            found = await resolve_named(uow, context.actor, model, text)
        card, markup = await message(context, found.id)
    except NotFound:
        await update.effective_message.reply_text(not_found)
        return
    except SeveralMatch as several:
        await update.effective_message.reply_text(
            several_match, reply_markup=choices(several.candidates)
        )
        return
    await update.effective_message.reply_text(card, reply_markup=markup)


async def show_contact(update: Update, context: BotContext) -> None:
    """/contact <name, phone or #id>: the contact's card."""
    await _show_named(update, context, Contact, contact_message)


async def show_account(update: Update, context: BotContext) -> None:
    """/account <name or #id>: the account with its contacts and deals."""
    await _show_named(update, context, Account, account_message)


async def pressed_contact_tab(update: Update, context: BotContext) -> None:
    """Details or Opportunities on a contact's card (or a contact picked from a list)."""
    button = await cb.pressed(update, cb.ContactTab)
    if button is None or button.tab not in (DETAILS, OPPORTUNITIES):
        await update.effective_message.reply_text(context.t._("That contact was not found."))
        return
    contact_id, tab = button.contact_id, button.tab
    try:
        text, markup = await contact_message(context, contact_id, tab)
    except NotFound:
        await update.effective_message.reply_text(context.t._("That contact was not found."))
        return
    # A tab changes its own card; a contact opened from elsewhere gets a card of its own.
    await show(update, text, markup, edit=_is_contact_card(update, contact_id))


def _is_contact_card(update: Update, contact_id: int) -> bool:
    message = update.callback_query.message if update.callback_query else None
    markup = getattr(message, "reply_markup", None)
    if markup is None:
        return False
    tabs = {cb.ContactTab(tab, contact_id).pack() for tab in (DETAILS, OPPORTUNITIES)}
    first_row = markup.inline_keyboard[0] if markup.inline_keyboard else ()
    return {button.callback_data for button in first_row} == tabs


async def pressed_account(update: Update, context: BotContext) -> None:
    """An account's button (on a contact's or a lead's card): its card."""
    button = await cb.pressed(update, cb.AccountCard)
    query = update.callback_query
    try:
        if button is None:
            raise NotFound("accounts", query.data)
        text, markup = await account_message(context, button.account_id)
    except NotFound:
        await update.effective_message.reply_text(context.t._("That account was not found."))
        return
    await update.effective_message.reply_text(text, reply_markup=markup)


def handlers() -> list[object]:
    return [
        CommandHandler("contact", show_contact),
        CommandHandler("account", show_account),
        CallbackQueryHandler(pressed_contact_tab, pattern=cb.pattern(cb.CONTACT)),
        CallbackQueryHandler(pressed_account, pattern=cb.pattern(cb.ACCOUNT)),
    ]
