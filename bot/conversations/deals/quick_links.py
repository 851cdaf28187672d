"""Which account or contact a one-line deal's ``@name`` or ``+name`` means, as buttons."""

from __future__ import annotations

import html
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.buttons import codec as cb
from bot.buttons.pickers import picker
from bot.context import BotContext
from bot.handlers.deals.views import shorten
from storage.drafts import NONCE
from storage.models import Account, Contact
from storage.quick_create import NEW, accounts_named, contacts_named


def _label(row: Account | Contact, account_names: dict[int, str]) -> str:
    if isinstance(row, Contact) and row.account_id in account_names:
        return f"{shorten(row.name, 32)} · {shorten(account_names[row.account_id], 24)}"
    return shorten(row.name, 48)


async def ask_link(
    update: Update,
    context: BotContext,
    data: dict[str, Any],
    candidates: list[Account] | list[Contact] | None,
    page: int,
    *,
    edit: bool = False,
) -> None:
    """Ask which record ``data["asking"]`` means; eight at a time, then "New …".

    Args:
        candidates: the matches, or None to look them up again (turning a page).
    """
    t = context.t
    field = str(data["asking"])
    name = str(data.get("account_name" if field == "account" else "contact_name") or "")
    if candidates is None:
        async with context.uow() as uow:
            if field == "account":
                candidates = await accounts_named(uow, context.actor, name)
            else:
                candidates = await contacts_named(uow, context.actor, name, None)
    async with context.uow() as uow:
        ids = {row.account_id for row in candidates if isinstance(row, Contact) and row.account_id}
        accounts = [await uow.session.get(Account, ident) for ident in ids]
    account_names = {account.id: account.name for account in accounts if account is not None}
    labelled = [(_label(row, account_names), row.id) for row in candidates]
    nonce = str(data[NONCE])
    markup = picker(
        t,
        labelled,
        lambda value: cb.QuickLink(nonce, str(value)),
        lambda page: cb.QuickMore(nonce, page),
        page,
    )
    new_label = (
        t._("New account “{name}”") if field == "account" else t._("New contact “{name}”")
    ).format(name=shorten(name, 40))
    rows = [
        *markup.inline_keyboard,
        [InlineKeyboardButton(new_label, callback_data=cb.QuickLink(data[NONCE], NEW).pack())],
    ]
    question = (
        t._("Several accounts match “{name}”. Which one?")
        if field == "account"
        else t._("Several contacts match “{name}”. Which one?")
    ).format(name=html.escape(name))
    if edit and update.callback_query is not None:
        await update.callback_query.edit_message_text(
            question, reply_markup=InlineKeyboardMarkup(rows)
        )
    else:
        await update.effective_message.reply_text(question, reply_markup=InlineKeyboardMarkup(rows))
