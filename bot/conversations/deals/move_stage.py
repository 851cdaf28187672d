"""Moving a deal's stage: the card's Move stage, /stage, the stage buttons, the lost reason."""

from __future__ import annotations

import html

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
)

from bot.buttons import codec as cb
from bot.context import BotContext
from bot.conversations.deals.deal_flow import FLOW, MOVE, Step, cancel, leave_stale_flow, open_draft
from bot.conversations.deals.log_activity import chose_activity, received_activity_text
from bot.flowkit.active import ActiveFlows
from bot.handlers.deals import commands as deal_commands
from bot.handlers.deals.card import STAGE_LIST, not_found, send_deal_list, show
from bot.handlers.deals.card_view import card_message
from bot.handlers.deals.pick import STAGES, ask_which_deal
from bot.handlers.deals.stages import card_and_stages, changed_meanwhile, show_card_stages
from bot.handlers.deals.text import match_stage
from bot.handlers.deals.views import (
    LOST_REASONS,
    lost_reason_keyboard,
    shorten,
    stage_label,
)
from bot.handlers.members.group import announce_win, load_win
from bot.invalid import explain
from bot.labels import stage_aliases
from storage.cards import DealCard
from storage.cards import deal_card as load_card
from storage.drafts import NONCE
from storage.errors import Conflict, InvalidInput, NotFound
from storage.models import Draft, Stage, StageKind
from storage.queries import AmbiguousDeal, resolve_deal
from storage.stages import move_stage

__all__ = ["FLOW", "Step", "build_move_stage_conversation", "handlers"]


# --- moving -----------------------------------------------------------------------------


async def _move(
    update: Update,
    context: BotContext,
    deal_id: int,
    stage: Stage,
    version: int | None,
    reason: str | None = None,
) -> Step | int:
    """Make the move, answer with the updated card, then tell the owner and the group."""
    t = context.t
    try:
        async with MOVE.finishing(context) as uow:
            moved = await move_stage(
                uow,
                context.actor,
                deal_id,
                stage.id,
                expected_version=version,
                lost_reason=reason,
                idempotency_key=context.update_key,
            )
    except InvalidInput as error:
        if error.field == "lost_reason" and reason is not None:
            await update.effective_message.reply_text(
                t._("The reason can be at most 500 characters. Please write it shorter.")
            )
            return Step.LOST_REASON
        await MOVE.end(context)
        await update.effective_message.reply_text(explain(t, error))
        return ConversationHandler.END
    except Conflict:
        await MOVE.end(context)
        await changed_meanwhile(update, context, deal_id)
        return ConversationHandler.END
    except NotFound:
        await MOVE.end(context)
        await not_found(update, context)
        return ConversationHandler.END
    notice = await load_win(context, deal_id) if stage.kind is StageKind.WON else None
    if notice is not None and notice.owner_is_actor:
        header = t._("Congratulations on the win! 🎉")
    elif stage.kind is StageKind.LOST:
        header = t._("Marked as lost. Better luck next time.")
    else:
        # The deal's own probability: a rep's override stays through open stages.
        label = stage_label(t, stage, moved.probability)
        header = t._("Moved to {stage}.").format(stage=html.escape(label))
    text, markup = await card_message(context, deal_id)
    await show(update, header + "\n\n" + text, markup)
    if notice is not None:
        await announce_win(context, notice)
    return ConversationHandler.END


async def chose_stage(update: Update, context: BotContext) -> Step | int:
    """A stage button: move there, or for Closed lost ask why first."""
    query = update.callback_query
    await query.answer()
    await leave_stale_flow(context)
    button = cb.StageChoice.parse(query.data)
    try:
        if button is None:
            raise NotFound("opportunities", query.data)
        deal_id, version, stage_id = button.deal_id, button.version, button.stage_id
        card, stages = await card_and_stages(context, deal_id)
    except NotFound:
        await not_found(update, context)
        return ConversationHandler.END
    stage = next((s for s in stages if s.id == stage_id), None)
    if stage is None:
        await update.effective_message.reply_text(
            explain(context.t, InvalidInput("stage", "unknown"))
        )
        return ConversationHandler.END
    if card.version != version:
        await changed_meanwhile(update, context, deal_id)
        return ConversationHandler.END
    if stage.id == card.stage_id:
        await update.effective_message.reply_text(
            explain(context.t, InvalidInput("stage", "unchanged"))
        )
        return ConversationHandler.END
    if stage.kind is StageKind.LOST:
        return await _ask_lost_reason(update, context, card, stage, edit=True)
    return await _move(update, context, deal_id, stage, version)


async def _ask_lost_reason(
    update: Update, context: BotContext, card: DealCard, stage: Stage, *, edit: bool
) -> Step:
    draft = await MOVE.start(
        context,
        Step.LOST_REASON,
        {"deal_id": card.id, "version": card.version, "stage_id": stage.id, "name": card.name},
    )
    question = context.t._("Why was {name} lost? Choose a reason or type it.").format(
        name=f"<b>{html.escape(shorten(card.name, 120))}</b>"
    )
    await show(update, question, lost_reason_keyboard(context.t, draft.data[NONCE]), edit=edit)
    return Step.LOST_REASON


async def _lost_stage(context: BotContext, draft: Draft) -> Stage | None:
    """The stage the draft will move to; None when the deal is gone from the actor's view."""
    try:
        _, stages = await card_and_stages(context, draft.data["deal_id"])
    except NotFound:
        return None
    return next((s for s in stages if s.id == draft.data.get("stage_id")), None)


async def _finish_lost(
    update: Update, context: BotContext, draft: Draft, reason: str
) -> Step | int:
    stage = await _lost_stage(context, draft)
    if stage is None:
        await MOVE.end(context)
        await not_found(update, context)
        return ConversationHandler.END
    return await _move(update, context, draft.data["deal_id"], stage, draft.data["version"], reason)


async def received_lost_reason(update: Update, context: BotContext) -> Step | int:
    """The reason, typed."""
    draft = await open_draft(update, context, Step.LOST_REASON)
    if draft is None:
        return ConversationHandler.END
    return await _finish_lost(update, context, draft, update.effective_message.text or "")


async def pressed_flow_button(update: Update, context: BotContext) -> Step | int:
    """A common lost reason, or Cancel."""
    button = await cb.pressed(update, cb.LostReason, cb.MoveCancel)
    if await MOVE.pressed(update, context, button) is None:
        return await MOVE.state(context)
    if isinstance(button, cb.MoveCancel):
        return await cancel(update, context)
    if not isinstance(button, cb.LostReason) or button.reason not in LOST_REASONS:
        return await MOVE.state(context)
    opened = await open_draft(update, context, Step.LOST_REASON)
    if opened is None:
        return ConversationHandler.END
    return await _finish_lost(update, context, opened, context.t._(LOST_REASONS[button.reason]))


# --- /stage -----------------------------------------------------------------------------


async def stage_command(update: Update, context: BotContext) -> Step | int:
    """/stage: my open deals; /stage <deal>: its stages; /stage <deal> <stage>: move it."""
    await leave_stale_flow(context)
    words = context.args or []
    if not words:
        await send_deal_list(update, context, STAGE_LIST, 0)
        return ConversationHandler.END
    stages = await context.stages()
    target, deal_words = match_stage(
        words, stages, {stage.id: stage_aliases(stage.code, stage.name) for stage in stages}
    )
    if target is not None and target.kind is not StageKind.LOST:
        await deal_commands.stage(update, context)
        return ConversationHandler.END
    text = " ".join(deal_words if target is not None else words)
    t = context.t
    try:
        async with context.reading() as uow:
            deal = await resolve_deal(uow, context.actor, text)
            card = await load_card(uow, context.actor, deal.id)
    except NotFound:
        await update.effective_message.reply_text(
            t._("No deal of yours matches “{text}”.").format(text=html.escape(text))
        )
        return ConversationHandler.END
    except AmbiguousDeal as ambiguous:
        await ask_which_deal(update, context, STAGES, ambiguous.candidates, [], text)
        return ConversationHandler.END
    if target is None:
        stages = await context.stages(card.team_id or context.actor.team_id)
        await show_card_stages(update, context, card, stages, edit=False)
        return ConversationHandler.END
    if card.stage_id == target.id:
        await update.effective_message.reply_text(explain(t, InvalidInput("stage", "unchanged")))
        return ConversationHandler.END
    return await _ask_lost_reason(update, context, card, target, edit=False)


def build_move_stage_conversation(flows: ActiveFlows) -> ConversationHandler:
    """The card's typed answers: a lost reason, and (from log_activity) an activity's text."""
    text = MOVE.typed(flows)
    button = CallbackQueryHandler(pressed_flow_button, pattern=cb.pattern(cb.MOVE_FLOW))
    return MOVE.conversation(
        entry_points=[
            CommandHandler("stage", stage_command),
            CallbackQueryHandler(chose_stage, pattern=cb.pattern(cb.STAGE_PICK)),
            CallbackQueryHandler(chose_activity, pattern=rf"^{cb.DEAL_CARD}:ak:"),
        ],
        states={
            Step.LOST_REASON: [MessageHandler(text, received_lost_reason), button],
            Step.ACTIVITY_TEXT: [MessageHandler(text, received_activity_text), button],
        },
        fallbacks=[CommandHandler("cancel", cancel)],
        # Another card's button mid-question starts afresh instead of being ignored.
        allow_reentry=True,
    )


def handlers() -> list[object]:
    """Reached only when the conversation is not waiting: a button of a closed draft."""
    return [CallbackQueryHandler(pressed_flow_button, pattern=cb.pattern(cb.MOVE_FLOW))]
