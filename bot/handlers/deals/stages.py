"""Move stage on a card: the card turns into the team's stages, the current one marked."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.buttons import codec as cb
from bot.context import BotContext
from bot.handlers.deals.card import not_found, show
from bot.handlers.deals.card_view import card_message
from bot.handlers.deals.views import stage_picker
from bot.views import deal_card
from storage.cards import DealCard
from storage.cards import deal_card as load_card
from storage.errors import NotFound
from storage.models import Stage


async def card_and_stages(context: BotContext, deal_id: int) -> tuple[DealCard, list[Stage]]:
    """The deal's card and its team's stages; NotFound for a deal the actor may not see."""
    async with context.reading() as uow:
        card = await load_card(uow, context.actor, deal_id)
    # The deal's own team: an admin may move a deal of any team.
    return card, await context.stages(card.team_id or context.actor.team_id)


async def changed_meanwhile(update: Update, context: BotContext, deal_id: int) -> None:
    """The fresh card, with buttons carrying its new version."""
    text, markup = await card_message(context, deal_id)
    header = context.t._("This deal changed meanwhile; nothing was overwritten. Here it is now:")
    await show(update, header + "\n\n" + text, markup)


def _card_text(context: BotContext, card: DealCard) -> str:
    return deal_card(
        context.t, card, today=context.today(), gregorian=context.member.gregorian_years
    )


async def show_stages(
    update: Update, context: BotContext, deal_id: int, seen_version: int | None, *, edit: bool
) -> None:
    """The card with the team's stages as buttons, the current one marked."""
    try:
        card, stages = await card_and_stages(context, deal_id)
    except NotFound:
        await not_found(update, context)
        return
    if seen_version is not None and card.version != seen_version:
        await changed_meanwhile(update, context, deal_id)
        return
    await show_card_stages(update, context, card, stages, edit=edit)


async def show_card_stages(
    update: Update, context: BotContext, card: DealCard, stages: list[Stage], *, edit: bool
) -> None:
    """A card already read, with ``stages`` (its team's) as buttons."""
    question = context.t._("Which stage should it move to?")
    await show(
        update,
        _card_text(context, card) + "\n\n" + question,
        stage_picker(context.t, card, stages),
        edit=edit,
    )


async def pressed_move(update: Update, context: BotContext) -> None:
    """Move stage on a card (which it turns into the stages), or a deal in the /stage list."""
    button = await cb.pressed(update, cb.CardButton)
    if button is None:
        await not_found(update, context)
        return
    seen = button.version
    # From a card the press carries its version and edits it; from a list, the list stays.
    await show_stages(update, context, button.deal_id, seen, edit=seen is not None)


def handlers() -> list[object]:
    return [CallbackQueryHandler(pressed_move, pattern=rf"^{cb.DEAL_CARD}:mv:")]
