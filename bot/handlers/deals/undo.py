"""Undo under a fresh deal card: asked once, and only while it is still safe."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot.buttons import codec as cb
from bot.context import BotContext
from storage import undo
from storage.errors import NotFound


def _undo_refusal(context: BotContext, reason: str) -> str:
    t = context.t
    if reason == undo.NOT_CREATOR:
        return t._("Only the person who created this deal can undo it.")
    if reason == undo.NOT_NEWEST:
        return t._("Undo works only on the newest deal you created.")
    if reason == undo.TOO_LATE:
        return t._("Undo works only in the first 10 minutes; the deal is kept.")
    return t._("This deal has changed since it was saved, so it can no longer be undone.")


async def pressed_undo(update: Update, context: BotContext) -> None:
    """Undo on a freshly saved deal: ask once, then delete it."""
    button = await cb.pressed(update, cb.DealUndo)
    query = update.callback_query
    t = context.t
    try:
        if button is None:
            raise NotFound("opportunities", query.data)
        deal_id, answer = button.deal_id, button.answer
        async with context.uow() as uow:
            if answer == "y":
                name = await undo.undo_deal(uow, context.actor, deal_id)
            else:
                name = (await undo.undoable(uow, context.actor, deal_id)).name
    except NotFound:
        await update.effective_message.reply_text(t._("That deal was not found."))
        return
    except undo.UndoRefused as refused:
        await update.effective_message.reply_text(_undo_refusal(context, refused.reason))
        return
    label = f"#{deal_id} {html.escape(name)}"
    if answer == "y":
        await query.edit_message_text(t._("Undone: deal {deal} was deleted.").format(deal=label))
    elif answer == "n":
        await query.edit_message_text(t._("Kept: deal {deal}.").format(deal=label))
    else:
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        t._("Delete"), callback_data=cb.DealUndo(deal_id, "y").pack()
                    ),
                    InlineKeyboardButton(
                        t._("Keep"), callback_data=cb.DealUndo(deal_id, "n").pack()
                    ),
                ]
            ]
        )
        await update.effective_message.reply_text(
            t._("Delete deal {deal}?").format(deal=label), reply_markup=keyboard
        )


def handlers() -> list[object]:
    return [CallbackQueryHandler(pressed_undo, pattern=rf"^{cb.DEAL}:undo:")]
