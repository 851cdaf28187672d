"""One picker for every "which one?": buttons whose labels tell the candidates apart.

Eight at a time, then a "More" button. A label carries what differs between deals
that share a name: amount, stage (or the result once closed), close date, and the
owner when it is not the person asking.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import codec as cb
from bot.formatting import format_date, format_money
from bot.handlers.deals.views import shorten
from bot.i18n import N_, Translator
from bot.labels import STAGE_NAMES, coded_name
from storage.models import Result
from storage.months import month_end, quarter_end
from storage.queries import DealChoice

PICK_SIZE = 8
WON_MARK = "✅"
LOST_MARK = "❌"


def deal_label(t: Translator, deal: DealChoice, viewer_id: int, *, gregorian: bool = False) -> str:
    """ "#40 Cloud backup · ₫50.000.000 · Proposal · 31/12/26 · Binh"."""
    if deal.result is Result.WON:
        stage = WON_MARK + " " + t._("Won")
    elif deal.result is Result.LOST:
        stage = LOST_MARK + " " + t._("Lost")
    else:
        stage = coded_name(t, STAGE_NAMES, deal.stage_code, deal.stage_name)
    parts = [
        f"#{deal.id} {shorten(deal.name, 28)}",
        format_money(deal.amount, deal.currency, t.language),
        stage,
        format_date(deal.close_date, t.language, gregorian=gregorian, fmt="short"),
    ]
    if deal.owner_id != viewer_id:
        parts.append(shorten(deal.owner_name, 16))
    return " · ".join(parts)


def picker(
    t: Translator,
    labelled: Sequence[tuple[str, Any]],
    choose: Callable[[Any], cb.Button],
    more: Callable[[int], cb.Button],
    page: int = 0,
) -> InlineKeyboardMarkup:
    """A button per value on one page (``choose(value)``), then More (``more(next page)``)."""
    start = page * PICK_SIZE
    rows = [
        [InlineKeyboardButton(label, callback_data=choose(value).pack())]
        for label, value in labelled[start : start + PICK_SIZE]
    ]
    if len(labelled) > start + PICK_SIZE:
        rows.append([InlineKeyboardButton(t._("More") + " »", callback_data=more(page + 1).pack())])
    return InlineKeyboardMarkup(rows)


def close_date_choices(today: date) -> list[tuple[str, date]]:
    """End of this month, of next month and of the quarter, as (msgid, date)."""
    return [
        (N_("End of this month"), month_end(today)),
        (N_("End of next month"), month_end(today, 1)),
        (N_("End of quarter"), quarter_end(today)),
    ]


def close_date_rows(
    t: Translator, today: date, data_for: Callable[[date], str], *, gregorian: bool
) -> list[list[InlineKeyboardButton]]:
    """The preset close dates, one button a row, each labelled with its date."""
    return [
        [
            InlineKeyboardButton(
                f"{t._(name)} ({format_date(day, t.language, gregorian=gregorian, fmt='short')})",
                callback_data=data_for(day),
            )
        ]
        for name, day in close_date_choices(today)
    ]
