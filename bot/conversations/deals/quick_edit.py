"""Edit on a deal card: the next line the member sends corrects the deal."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ConversationHandler

from bot.buttons import codec as cb
from bot.context import BotContext
from bot.conversations.deals.quick_flow import QUICK, Step, parse_line
from bot.handlers.deals.card_view import card_message
from bot.handlers.deals.text import explain_problems
from bot.invalid import explain
from storage.cards import deal_card as load_card
from storage.errors import Conflict, InvalidInput, NotFound
from storage.models import Rating
from storage.opportunities import update_opportunity
from storage.stages import move_stage


async def pressed_edit(update: Update, context: BotContext) -> Step | int:
    """Edit on a deal card: the next line corrects the deal."""
    button = await cb.pressed(update, cb.DealEdit)
    query = update.callback_query
    try:
        if button is None:
            raise NotFound("opportunities", query.data)
        async with context.uow() as uow:
            card = await load_card(uow, context.actor, button.deal_id)
    except NotFound:
        await update.effective_message.reply_text(context.t._("That deal was not found."))
        return ConversationHandler.END
    await QUICK.start(
        context, Step.EDIT_LINE, {"deal_id": card.id, "version": card.version}, claim=False
    )
    await update.effective_message.reply_text(
        context.t._(
            "Send what to change in one line, e.g. <code>60tr 15/01 warm</code>. "
            "Only what you write changes; /cancel keeps the deal as it is."
        )
    )
    return Step.EDIT_LINE


async def received_edit_line(update: Update, context: BotContext) -> Step | int:
    """Apply a corrected line to the deal being edited."""
    draft = await QUICK.draft(context)
    if draft is None or QUICK.step(draft) is not Step.EDIT_LINE:
        return ConversationHandler.END
    t = context.t
    parse, stage_names = await parse_line(context, update.effective_message.text or "")
    problems = explain_problems(t, parse, stage_names, gregorian=context.fmt.gregorian)
    if problems:
        await update.effective_message.reply_text(problems)
        return Step.EDIT_LINE
    changes: dict[str, object] = {}
    if parse.name:
        changes["name"] = parse.name
    if parse.amount:
        changes["amount"] = parse.amount.minor_units
        changes["currency"] = parse.amount.currency
    if parse.close_date:
        changes["close_date"] = parse.close_date
    if parse.rating:
        changes["rating"] = Rating(parse.rating)
    deal_id, version = draft.data["deal_id"], draft.data["version"]
    try:
        if changes:
            async with context.uow() as uow:
                deal = await update_opportunity(
                    uow, context.actor, deal_id, changes, expected_version=version
                )
                version = deal.version
        if parse.stage_id is not None:
            async with context.uow() as uow:
                await move_stage(
                    uow, context.actor, deal_id, int(parse.stage_id), expected_version=version
                )
    except Conflict:
        card, keyboard = await card_message(context, deal_id)
        await update.effective_message.reply_text(
            t._("This deal changed meanwhile; nothing was overwritten. Here it is now:")
            + "\n\n"
            + card,
            reply_markup=keyboard,
        )
        return await QUICK.end(context, claim=True)
    except InvalidInput as error:
        await update.effective_message.reply_text(explain(t, error))
        return Step.EDIT_LINE
    card, keyboard = await card_message(context, deal_id)
    await update.effective_message.reply_text(
        t._("Deal updated.") + "\n\n" + card, reply_markup=keyboard
    )
    return await QUICK.end(context, claim=True)
