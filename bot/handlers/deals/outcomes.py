"""The answer to a deal command or button, from what its storage service reports."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.handlers.deals.card_view import render_card
from bot.handlers.deals.reopen import ask_reopen
from bot.handlers.members.group import announce_win
from storage import deal_actions
from storage.models import StageKind


async def answer(
    update: Update, context: BotContext, outcome: deal_actions.Outcome | None, header: str
) -> None:
    """The card after a change, or why nothing changed; a win is announced after."""
    t = context.t
    match outcome:
        case deal_actions.Done(card=card, win=win):
            text, keyboard = render_card(context, card)
            await update.effective_message.reply_text(
                (header + "\n\n" if header else "") + text, reply_markup=keyboard
            )
            if win is not None:
                await announce_win(context, win)
        case deal_actions.ChangedMeanwhile(card=card):
            text, keyboard = render_card(context, card)
            await update.effective_message.reply_text(
                t._("This deal changed meanwhile; nothing was overwritten. Here it is now:")
                + "\n\n"
                + text,
                reply_markup=keyboard,
            )
        case deal_actions.NeedsReopen(named=named, stage=stage):
            reason = " ".join(named.rest) if stage.kind is StageKind.LOST else None
            await ask_reopen(update, context, named, stage, reason)
        case deal_actions.NeedsReason():
            await update.effective_message.reply_text(
                t._("Please add why it was lost, e.g. <code>/lost Acme price too high</code>.")
            )
