"""A deal command whose words name several deals: pick one with a button, then it runs."""

from __future__ import annotations

import html

from telegram import Update

from bot.buttons import codec as cb
from bot.buttons.pickers import deal_label, picker
from bot.context import BotContext
from storage.drafts import NONCE, discard_draft, get_draft, stage_draft
from storage.models import Opportunity
from storage.queries import deal_choices

# Not a conversation: the draft keeps the command's other words until a button is pressed.
FLOW = "pick"
# The command that shows a picked deal's stages as buttons (/stage with a deal only).
STAGES = "stages"


async def ask_which_deal(
    update: Update,
    context: BotContext,
    command: str,
    candidates: list[Opportunity],
    words: list[str],
    typed: str = "",
) -> None:
    """Offer ``candidates`` as buttons; the chosen one runs ``command`` with ``words`` after it.

    Args:
        command: a name in ``bot.handlers.deals.commands.BY_NAME``, or ``STAGES``.
        words: the command's words other than the deal's, in order.
        typed: what named the deal, to name the question if it expires unanswered.
    """
    ids = [deal.id for deal in candidates]
    async with context.uow() as uow:
        draft = stage_draft(
            uow,
            context.actor,
            await get_draft(uow, context.actor, FLOW),
            flow=FLOW,
            step="pick",
            data={"command": command, "words": words, "ids": ids, "name": typed},
            ttl=context.bot_data.settings.draft_ttl,
            now=context.now(),
        )
        await uow.commit()
    text, markup = await _page(context, draft.data, 0)
    await update.effective_message.reply_text(text, reply_markup=markup)


async def _page(context: BotContext, data: dict, page: int):  # type: ignore[no-untyped-def]
    t = context.t
    async with context.uow() as uow:
        choices = await deal_choices(uow, context.actor, list(data["ids"]))
    gregorian = context.member.gregorian_years
    labelled = [
        (deal_label(t, choice, context.actor.id, gregorian=gregorian), choice.id)
        for choice in choices
    ]
    text = t.n_(
        "{count} deal matches. Which one?",
        "{count} deals match. Which one?",
        len(labelled),
    ).format(count=len(labelled))
    nonce = data[NONCE]
    markup = picker(
        t,
        labelled,
        lambda deal_id: cb.PickDeal(nonce, deal_id),
        lambda page: cb.PickMore(nonce, page),
        page,
    )
    return html.escape(text), markup


async def picked(update: Update, context: BotContext) -> tuple[str, int, list[str]] | None:
    """The picked deal with its command and words; None when More was pressed or it failed."""
    button = await cb.pressed(update, cb.PickMore, cb.PickDeal)
    query = update.callback_query
    async with context.uow() as uow:
        draft = await get_draft(uow, context.actor, FLOW)
    if draft is None or button is None or button.nonce != draft.data.get(NONCE):
        await update.effective_message.reply_text(
            context.t._("That button belongs to a draft that is no longer open.")
        )
        return None
    data = draft.data
    if isinstance(button, cb.PickMore):
        text, markup = await _page(context, data, button.page)
        await query.edit_message_text(text, reply_markup=markup)
        return None
    deal_id = button.deal_id
    if deal_id not in data["ids"]:
        await update.effective_message.reply_text(context.t._("That deal was not found."))
        return None
    async with context.uow() as uow:
        await discard_draft(uow, context.actor, FLOW)
        await uow.commit()
    return data["command"], deal_id, data["words"]
