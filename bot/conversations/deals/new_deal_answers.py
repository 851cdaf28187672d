"""Reading the guided deal form's typed answers: pure functions that accept or explain."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date

from bot.formatting import format_date, format_money
from bot.i18n import Translator
from bot.invalid import already_past, explain
from bot.parsing import Ambiguous, Money, ParseError, parse_amount, parse_date
from storage import validation
from storage.errors import InvalidInput

MAX_DESCRIPTION = 4000


@dataclass
class Problem(Exception):
    """An answer that cannot be used: what to tell the user, and buttons for likely fixes.

    ``choices`` are (label, button parts) pairs, e.g. the readings of an ambiguous amount.
    """

    message: str
    choices: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)


def _invalid(t: Translator, error: InvalidInput) -> Problem:
    return Problem(explain(t, error))


def read_name(t: Translator, text: str, field_name: str = "name") -> str:
    """A name of 1 to 200 characters (a deal's, or one typed to search or create)."""
    try:
        return validation.name(text, field_name)
    except InvalidInput as error:
        raise _invalid(t, error) from None


def read_amount(t: Translator, text: str, currency: str) -> Money:
    """An amount with its currency (the team's ``currency`` unless the text names one)."""
    result = parse_amount(text, t.language, currency)
    if isinstance(result, Money):
        try:
            validation.amount(result.minor_units)
        except InvalidInput as error:
            raise _invalid(t, error) from None
        return result
    if isinstance(result, Ambiguous):
        options = [format_money(m.minor_units, m.currency, t.language) for m in result.candidates]
        raise Problem(
            t._("I can read the {field} as: {options}. Which one did you mean?").format(
                field=t._("amount"), options=" / ".join(options)
            ),
            [
                (option, ("am", str(money.minor_units), money.currency))
                for option, money in zip(options, result.candidates, strict=True)
            ],
        )
    code = result.code if isinstance(result, ParseError) else ""
    if code == "negative":
        raise _invalid(t, InvalidInput("amount", "negative"))
    if code == "too_large":
        raise _invalid(t, InvalidInput("amount", "too_large"))
    if code == "too_precise":
        raise Problem(t._("That amount has more decimals than its currency allows."))
    if code == "currency_conflict":
        raise Problem(t._("That amount names two different currencies; please use one."))
    raise Problem(t._("I could not read that amount. Write it like 50000000, 50tr or $5,000."))


def read_close_date(t: Translator, text: str, today: date, *, gregorian: bool = False) -> date:
    """A close date as the quick-create parser reads it; never a past or impossible one."""
    result = parse_date(text, t.language, today)
    if isinstance(result, date):
        try:
            return validation.close_date(result)
        except InvalidInput as error:
            raise _invalid(t, error) from None
    if isinstance(result, Ambiguous):
        options = [format_date(day, t.language, gregorian=gregorian) for day in result.candidates]
        raise Problem(
            t._("Which date did you mean: {options}?").format(options=" / ".join(options)),
            [
                (option, ("dt", day.strftime("%Y%m%d")))
                for option, day in zip(options, result.candidates, strict=True)
            ],
        )
    if isinstance(result, ParseError) and result.code == "past" and isinstance(result.value, date):
        raise Problem(already_past(t, result.value, gregorian=gregorian))
    if isinstance(result, ParseError) and result.code == "impossible_date":
        raise Problem(t._("{text} is not a real date.").format(text=html.escape(text.strip())))
    raise Problem(t._("I could not read that date."))


def read_probability(t: Translator, text: str) -> int:
    """A whole percentage from 0 to 100; "70" and "70%" both read as 70."""
    cleaned = text.strip().removesuffix("%").strip()
    if not re.fullmatch(r"\d{1,3}", cleaned) or int(cleaned) > 100:
        raise _invalid(t, InvalidInput("probability", "out_of_range"))
    return int(cleaned)


def read_quantity(t: Translator, text: str) -> int:
    """A whole number of units from 1 to 1,000,000 (spaces and group marks ignored)."""
    cleaned = re.sub(r"[\s.,]", "", text)
    if not re.fullmatch(r"\d{1,7}", cleaned) or not 1 <= int(cleaned) <= 1_000_000:
        raise _invalid(t, InvalidInput("quantity", "out_of_range"))
    return int(cleaned)


def read_description(t: Translator, text: str) -> str:
    text = text.strip()
    if not text:
        raise Problem(t._("The description is empty. Type it, or press Skip."))
    if len(text) > MAX_DESCRIPTION:
        raise Problem(
            t._("The description can be at most {max} characters; this one has {n}.").format(
                max=MAX_DESCRIPTION, n=len(text)
            )
        )
    return text


def use_buttons(t: Translator) -> Problem:
    return Problem(t._("Please choose one of the buttons."))
