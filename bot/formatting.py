"""Money, numbers, percentages and dates formatted with Babel for "vi", "th" or "en"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import tokenize_pattern, untokenize_pattern
from babel.numbers import (
    NumberPattern,
    format_compact_currency,
    format_decimal,
    get_currency_precision,
    get_currency_symbol,
    parse_pattern,
)
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


@cache
def _precision(currency: str) -> int:
    return get_currency_precision(currency)


def minor_units_per_unit(currency: str) -> int:
    """100 for USD and THB, 1 for VND: Babel's (CLDR's) digits for the currency."""
    return 10 ** _precision(currency)


def to_units(minor_units: int, currency: str) -> Decimal:
    """The exact Decimal amount in whole units: 123450 USD cents is 1234.50."""
    return Decimal(minor_units).scaleb(-_precision(currency))


@cache
def _money_pattern(lang: str, whole: bool) -> NumberPattern:
    """The language's currency pattern; for a whole amount, without its decimals."""
    pattern = _locale(lang).currency_formats["standard"]
    if not whole:
        return pattern
    return parse_pattern(pattern.pattern.split(";")[0].replace(".00", ""))


def _babel_money(minor_units: int, currency: str, lang: str) -> str:
    units = to_units(minor_units, currency)
    whole = units == units.to_integral_value()
    return _money_pattern(lang, whole).apply(
        units, _locale(lang), currency=currency, currency_digits=not whole
    )


@dataclass(frozen=True, slots=True)
class _MoneyShape:
    """What surrounds and separates the digits of a sum in one language and currency."""

    positive: tuple[str, str]
    negative: tuple[str, str]
    group: str
    decimal: str


@cache
def _money_shape(lang: str, currency: str) -> _MoneyShape | None:
    """Read off Babel's own formatting of a probe, once per language and currency.

    None where the grouping is not by thousands (Babel formats those sums itself).
    """
    if _locale(lang).currency_formats["standard"].grouping != (3, 3):
        return None
    pattern = _money_pattern(lang, False)

    # The probe's digits show where Babel puts each separator and the sign.
    def around(number: Decimal) -> tuple[str, str, str, str]:
        text = pattern.apply(number, _locale(lang), currency=currency, currency_digits=False)
        start, end = text.index("1"), text.rindex("9") + 1
        digits = text[start:end]
        return text[:start], text[end:], digits[1], digits[-3]

    prefix, suffix, group, decimal = around(Decimal("1234567.89"))
    minus_prefix, minus_suffix, _, _ = around(Decimal("-1234567.89"))
    return _MoneyShape((prefix, suffix), (minus_prefix, minus_suffix), group, decimal)


def format_money(minor_units: int, currency: str, lang: str) -> str:
    """ "50.000.000 ₫" in Vietnamese, "฿1,234.50" in Thai, "$5,000" in English.

    Cents are shown when there are some: a whole amount reads "฿500,000", not
    "฿500,000.00". The same text as Babel's ``format_currency``, from a shape read
    off Babel once: a digest formats hundreds of sums, and Babel parses its
    pattern and looks up the currency on every call.
    """
    shape = _money_shape(lang, currency)
    if shape is None:
        return _babel_money(minor_units, currency, lang)
    precision = _precision(currency)
    units, cents = divmod(abs(minor_units), 10**precision)
    text = f"{units:,}".replace(",", shape.group)
    if cents:
        text += shape.decimal + f"{cents:0{precision}d}"
    before, after = shape.negative if minor_units < 0 else shape.positive
    return before + text + after


# Words for thousands, millions and billions as people say money aloud, largest first;
# Thai counts in ล้าน (millions) up to very large sums, as its newspapers do.
_SCALES = {
    "vi": ((10**9, "tỷ"), (10**6, "triệu"), (10**3, "nghìn")),
    "th": ((10**6, "ล้าน"), (10**5, "แสน")),
}


def format_compact_money(minor_units: int, currency: str, lang: str) -> str:
    """A total to scan, not to copy: "19,1 tỷ ₫", "฿1.2 ล้าน", "$1.2M".

    At most one decimal; amounts below the smallest word are shown whole. Cards and
    exports keep the full figure (``format_money``).
    """
    units = to_units(minor_units, currency)
    if lang not in _SCALES:
        if abs(units) < 1000:
            return format_money(round(units) * minor_units_per_unit(currency), currency, lang)
        return format_compact_currency(units, currency, locale=lang, fraction_digits=1)
    for size, word in _SCALES[lang]:
        if abs(units) >= size:
            scaled = (units / size).quantize(Decimal("0.1") if units < 100 * size else 1)
            digits = "#,##0.#" if scaled != scaled.to_integral_value() else "#,##0"
            number = format_decimal(scaled, format=digits, locale=lang)
            symbol = get_currency_symbol(currency, locale=lang)
            if lang == "th":
                return f"{symbol}{number} {word}"
            return f"{number} {word} {symbol}"
    return format_money(round(units) * minor_units_per_unit(currency), currency, lang)


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


_Day = date


@dataclass(frozen=True)
class Formatter:
    """Dates and money as one member reads them: bound once per update (``context.fmt``)."""

    language: str
    gregorian: bool = False
    timezone: str = "Asia/Ho_Chi_Minh"
    currency: str = "VND"

    def date(self, day: _Day, fmt: str = "medium") -> str:
        """``day`` in the member's language, with their choice of year in Thai."""
        return format_date(day, self.language, gregorian=self.gregorian, fmt=fmt)

    def money(self, minor_units: int, currency: str | None = None) -> str:
        """The full figure, in ``currency`` or the member's own."""
        return format_money(minor_units, currency or self.currency, self.language)

    def compact(self, minor_units: int, currency: str | None = None) -> str:
        """A total to scan: "19,1 tỷ ₫"."""
        return format_compact_money(minor_units, currency or self.currency, self.language)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)
