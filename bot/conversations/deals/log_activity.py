"""Log activity under a deal card: call, meeting or note, then its text."""

from __future__ import annotations

import html

from telegram import Update
from telegram.ext import ConversationHandler

from bot.buttons import codec as cb
from bot.context import BotContext
from bot.conversations.deals.deal_flow import MOVE, Step, leave_stale_flow, open_draft
from bot.handlers.deals.card import not_found, show
from bot.handlers.deals.card_view import card_message
from bot.handlers.deals.views import (
    ACTIVITY_CODES,
    activity_name,
    activity_question,
    cancel_keyboard,
    shorten,
)
from storage.cards import deal_card as load_card
from storage.drafts import NONCE
from storage.errors import InvalidInput, NotFound
from storage.models import ActivityKind
from storage.opportunities import add_activity


async def chose_activity(update: Update, context: BotContext) -> Step | int:
    """Call, Meeting or Note under a card: ask what to write."""
    query = update.callback_query
    await query.answer()
    await leave_stale_flow(context)
    button = cb.ActivityChoice.parse(query.data)
    kind = ACTIVITY_CODES.get(button.code) if button is not None else None
    if button is None or kind is None:
        await not_found(update, context)
        return ConversationHandler.END
    deal_id = button.deal_id
    try:
        async with context.uow() as uow:
            card = await load_card(uow, context.actor, deal_id)
    except NotFound:
        await not_found(update, context)
        return ConversationHandler.END
    draft = await MOVE.start(
        context, Step.ACTIVITY_TEXT, {"deal_id": deal_id, "kind": kind.value, "name": card.name}
    )
    await show(
        update,
        activity_question(context.t, kind, card.name),
        cancel_keyboard(context.t, draft.data[NONCE]),
    )
    return Step.ACTIVITY_TEXT


async def received_activity_text(update: Update, context: BotContext) -> Step | int:
    """What happened: store it on the deal."""
    draft = await open_draft(update, context, Step.ACTIVITY_TEXT)
    if draft is None:
        return ConversationHandler.END
    t = context.t
    kind = ActivityKind(draft.data["kind"])
    deal_id = draft.data["deal_id"]
    try:
        async with MOVE.finishing(context) as uow:
            await add_activity(
                uow,
                context.actor,
                deal_id,
                kind,
                update.effective_message.text or "",
                idempotency_key=context.update_key,
            )
    except InvalidInput:
        await update.effective_message.reply_text(
            t._("Please write 1 to 4000 characters.")
            + " "
            + activity_question(t, kind, draft.data["name"]),
            reply_markup=cancel_keyboard(t, draft.data[NONCE]),
        )
        return Step.ACTIVITY_TEXT
    except NotFound:
        await MOVE.end(context)
        await not_found(update, context)
        return ConversationHandler.END
    text, markup = await card_message(context, deal_id)
    header = t._("{activity} logged on {name}.").format(
        activity=activity_name(t, kind), name=html.escape(shorten(draft.data["name"], 120))
    )
    await update.effective_message.reply_text(header + "\n\n" + text, reply_markup=markup)
    return ConversationHandler.END
