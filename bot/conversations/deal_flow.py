"""The card's one typed-answer flow (lost reason, activity text): steps, draft, helpers."""

from __future__ import annotations

import enum

from telegram import Update

from bot.context import BotContext
from bot.conversations import endings
from bot.handlers.deal_card import show
from bot.handlers.quick import card_message
from storage import idempotency
from storage.cards import DealCard
from storage.cards import deal_card as load_card
from storage.drafts import discard_all_drafts, discard_draft, get_draft, is_expired, stage_draft
from storage.models import Draft, Stage
from storage.stages import team_stages

FLOW = "move"


class Step(enum.IntEnum):
    """What the card asked for in words; one ConversationHandler (move_stage) holds both."""

    LOST_REASON = 1
    ACTIVITY_TEXT = 2


async def card_and_stages(context: BotContext, deal_id: int) -> tuple[DealCard, list[Stage]]:
    """The deal's card and its team's stages; NotFound for a deal the actor may not see."""
    async with context.uow() as uow:
        card = await load_card(uow, context.actor, deal_id)
        # The deal's own team: an admin may move a deal of any team.
        stages = await team_stages(uow, card.team_id or context.actor.team_id)
    return card, stages


async def changed_meanwhile(update: Update, context: BotContext, deal_id: int) -> None:
    """The fresh card, with buttons carrying its new version."""
    text, markup = await card_message(context, deal_id)
    header = context.t._("This deal changed meanwhile; nothing was overwritten. Here it is now:")
    await show(update, header + "\n\n" + text, markup)


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
