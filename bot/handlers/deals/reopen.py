"""/won or /lost on a deal already closed the other way: asked once before it changes."""

from __future__ import annotations

import enum
import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot.buttons import codec as cb
from bot.context import BotContext
from bot.flowkit.flow import Flow
from bot.handlers.deals.card_view import card_message
from bot.handlers.members.group import announce_win, load_win
from bot.invalid import explain
from storage.deal_actions import Named
from storage.drafts import NONCE
from storage.errors import Conflict, InvalidInput, NotFound
from storage.models import Result, Stage, StageKind
from storage.stages import move_stage


class _Step(enum.IntEnum):
    CONFIRM = 1


# Not a conversation: the draft only keeps the typed lost reason until the answer.
RECLOSE = Flow("reclose", _Step, takes_text=False)


async def ask_reopen(
    update: Update, context: BotContext, deal: Named, stage: Stage, reason: str | None
) -> None:
    """Ask whether the closed ``deal`` should now be ``stage`` (won or lost)."""
    t = context.t
    data = {
        "deal_id": deal.deal_id,
        "version": deal.version,
        "stage_id": stage.id,
        "reason": reason,
        "name": deal.name,
    }
    draft = await RECLOSE.save(context, _Step.CONFIRM, data, claim=False)
    label = f"#{deal.deal_id} {html.escape(deal.name)}"
    if deal.result is Result.WON:
        question = t._("Deal {deal} is already won. Mark it as lost instead?")
    else:
        question = t._("Deal {deal} is already lost. Mark it as won instead?")
    nonce = draft.data[NONCE]
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t._("Yes, mark it lost")
                    if stage.kind is StageKind.LOST
                    else t._("Yes, mark it won"),
                    callback_data=cb.ReopenAnswer(nonce, "y").pack(),
                ),
                InlineKeyboardButton(
                    t._("No, keep it"), callback_data=cb.ReopenAnswer(nonce, "n").pack()
                ),
            ]
        ]
    )
    await update.effective_message.reply_text(question.format(deal=label), reply_markup=keyboard)


async def pressed_reopen(update: Update, context: BotContext) -> None:
    """Yes or No to changing a closed deal's result."""
    query = update.callback_query
    await query.answer()
    t = context.t
    button = cb.ReopenAnswer.parse(query.data)
    draft = await RECLOSE.take(update, context, button)
    if draft is None or button is None:
        return
    data = draft.data
    if button.answer != "y":
        await query.edit_message_text(t._("Kept as it was."))
        return
    try:
        async with context.uow() as uow:
            moved = await move_stage(
                uow,
                context.actor,
                int(data["deal_id"]),
                int(data["stage_id"]),
                expected_version=int(data["version"]),
                lost_reason=data.get("reason"),
                idempotency_key=context.update_key,
            )
    except Conflict:
        await update.effective_message.reply_text(
            t._("This deal changed meanwhile; nothing was overwritten.")
        )
        return
    except NotFound:
        await update.effective_message.reply_text(t._("That deal was not found."))
        return
    except InvalidInput as error:
        await update.effective_message.reply_text(explain(t, error))
        return
    won = moved.result is Result.WON
    notice = await load_win(context, moved.id) if won else None
    header = (
        t._("Congratulations on the win! 🎉")
        if won
        else t._("Marked as lost. Better luck next time.")
    )
    card, keyboard = await card_message(context, moved.id)
    await query.edit_message_text(header + "\n\n" + card, reply_markup=keyboard)
    if notice is not None:
        await announce_win(context, notice)


def handlers() -> list[CallbackQueryHandler]:
    return [CallbackQueryHandler(pressed_reopen, pattern=rf"^{cb.DEAL}:rc:")]
