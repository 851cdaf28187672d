"""A Telegram contact shared with the bot: make it a lead, or add it to an account."""

from __future__ import annotations

import enum
import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.buttons import codec as cb
from bot.context import BotContext
from bot.flowkit.active import ActiveFlows
from bot.flowkit.flow import Flow
from bot.handlers.directory.commands import contact_message
from bot.handlers.leads.views import button
from bot.parsing import parse_phone
from bot.parsing.contacts import region_of_currency
from storage.directory import create_contact, find_contact
from storage.directory_cards import search_accounts
from storage.drafts import NONCE
from storage.errors import InvalidInput, NotFound
from storage.models import Draft
from storage.text import normalize_phone

_MAX_NAME = 200


class Step(enum.IntEnum):
    OFFER = 1
    ACCOUNT = 2


SHARED = Flow("shared", Step)
FLOW = SHARED.name


def _phone(raw: str, language: str, region: str | None) -> str | None:
    """E.164 by the one rule of ``parse_phone``; otherwise its digits as Telegram sent them.

    Telegram sends the number with its country code, with or without the "+"
    ("84901234567"), which parse_phone reads either way.
    """
    result = parse_phone(raw, language, region)
    return result if isinstance(result, str) else normalize_phone(raw)


def _button(
    label: str, nonce: str, action: str, account_id: int | None = None
) -> InlineKeyboardButton:
    return button(label, cb.SharedContactButton(nonce, action, account_id))


async def received_contact(update: Update, context: BotContext) -> Step | int:
    """Offer what to do with a shared contact: a new lead, or a contact at an account."""
    t = context.t
    shared = update.effective_message.contact
    name = " ".join(part for part in (shared.first_name, shared.last_name) if part).strip()
    name = name[:_MAX_NAME] or shared.phone_number
    phone = _phone(shared.phone_number, t.language, region_of_currency(context.member.currency))
    async with context.reading() as uow:
        known = await find_contact(uow.session, context.actor, phone=phone, email=None)
    # Only the last shared contact's draft goes: a flow under way is left alone until
    # the user picks what to do with this one.
    draft = await SHARED.offer(context, Step.OFFER, {"person_name": name, "phone": phone})
    nonce = draft.data[NONCE]
    rows = [
        [
            _button(t._("New lead"), nonce, "lead"),
            _button(t._("Add to an account"), nonce, "acct"),
        ]
    ]
    text = t._("You shared {name} ({phone}). What should I do with it?").format(
        name=html.escape(name), phone=html.escape(phone or "")
    )
    if known is not None:
        text += "\n" + t._("You already have a contact with this number: {name}.").format(
            name=html.escape(known.name)
        )
        rows.append([button(known.name, cb.ContactTab("d", known.id))])
    rows.append([_button(t._("Cancel"), nonce, "x")])
    await update.effective_message.reply_text(text, reply_markup=InlineKeyboardMarkup(rows))
    return Step.OFFER


async def _open_draft(update: Update, context: BotContext) -> Draft | None:
    """The shared contact's draft the pressed button belongs to, or None (told so)."""
    button = cb.SharedContactButton.parse(
        update.callback_query.data if update.callback_query else None
    )
    return await SHARED.pressed(update, context, button, live=True)


async def pressed_button(update: Update, context: BotContext) -> Step | int:
    """Add to an account, an account picked from the matches, or Cancel."""
    query = update.callback_query
    await query.answer()
    draft = await _open_draft(update, context)
    if draft is None:
        context.leave_flow(FLOW)
        return ConversationHandler.END
    button = cb.SharedContactButton.parse(query.data)
    action = button.action if button else ""
    if action == "acct":
        await _ask_account(update, context, draft)
        return Step.ACCOUNT
    if button is not None and action == "a" and button.account_id is not None:
        return await _add_to_account(update, context, draft, button.account_id)
    return await SHARED.cancel(update, context, claim=False, everything=False)


async def _ask_account(update: Update, context: BotContext, draft: Draft) -> None:
    """Start taking typed text: this becomes the user's one flow, others' drafts go."""
    await SHARED.save(context, Step.ACCOUNT, {}, claim=False, alone=True)
    t = context.t
    cancel = InlineKeyboardMarkup([[_button(t._("Cancel"), draft.data[NONCE], "x")]])
    await update.effective_message.reply_text(
        t._("Which account? Type part of its name."), reply_markup=cancel
    )


async def received_account_name(update: Update, context: BotContext) -> Step | int:
    """Part of an account's name: the matches as buttons, or ask again."""
    t = context.t
    draft = await SHARED.draft(context)
    if draft is None or SHARED.expired(context, draft):
        context.leave_flow(FLOW)
        return await SHARED.cancel(update, context, claim=False, everything=False)
    text = (update.effective_message.text or "").strip()
    async with context.uow() as uow:
        accounts = await search_accounts(uow, context.actor, text, limit=8)
    nonce = draft.data[NONCE]
    if not accounts:
        await update.effective_message.reply_text(
            t._("No account matches “{text}”. Type another part of its name.").format(
                text=html.escape(text[:100])
            ),
            reply_markup=InlineKeyboardMarkup([[_button(t._("Cancel"), nonce, "x")]]),
        )
        return Step.ACCOUNT
    rows = [[_button(account.name, nonce, "a", account.id)] for account in accounts]
    rows.append([_button(t._("Cancel"), nonce, "x")])
    await update.effective_message.reply_text(
        t._("Add {name} to which account?").format(name=html.escape(draft.data["person_name"])),
        reply_markup=InlineKeyboardMarkup(rows),
    )
    return Step.ACCOUNT


async def _add_to_account(
    update: Update, context: BotContext, draft: Draft, account_id: int
) -> Step | int:
    t = context.t
    try:
        async with SHARED.finishing(context, claim=True) as uow:
            contact = await create_contact(
                uow,
                context.actor,
                draft.data["person_name"],
                account_id=account_id,
                phone=draft.data.get("phone"),
            )
    except NotFound:
        await update.effective_message.reply_text(t._("That account was not found."))
        return Step.ACCOUNT
    except InvalidInput:
        await update.effective_message.reply_text(t._("That value is not valid."))
        return Step.ACCOUNT
    card, markup = await contact_message(context, contact.id)
    await update.effective_message.reply_text(
        t._("Contact saved.") + "\n\n" + card, reply_markup=markup
    )
    return ConversationHandler.END


async def cancel(update: Update, context: BotContext) -> int:
    """/cancel while choosing what to do with a shared contact."""
    return await SHARED.cancel(update, context, claim=False, everything=False)


def build_shared_contact_conversation(flows: ActiveFlows) -> ConversationHandler:
    text = MessageHandler(SHARED.typed(flows), received_account_name)
    # "New lead" (sc:<nonce>:lead) is an entry point of the lead form, registered first.
    buttons = CallbackQueryHandler(pressed_button, pattern=cb.pattern(cb.SHARED_CONTACT))
    return SHARED.conversation(
        entry_points=[MessageHandler(filters.CONTACT, received_contact)],
        states={Step.OFFER: [buttons], Step.ACCOUNT: [text, buttons]},
        fallbacks=[CommandHandler("cancel", cancel)],
        # Sharing another contact starts over, whatever step the last one reached.
        allow_reentry=True,
    )
