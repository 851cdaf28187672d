"""The error handler: tell the user, keep their input, log with the update id."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden

from bot.context import BotContext
from bot.handlers.members.commands import member_language
from storage import idempotency

logger = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure and tell the user their input is safe.

    A ConversationHandler whose callback raised stays in its state, and drafts are
    written before anything is sent, so the user can simply answer again. When the
    update's change was committed before the failure (a reply that could not be sent),
    sending it again would make a duplicate: the user is told it was saved instead.
    """
    update_id = update.update_id if isinstance(update, Update) else None
    logger.error("error while handling update %s", update_id, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if isinstance(context.error, Forbidden):
        # The user blocked the bot: there is nobody to tell.
        return
    try:
        # PTB hands error handlers a fresh context: the update's language is found again.
        if update.effective_user is not None:
            context.state.language = await member_language(context, update.effective_user)
        key = idempotency.update_key(context.bot.id, update.update_id)
        async with context.uow() as uow:
            saved = await idempotency.previous_result(uow.session, key) is not None
        if saved:
            text = context.t._(
                "Your last message was saved, but I could not send my answer to it. "
                "There is no need to send it again."
            )
        else:
            text = context.t._(
                "Sorry, something went wrong on my side. What you entered so far is kept; "
                "please send your last answer again."
            )
        await context.bot.send_message(update.effective_chat.id, text)
    except Exception:
        logger.warning("could not tell chat about the error of update %s", update_id)
