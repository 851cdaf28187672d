"""Pure functions from results to message text: no I/O, unit-tested."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from bot.formatting import format_date, format_money
from bot.i18n import Translator
from bot.labels import (
    DEAL_TYPE_NAMES,
    RATING_NAMES,
    RESULT_NAMES,
    SOURCE_NAMES,
    STAGE_NAMES,
    coded_name,
    label,
)
from storage.cards import DealCard
from storage.models import Result

DASH = "—"
# Deals and leads are listed this many to a page.
PAGE_SIZE = 8
# A card shows this much of a description; "Show all" sends the rest.
CARD_DESCRIPTION = 500


def short_description(text: str | None) -> str | None:
    """The description as a card shows it: cut at ``CARD_DESCRIPTION`` with "…"."""
    if text is None or len(text) <= CARD_DESCRIPTION:
        return text
    return text[:CARD_DESCRIPTION].rstrip() + "…"


def _row(name: str, value: str | None) -> str:
    return f"{name}: {html.escape(value) if value else DASH}"


def lead_summary(
    t: Translator,
    data: dict[str, Any],
    source_name: str | None,
    campaign_name: str | None = None,
) -> str:
    """The card shown before a lead is saved, every answer so far escaped."""
    return "\n".join(
        [
            "<b>" + t._("New lead") + "</b>",
            _row(t._("Person"), data.get("person_name")),
            _row(t._("Company"), data.get("company_name")),
            _row(t._("Phone"), data.get("phone")),
            _row(t._("Email"), data.get("email")),
            _row(t._("Source"), source_name),
            _row(t._("Campaign"), campaign_name),
        ]
    )


def days_to_close(t: Translator, close_date: date, today: date) -> str:
    days = (close_date - today).days
    if days < 0:
        return t.n_("overdue by {n} day", "overdue by {n} days", -days).format(n=-days)
    if days == 0:
        return t._("closes today")
    return t.n_("{n} day left", "{n} days left", days).format(n=days)


def deal_card(t: Translator, card: DealCard, *, today: date, gregorian: bool = False) -> str:
    """A deal's card: every field, formatted for the reader's language."""
    lang = t.language
    stage = coded_name(t, STAGE_NAMES, card.stage_code, card.stage_name)
    when = format_date(card.close_date, lang, gregorian=gregorian)
    when_row = _row(t._("Expected close"), f"{when} ({days_to_close(t, card.close_date, today)})")
    if card.result is not Result.OPEN:
        # Once closed, the day it happened matters, not the day it was expected.
        closed = format_date(card.closed_on or card.close_date, lang, gregorian=gregorian)
        name = t._("Won on") if card.result is Result.WON else t._("Lost on")
        when_row = _row(name, closed)
    lines = [
        f"<b>{html.escape(card.name)}</b> · #{card.id}",
        _row(t._("Amount"), format_money(card.amount, card.currency, lang)),
        _row(
            t._("Stage"),
            t._("{stage} ({probability}%)").format(stage=stage, probability=card.probability),
        ),
        _row(t._("Expected revenue"), format_money(card.expected_revenue, card.currency, lang)),
        when_row,
        _row(t._("Result"), label(t, RESULT_NAMES, card.result)),
    ]
    if card.result is Result.LOST:
        lines.append(_row(t._("Lost reason"), card.lost_reason))
    lines += [
        _row(t._("Owner"), card.owner_name),
        _row(t._("Account"), card.account_name),
        _row(t._("Contact"), card.contact_name),
        _row(t._("Campaign"), card.campaign_name),
        _row(t._("Rating"), label(t, RATING_NAMES, card.rating)),
        _row(t._("Type"), label(t, DEAL_TYPE_NAMES, card.deal_type)),
        _row(
            t._("Source"),
            coded_name(t, SOURCE_NAMES, card.source_code, card.source_name or "")
            if card.source_name
            else None,
        ),
    ]
    if card.description:
        lines.append(_row(t._("Description"), short_description(card.description)))
    return "\n".join(lines)
