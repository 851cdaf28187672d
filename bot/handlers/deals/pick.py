"""A deal command whose words name several deals: pick one with a button, then it runs."""

from __future__ import annotations

import enum
import html

from telegram import Update

from bot.buttons import codec as cb
from bot.buttons.pickers import deal_label, picker
from bot.context import BotContext
from bot.flowkit.flow import Flow
from storage.drafts import NONCE
from storage.models import Opportunity
from storage.queries import deal_choices


class _Step(enum.IntEnum):
    PICK = 1


# Not a conversation: the draft keeps the command's other words until a button is pressed.
PICK = Flow("pick", _Step, takes_text=False)
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
    data = {"command": command, "words": words, "ids": ids, "name": typed}
    draft = await PICK.save(context, _Step.PICK, data, claim=False)
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
    draft = await PICK.pressed(update, context, button)
    if draft is None:
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
    await PICK.end(context)
    return data["command"], deal_id, data["words"]
