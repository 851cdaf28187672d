"""What the board's API answers: storage results as JSON, formatted in the member's language."""

from __future__ import annotations

import html
import re
from datetime import date, tzinfo
from typing import TYPE_CHECKING, Any

from babel.numbers import format_compact_currency

from bot.formatting import format_date, format_money, to_units
from bot.handlers.deals.views import history_line
from bot.i18n import N_, Translator
from bot.labels import RATING_NAMES, STAGE_NAMES, coded_name, label
from bot.views import deal_card as deal_card_text
from storage.board import Board, BoardCard, BoardFilter, Choice
from storage.cards import DealCard
from storage.deal_history import DealHistory
from storage.models import Result

if TYPE_CHECKING:
    from bot.board.api import Viewer

# The page's own words, sent with every board so the page holds no text of its own.
PAGE_STRINGS = {
    "title": N_("Pipeline board"),
    "mine": N_("My deals"),
    "team": N_("Whole team"),
    "all_months": N_("Any close month"),
    "all_campaigns": N_("All campaigns"),
    "move_to": N_("Move to…"),
    "overdue": N_("Overdue"),
    "weighted": N_("Weighted"),
    "won": N_("Won"),
    "lost": N_("Lost"),
    "lost_reason": N_("Why was the deal lost?"),
    "close_date": N_("New close date"),
    "note": N_("Add a note"),
    "save": N_("Save"),
    "cancel": N_("Cancel"),
    "history": N_("History"),
    "empty": N_("No deals here"),
    "loading": N_("Loading…"),
    "offline": N_("The board could not reach the bot. Check the connection and try again."),
    "unsigned": N_("Open the board from the bot's menu in Telegram."),
    "saved": N_("Saved"),
}


_TAG = re.compile(r"<[^>]+>")


def plain(message_html: str) -> str:
    """Chat HTML as plain text: the page shows it with textContent, never as markup."""
    return html.unescape(_TAG.sub("", message_html))


def initials(name: str) -> str:
    """Up to two letters for an owner's badge: "Nguyễn Văn An" is "NA"."""
    words = [word for word in name.split() if word[:1].isalnum()]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[-1][0]).upper()


def compact_money(minor_units: int, currency: str, lang: str) -> str:
    """ "50 Tr ₫", "฿1.2K", "$5K": a column total that fits a narrow header."""
    return format_compact_currency(
        to_units(minor_units, currency), currency, locale=lang, fraction_digits=1
    )


def _months(today: date, t: Translator, gregorian: bool) -> list[dict[str, str]]:
    """Three months back to nine ahead: the close months worth filtering by."""
    months = []
    for step in range(-3, 10):
        index = today.year * 12 + today.month - 1 + step
        first = date(index // 12, index % 12 + 1, 1)
        months.append(
            {
                "value": f"{first:%Y-%m}",
                "label": format_date(first, t.language, gregorian=gregorian, fmt="MMMM y"),
            }
        )
    return months


def _card(viewer: Viewer, card: BoardCard, today: date) -> dict[str, Any]:
    t, lang = viewer.t, viewer.language
    return {
        "id": card.id,
        "version": card.version,
        "stage_id": card.stage_id,
        "name": card.name,
        "account": card.account_name,
        "amount": card.amount,
        "currency": card.currency,
        "amount_text": format_money(card.amount, card.currency, lang),
        "close_date": card.close_date.isoformat(),
        "close_text": format_date(card.close_date, lang, gregorian=viewer.gregorian),
        "overdue": card.result is Result.OPEN and card.close_date < today,
        "owner": initials(card.owner_name),
        "owner_name": card.owner_name,
        "rating": card.rating.value if card.rating else None,
        "rating_text": label(t, RATING_NAMES, card.rating.value) if card.rating else None,
        "result": card.result.value,
    }


def board_payload(
    viewer: Viewer,
    found: Board,
    wanted: BoardFilter,
    people: list[Choice],
    campaigns: list[Choice],
) -> dict[str, Any]:
    """The whole board: the page renders it without computing a single total."""
    t, lang = viewer.t, viewer.language
    today = viewer.today()
    columns = []
    for column in found.columns:
        count = sum(total.count for total in column.totals)
        columns.append(
            {
                "stage_id": column.stage_id,
                "name": coded_name(t, STAGE_NAMES, column.code, column.name),
                "kind": column.kind.value,
                "probability": column.probability,
                "count": count,
                "count_text": t.n_("{n} deal", "{n} deals", count).format(n=count),
                "totals": [
                    {
                        "currency": total.currency,
                        "count": total.count,
                        "amount": total.amount,
                        "weighted": total.weighted,
                        "amount_text": compact_money(total.amount, total.currency, lang),
                        "weighted_text": compact_money(total.weighted, total.currency, lang),
                    }
                    for total in column.totals
                ],
            }
        )
    if wanted.owner_id is None:
        owner = "team"
    elif wanted.owner_id == viewer.actor.id:
        owner = "mine"
    else:
        owner = str(wanted.owner_id)
    return {
        "me": {"name": viewer.name, "manager": viewer.actor.is_manager, "language": lang},
        "strings": {key: t._(message) for key, message in PAGE_STRINGS.items()},
        "filter": {
            "owner": owner,
            "month": wanted.month or "",
            "campaign": str(wanted.campaign_id or ""),
        },
        "people": [{"id": p.id, "name": p.name} for p in people if p.id != viewer.actor.id],
        "campaigns": [{"id": c.id, "name": c.name} for c in campaigns],
        "months": _months(today, t, viewer.gregorian),
        "columns": columns,
        "cards": [_card(viewer, card, today) for card in found.cards],
    }


def deal_payload(
    viewer: Viewer, card: DealCard, history: DealHistory, zone: tzinfo
) -> dict[str, Any]:
    """A deal as its chat card shows it, line by line, and its history, oldest first."""
    t = viewer.t
    text = deal_card_text(t, card, today=viewer.today(), gregorian=viewer.gregorian)
    return {
        "id": card.id,
        "version": card.version,
        "name": card.name,
        "stage_id": card.stage_id,
        "result": card.result.value,
        "close_date": card.close_date.isoformat(),
        "lines": [line for line in plain(text).split("\n") if line.strip()],
        "history": [
            plain(history_line(t, history, entry, zone, viewer.gregorian))
            for entry in history.entries
        ],
    }
