"""The card's one typed-answer flow (lost reason, activity text): its steps and draft."""

from __future__ import annotations

import enum

from telegram import Update

from bot.context import BotContext
from bot.flowkit.flow import Flow
from storage.models import Draft


class Step(enum.IntEnum):
    """What the card asked for in words; one ConversationHandler (move_stage) holds both."""

    LOST_REASON = 1
    ACTIVITY_TEXT = 2


MOVE = Flow("move", Step)
FLOW = MOVE.name


async def open_draft(update: Update, context: BotContext, step: Step) -> Draft | None:
    """The flow's draft if it is still waiting at ``step``; says so once when it expired."""
    draft = await MOVE.draft(context)
    if draft is None or MOVE.step(draft) is not step:
        return None
    return await MOVE.open(update, context)


async def leave_stale_flow(context: BotContext) -> None:
    """An entry point pressed mid-flow starts afresh: the old question is dropped."""
    if context.bot_data.flows.is_active(context.member.telegram_id, FLOW):
        await MOVE.end(context)


async def cancel(update: Update, context: BotContext) -> int:
    """/cancel (or the Cancel button) while a reason or an activity is awaited."""
    return await MOVE.cancel(update, context)
