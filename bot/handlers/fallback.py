"""The catch-all, registered last: commands and texts nobody else took."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.flowkit.endings import expiry_notice
from storage.drafts import take_expired


async def nothing_to_cancel(update: Update, context: BotContext) -> None:
    """/cancel outside any flow."""
    await update.effective_message.reply_text(context.t._("There is nothing to cancel."))


async def unknown(update: Update, context: BotContext) -> None:
    """Tell about a draft that expired meanwhile, else say what we did not understand."""
    t = context.t
    # Told once: the draft goes, so the next message gets the usual answer.
    draft = await take_expired(context.uow(), context.actor, context.now())
    if draft is not None:
        await update.effective_message.reply_text(expiry_notice(t, draft))
        return
    await update.effective_message.reply_text(
        t._("I did not understand that. Send /help to see what I can do.")
    )


def handlers() -> list[CommandHandler | MessageHandler]:
    return [CommandHandler("cancel", nothing_to_cancel), MessageHandler(filters.ALL, unknown)]
