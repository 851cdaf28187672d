"""One open flow per member: a command that would start another flow asks first.

Without this, starting /lead in the middle of /new threw the deal's draft away, and
a one-line /new sent during the guided form saved a deal beside it. Registered
before the conversations in group 0, so it answers before any of them starts.
"""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.buttons import codec as cb
from bot.context import BotContext
from bot.flowkit import drafts, endings
from bot.flowkit.active import ActiveFlows
from bot.flowkit.endings import described

# Commands that start a multi-step flow (or, for /new with a line, may save a deal).
STARTERS = ("new", "lead", "convert")
_WAITING = "gate"  # user_data key: the update that waits for the member's answer


class _StartsAnotherFlow(filters.MessageFilter):
    def __init__(self, flows: ActiveFlows) -> None:
        super().__init__(name="StartsAnotherFlow")
        self._flows = flows

    def filter(self, message) -> bool:  # type: ignore[no-untyped-def]
        text = message.text or ""
        command = text.split(maxsplit=1)[0][1:].split("@")[0] if text.startswith("/") else ""
        user = message.from_user
        if command not in STARTERS or user is None:
            return False
        current = self._flows.current(user.id)
        # /new alone during the guided form is the form's own "continue or start over".
        restarts_form = command == "new" and len(text.split()) == 1 and current == "new_deal"
        return current is not None and not restarts_form


async def ask_first(update: Update, context: BotContext) -> None:
    """Ask: "You are in the middle of a new deal (Acme ERP)." Continue it, or start anew."""
    t = context.t
    flow = context.bot_data.flows.current(context.member.telegram_id) or ""
    draft = await drafts.loaded(context, flow)
    if draft is None:
        # The flow ended without a word (its draft expired): nothing to protect.
        context.leave_flow()
        await context.application.process_update(update)
        return
    context.user_data[_WAITING] = update.to_dict()
    title = described(t, flow, draft.data)
    command = html.escape((update.effective_message.text or "").split(maxsplit=1)[0])
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(t._("Continue it"), callback_data=cb.GateChoice("c").pack())],
            [
                InlineKeyboardButton(
                    t._("Discard it and start {command}").format(command=command),
                    callback_data=cb.GateChoice("d").pack(),
                )
            ],
        ]
    )
    await update.effective_message.reply_text(
        t._("You are in the middle of {what}.").format(what=title), reply_markup=keyboard
    )


async def answered(update: Update, context: BotContext) -> None:
    """Continue (nothing changes) or discard the open flow and run the waiting command."""
    query = update.callback_query
    await query.answer()
    t = context.t
    button = cb.GateChoice.parse(query.data)
    waiting = context.user_data.pop(_WAITING, None)
    if button is None or button.choice == "c" or waiting is None:
        await query.edit_message_text(t._("Carry on where you were; /cancel stops it."))
        return
    await endings.drop(context, None)
    await query.edit_message_text(t._("Discarded."))
    # The waiting command runs as if just sent: the flows it would have met are gone.
    await context.application.process_update(Update.de_json(waiting, context.bot))


def handlers(flows: ActiveFlows) -> list[MessageHandler | CallbackQueryHandler]:
    return [
        MessageHandler(filters.COMMAND & _StartsAnotherFlow(flows), ask_first),
        CallbackQueryHandler(answered, pattern=cb.pattern(cb.GATE)),
    ]
