"""Money, numbers, percentages and dates formatted with Babel for "vi", "th" or "en"."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import tokenize_pattern, untokenize_pattern
from babel.numbers import format_currency, format_decimal, get_currency_precision
from babel.numbers import format_percent as babel_format_percent

BUDDHIST_ERA_OFFSET = 543
BUDDHIST_ERA = "พ.ศ."
_NAMED_FORMATS = ("short", "medium", "long", "full")
# Dates are typed back day first in every language (see bot.parsing.dates), so English
# dates are shown day first too: "31 Dec 2026", never "12/31/26".
_DATE_LOCALES = {"en": "en_GB"}


@cache
def _locale(lang: str) -> Locale:
    """Parsed once per language: Babel would parse the name again on every call."""
    return Locale.parse(lang)


@cache
def _date_pattern(lang: str, fmt: str) -> tuple[Locale, str]:
    locale = Locale.parse(_DATE_LOCALES.get(lang, lang))
    return locale, locale.date_formats[fmt].pattern if fmt in _NAMED_FORMATS else fmt


@cache
def _buddhist_pattern(pattern: str, year: int) -> str:
    return _buddhist_era_pattern(pattern, date(year, 1, 1))


def minor_units_per_unit(currency: str) -> int:
    """100 for USD and THB, 1 for VND: Babel's (CLDR's) digits for the currency."""
    return 10 ** get_currency_precision(currency)


def to_units(minor_units: int, currency: str) -> Decimal:
    """The exact Decimal amount in whole units: 123450 USD cents is 1234.50."""
    return Decimal(minor_units).scaleb(-get_currency_precision(currency))


def format_money(minor_units: int, currency: str, lang: str) -> str:
    """ "50.000.000 ₫" in Vietnamese, "฿1,234.50" in Thai, "$5,000.00" in English."""
    return format_currency(to_units(minor_units, currency), currency, locale=_locale(lang))


def format_number(value: int | Decimal, lang: str) -> str:
    """Grouped digits in the language's convention, every given decimal kept."""
    return format_decimal(value, locale=_locale(lang), decimal_quantization=False)


def format_percent(fraction: float | Decimal, lang: str) -> str:
    """``fraction`` as a percentage: 0.5 is "50%" (a stage's 50 is passed as 0.5)."""
    return babel_format_percent(fraction, locale=_locale(lang))


def _buddhist_era_pattern(pattern: str, day: date) -> str:
    """Replace the year fields with the Buddhist-era year and the era with "พ.ศ.".

    Babel has no Buddhist calendar, so the BE year is written in as literal text.
    """
    year = day.year + BUDDHIST_ERA_OFFSET
    tokens: list[tuple[str, str | tuple[str, int]]] = []
    for kind, value in tokenize_pattern(pattern):
        if kind == "field" and isinstance(value, tuple) and value[0] in "yY":
            width = value[1]
            text = f"{year % 100:02d}" if width == 2 else f"{year:0{width}d}"
            tokens.append(("chars", text))
        elif kind == "field" and isinstance(value, tuple) and value[0] == "G":
            tokens.append(("chars", BUDDHIST_ERA))
        else:
            tokens.append((kind, value))
    return untokenize_pattern(tokens)


def format_date(day: date, lang: str, *, gregorian: bool = False, fmt: str = "medium") -> str:
    """``day`` for ``lang``; Thai shows the Buddhist-era year unless ``gregorian``.

    Args:
        day: the date.
        lang: "vi", "th" or "en".
        gregorian: in Thai, keep the Gregorian year (Babel's own output).
        fmt: "short", "medium", "long", "full", or a CLDR date pattern.

    Returns:
        e.g. "31 thg 12, 2026", "31 ธ.ค. 2569", "31 Dec 2026".
    """
    locale, pattern = _date_pattern(lang, fmt)
    if lang == "th" and not gregorian:
        pattern = _buddhist_pattern(pattern, day.year)
    return babel_format_date(day, pattern, locale=locale)
