"""A deal card as a message: its text and its buttons, from one read."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import codec as cb
from bot.context import BotContext
from bot.views import deal_card, short_description
from storage.cards import DealCard
from storage.cards import deal_card as load_card


def card_keyboard(
    context: BotContext,
    deal_id: int,
    version: int | None = None,
    *,
    undo: bool = False,
    show_all: bool = False,
) -> InlineKeyboardMarkup:
    """A deal card's buttons; Undo only on the answer to a fresh quick-create.

    ``version`` is the version the card shows: Move stage carries it, so a move made from
    a card someone changed since is refused instead of overwriting their change.
    """
    t = context.t
    move = cb.CardButton("mv", deal_id, version).pack()
    rows = [
        [
            InlineKeyboardButton(t._("Move stage"), callback_data=move),
            InlineKeyboardButton(t._("Edit"), callback_data=cb.DealEdit(deal_id).pack()),
        ],
        [
            InlineKeyboardButton(
                t._("Log activity"), callback_data=cb.CardButton("act", deal_id).pack()
            ),
            InlineKeyboardButton(
                t._("History"), callback_data=cb.CardButton("hist", deal_id).pack()
            ),
        ],
    ]
    if show_all:
        rows.append(
            [
                InlineKeyboardButton(
                    t._("Show the whole description"),
                    callback_data=cb.CardButton("desc", deal_id).pack(),
                )
            ]
        )
    if undo:
        rows.insert(
            0,
            [InlineKeyboardButton(t._("Undo"), callback_data=cb.DealUndo(deal_id).pack())],
        )
    return InlineKeyboardMarkup(rows)


async def card_text(context: BotContext, deal_id: int) -> str:
    return (await card_message(context, deal_id))[0]


async def card_message(
    context: BotContext, deal_id: int, *, undo: bool = False
) -> tuple[str, InlineKeyboardMarkup]:
    """The card's text and buttons from one read, the buttons carrying its version.

    Raises:
        NotFound: no such deal, or another rep's.
    """
    async with context.reading() as uow:
        card = await load_card(uow, context.actor, deal_id)
    return render_card(context, card, undo=undo)


def render_card(
    context: BotContext, card: DealCard, *, undo: bool = False
) -> tuple[str, InlineKeyboardMarkup]:
    """A card already read, as text and buttons carrying its version."""
    text = deal_card(
        context.t, card, today=context.today(), gregorian=context.member.gregorian_years
    )
    cut = short_description(card.description) != card.description
    return text, card_keyboard(context, card.id, card.version, undo=undo, show_all=cut)
