"""Buttons under digests and reminders: a new close date, won, lost with a reason."""

from __future__ import annotations

import html
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot.buttons import codec as cb
from bot.context import BotContext
from bot.handlers.deals.outcomes import answer
from bot.handlers.deals.views import LOST_REASONS
from bot.handlers.digests.views import close_date_choices
from bot.invalid import explain
from storage import deal_actions
from storage.cards import deal_card
from storage.errors import InvalidInput, NotFound
from storage.models import StageKind


async def _reply(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    await update.effective_message.reply_text(text, reply_markup=markup)


async def _ask_date(update: Update, context: BotContext, deal_id: int) -> None:
    t = context.t
    async with context.reading() as uow:
        card = await deal_card(uow, context.actor, deal_id)
    question = t._(
        "New close date for {name}? Pick one, or send e.g. <code>/close #{id} 31/12</code>."
    ).format(name=f"<b>{html.escape(card.name)}</b>", id=card.id)
    markup = close_date_choices(
        t, card.id, context.today(), gregorian=context.member.gregorian_years
    )
    await _reply(update, question, markup)


async def _set_date(update: Update, context: BotContext, deal_id: int, day: date) -> None:
    outcome = await deal_actions.set_close_date(context.uow(), context.actor, deal_id, day)
    header = context.t._("New close date: {date}.").format(date=context.fmt.date(day))
    await answer(update, context, outcome, header)


async def _close(
    update: Update, context: BotContext, deal_id: int, kind: StageKind, reason: str | None = None
) -> None:
    # Pressed under a digest written before any change: a deal closed since is shown
    # as it is now, never reversed.
    outcome = await deal_actions.close(
        context.uow(),
        context.actor,
        deal_id,
        stage=await context.stage_of_kind(kind),
        closing=True,
        reason=reason,
        reopen=False,
        key=context.update_key,
    )
    t = context.t
    header = (
        t._("Congratulations on the win! 🎉")
        if kind is StageKind.WON
        else t._("Marked as lost. Better luck next time.")
    )
    await answer(update, context, outcome, header)


def _lost_reasons(context: BotContext, deal_id: int) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(context.t._(text), callback_data=cb.PushReason(deal_id, code).pack())
        for code, text in LOST_REASONS.items()
    ]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


async def pressed_push_button(update: Update, context: BotContext) -> None:
    """New close date (pick, then apply), Won, Lost (pick a reason, then apply)."""
    button = await cb.pressed(update, cb.PushButton, cb.PushDate, cb.PushReason)
    query = update.callback_query
    t = context.t
    try:
        if button is None:
            raise NotFound("opportunities", query.data)
        deal_id = button.deal_id
        if isinstance(button, cb.PushDate):
            await _set_date(update, context, deal_id, button.day)
        elif isinstance(button, cb.PushReason):
            if button.reason in LOST_REASONS:
                reason = t._(LOST_REASONS[button.reason])
                await _close(update, context, deal_id, StageKind.LOST, reason)
        elif button.action == "d":
            await _ask_date(update, context, deal_id)
        elif button.action == "w":
            await _close(update, context, deal_id, StageKind.WON)
        elif button.action == "l":
            await _reply(update, t._("Why was it lost?"), _lost_reasons(context, deal_id))
    except NotFound:
        # A forged or stale button: the deal is not theirs, or the data is malformed.
        await _reply(update, t._("That deal was not found."))
    except InvalidInput as error:
        await _reply(update, explain(t, error))


def handlers() -> list[object]:
    return [CallbackQueryHandler(pressed_push_button, pattern=cb.pattern(cb.PUSH))]
