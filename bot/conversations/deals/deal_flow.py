"""The card's one typed-answer flow (lost reason, activity text): steps, draft, helpers."""

from __future__ import annotations

import enum

from telegram import Update

from bot.context import BotContext
from bot.flowkit import endings
from storage import idempotency
from storage.drafts import discard_all_drafts, discard_draft, get_draft, is_expired, stage_draft
from storage.models import Draft

FLOW = "move"


class Step(enum.IntEnum):
    """What the card asked for in words; one ConversationHandler (move_stage) holds both."""

    LOST_REASON = 1
    ACTIVITY_TEXT = 2


async def start_flow(context: BotContext, step: Step, data: dict[str, object]) -> Draft:
    """Store the question's draft with the update's key, and make this the user's flow."""
    async with context.uow() as uow:
        # One flow at a time: whatever else was half-done gives way to this question.
        await discard_all_drafts(uow, context.actor)
        draft = stage_draft(
            uow,
            context.actor,
            None,
            flow=FLOW,
            step=step.name,
            data=data,
            ttl=context.bot_data.settings.draft_ttl,
            now=context.now(),
        )
        await idempotency.claim(uow.session, context.update_key)
        await uow.commit()
    context.enter_flow(FLOW)
    return draft


async def open_draft(update: Update, context: BotContext, step: Step) -> Draft | None:
    """The flow's draft if it is still waiting at ``step``; says so once when it expired."""
    async with context.uow() as uow:
        draft = await get_draft(uow, context.actor, FLOW)
    if draft is None or draft.step != step.name:
        return None
    if is_expired(draft, context.now()):
        await endings.expired(update, context, FLOW, draft)
        return None
    return draft


async def leave_stale_flow(context: BotContext) -> None:
    """An entry point pressed mid-flow starts afresh: the old question is dropped."""
    if context.bot_data.flows.is_active(context.member.telegram_id, FLOW):
        async with context.uow() as uow:
            await discard_draft(uow, context.actor, FLOW)
            await uow.commit()
        context.leave_flow(FLOW)


async def end_flow(context: BotContext) -> None:
    """Drop the flow's draft: the question was answered, or can no longer be."""
    async with context.uow() as uow:
        await discard_draft(uow, context.actor, FLOW)
        await uow.commit()
    context.leave_flow(FLOW)


async def cancel(update: Update, context: BotContext) -> int:
    """/cancel (or the Cancel button) while a reason or an activity is awaited."""
    return await endings.cancelled(update, context, claim=True)
