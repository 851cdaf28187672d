"""Localized explanations of the domain's InvalidInput errors."""

from __future__ import annotations

from datetime import date

from bot.formatting import format_date
from bot.i18n import Translator
from storage.errors import InvalidInput


def already_past(t: Translator, day: date, *, gregorian: bool = False) -> str:
    """Why a close date was refused: it lies before today."""
    return t._("{date} is already past. Did you mean a later date?").format(
        date=format_date(day, t.language, gregorian=gregorian)
    )


def explain(t: Translator, error: InvalidInput) -> str:
    """One sentence saying what was wrong and what is expected."""
    key = (error.field, error.reason)
    messages = {
        ("name", "length"): t._("The deal needs a name of 1 to 200 characters."),
        ("amount", "negative"): t._("The amount cannot be negative."),
        ("amount", "too_large"): t._("That amount is too large."),
        ("amount", "set_by_lines"): t._("The amount is the sum of the product lines."),
        ("close_date", "required"): t._("The deal needs an expected close date."),
        ("close_date", "out_of_range"): t._("The close date must be between 2000 and 2100."),
        ("probability", "out_of_range"): t._("The probability must be between 0 and 100."),
        ("currency", "unknown"): t._("That currency is not known."),
        ("stage", "unknown"): t._("That stage is not in your team's pipeline."),
        ("stage", "unchanged"): t._("The deal is already in that stage."),
        ("lost_reason", "required"): t._("Please give a reason why the deal was lost."),
        ("owner", "not_allowed"): t._("Only a manager can give a deal to someone else."),
        ("owner", "not_in_team"): t._("That person is not in your team."),
        ("owner", "unknown"): t._("That person is not a member."),
        ("account", "length"): t._("The account name must be 1 to 200 characters."),
        ("contact", "length"): t._("The contact name must be 1 to 200 characters."),
        ("campaign", "length"): t._("The campaign name must be 1 to 200 characters."),
        ("campaign", "not_allowed"): t._("Only a manager can create a campaign."),
        ("account", "unknown"): t._("That account was not found."),
        ("contact", "unknown"): t._("That contact was not found."),
        ("campaign", "unknown"): t._("That campaign was not found."),
        ("source", "unknown"): t._("That source is not in your team's list."),
        ("product", "unknown"): t._("That product was not found."),
        ("product", "currency_mismatch"): t._(
            "That product is priced in another currency than the deal."
        ),
        ("quantity", "out_of_range"): t._(
            "The quantity must be a whole number from 1 to 1,000,000."
        ),
        ("lead", "already_converted"): t._("This lead was already converted."),
        ("lead", "disqualified"): t._("This lead was disqualified."),
    }
    return messages.get(key, t._("That value is not valid."))
