"""Amounts as people type them ("50tr", "1,5 tỷ", "1.2 ล้าน", "$5,000") read into minor units.

How a number with one separator is read (``_readings``). The shape "1–3 digits, one
``.`` or ``,``, exactly three digits" ("1.234", "1,500") is the only one that can be
both thousands grouping and a decimal fraction; every other shape has one reading
("1,5" and "1.25" are decimals, "50.000.000" is grouping, "1.234,5" uses both marks).
For that shape:

1. both readings are computed (with the magnitude word and the currency), and a
   reading that is not a whole number of minor units is dropped: "1.234" VND can
   only be 1234 đồng;
2. if both remain, the language's own reading wins when the separator is its group
   mark and no magnitude word follows ("$1,500" in English, "1.500 USD" in
   Vietnamese), or when the separator is its decimal mark and a magnitude word
   follows ("1.234m" in English, "1,234 tr" in Vietnamese);
3. otherwise the input is ``Ambiguous``, the language's reading first: "1.234 tr"
   in Vietnamese (1234 triệu, or 1.234 triệu as many people type it) and "1,500 USD"
   in Vietnamese (1,5 by the Vietnamese convention, 1500 by the English one).
"""

from __future__ import annotations

import decimal
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from babel.numbers import (
    get_currency_precision,
    get_currency_symbol,
    get_group_symbol,
)

from bot.parsing.results import (
    CURRENCY_CONFLICT,
    INVALID_NUMBER,
    NEGATIVE,
    NOT_AN_AMOUNT,
    TOO_LARGE,
    TOO_PRECISE,
    Ambiguous,
    Found,
    Money,
    ParseError,
)
from bot.parsing.words import (
    CURRENCIES,
    END,
    HALF,
    LANGUAGES,
    LATIN_ALNUM,
    LATIN_LETTER,
    MAGNITUDE,
    PREFIX_CURRENCIES,
    SPACED_MAGNITUDE,
    alt,
    currency_of,
    magnitude_exponent,
    normalize,
)

# Amounts are stored as a BIGINT of minor units; this keeps a wide margin below it.
LIMIT = 10**15
# Longer numbers are typos or noise; refusing them keeps Decimal arithmetic exact.
_MAX_NUMBER_CHARS = 40

AmountResult = Money | Ambiguous[Money] | ParseError


@dataclass(frozen=True)
class _Marks:
    prefixes: dict[str, tuple[str, ...]]
    suffixes: dict[str, tuple[str, ...]]
    pattern: re.Pattern[str]


def _suffix_regex(mark: str) -> str:
    # A mark that ends in a letter must end a word: "50 đi" is not 50 đồng.
    return mark + END if re.search(f"[{LATIN_LETTER}]$", mark) else mark


@cache
def _marks(default_currency: str) -> _Marks:
    prefixes = dict(PREFIX_CURRENCIES)
    suffixes = dict(CURRENCIES)
    if default_currency not in suffixes:
        # A team working in another currency can still type its code or symbol.
        own = {re.escape(default_currency.lower())} | {
            re.escape(get_currency_symbol(default_currency, locale=lang)) for lang in LANGUAGES
        }
        prefixes[default_currency] = suffixes[default_currency] = tuple(own)
    prefix = alt(mark for marks in prefixes.values() for mark in marks)
    suffix = alt(_suffix_regex(mark) for marks in suffixes.values() for mark in marks)
    pattern = re.compile(
        rf"(?<![{LATIN_ALNUM}.,/:])"
        r"(?:(?<![^\s(])(?P<sign>[-−])\s*)?"
        rf"(?:(?P<pre>{prefix})\s*)?"
        r"(?P<sign2>[-−])?"
        r"(?P<num>\d+(?:[.,]\d+)*)"
        rf"(?:\s*(?:(?P<vmag>{SPACED_MAGNITUDE})|(?P<mag>{MAGNITUDE}))"
        rf"(?:(?={suffix})|(?![{LATIN_LETTER}]))"
        # "2tr5", "2 tỷ 3": the next digits of the magnitude, unless they start a date,
        # another number, or an amount of their own ("1 tỷ 200 triệu" is merged below).
        rf"(?:(?(vmag)[ \t]?)(?P<short>\d{{1,3}})(?![\d.,/:\-])(?!\s*(?:{MAGNITUDE}){END}))?"
        rf"(?:\s*(?P<half>{HALF}){END})?)?"
        rf"(?:\s*(?P<suf>{suffix}))?"
        rf"(?![{LATIN_ALNUM}%:])",
        re.IGNORECASE,
    )
    return _Marks(prefixes, suffixes, pattern)


@dataclass
class _Part:
    """One number with its marks; "1 tỷ 200 triệu" is two parts merged into one."""

    start: int
    end: int
    negative: bool
    currencies: set[str]
    num: str
    exponent: int | None
    last_exponent: int | None
    extra: Decimal  # a fraction of the magnitude: the 5 of "2tr5", a "rưỡi"
    added: Decimal  # what merged smaller parts add, in units

    @property
    def explicit(self) -> bool:
        return bool(
            self.currencies or self.exponent is not None or self.negative or not self.num.isdigit()
        )


def _is_grouped(number: str, mark: str) -> bool:
    return re.fullmatch(rf"[1-9]\d{{0,2}}(?:{re.escape(mark)}\d{{3}})+", number) is not None


def _readings(number: str, lang: str) -> tuple[list[Decimal], bool] | None:
    """The values ``number`` can mean, the language's reading first, and whether its one
    separator is the language's group mark; None when it is not a well-formed number."""
    group_mark = get_group_symbol(lang)
    marks = [ch for ch in number if ch in ".,"]
    if not marks:
        return [Decimal(number)], False
    if len(set(marks)) == 2:
        point = marks[-1]
        whole, fraction = number.rsplit(point, 1)
        grouping = "," if point == "." else "."
        if point in whole or not _is_grouped(whole, grouping):
            return None
        return [Decimal(whole.replace(grouping, "") + "." + fraction)], False
    mark = marks[0]
    if len(marks) > 1:
        return ([Decimal(number.replace(mark, ""))], False) if _is_grouped(number, mark) else None
    whole, fraction = number.split(mark)
    as_decimal = Decimal(f"{whole}.{fraction}")
    if len(fraction) == 3 and _is_grouped(number, mark):
        as_grouping = Decimal(whole + fraction)
        if mark == group_mark:
            return [as_grouping, as_decimal], True
        return [as_decimal, as_grouping], False
    return [as_decimal], False


def _evaluate(part: _Part, lang: str, default_currency: str) -> AmountResult:
    if len(part.currencies) > 1:
        return ParseError(CURRENCY_CONFLICT, tuple(sorted(part.currencies)))
    currency = next(iter(part.currencies), default_currency)
    if len(part.num) > _MAX_NUMBER_CHARS:
        return ParseError(INVALID_NUMBER)
    read = _readings(part.num, lang)
    if read is None or (part.extra and not part.num.isdigit()):
        return ParseError(INVALID_NUMBER)
    if part.negative:
        return ParseError(NEGATIVE)
    readings, separator_is_group = read
    scale = Decimal(10) ** (part.exponent or 0)
    with decimal.localcontext(prec=120):
        minors = [
            ((value + part.extra) * scale + part.added).scaleb(get_currency_precision(currency))
            for value in readings
        ]
    exact = [Money(int(m), currency) for m in minors if m == m.to_integral_value()]
    if not exact:
        return ParseError(TOO_PRECISE)
    if len(exact) == 2 and separator_is_group != (part.exponent is not None):
        exact = exact[:1]
    in_range = [money for money in exact if money.minor_units < LIMIT]
    if not in_range:
        return ParseError(TOO_LARGE)
    return in_range[0] if len(in_range) == 1 else Ambiguous(tuple(in_range))


def _parts(text: str, marks: _Marks) -> list[_Part]:
    parts = []
    for match in marks.pattern.finditer(text):
        currencies = set()
        if match["pre"]:
            currencies.add(currency_of(match["pre"], marks.prefixes))
        if match["suf"]:
            currencies.add(currency_of(match["suf"], marks.suffixes))
        magnitude = match["vmag"] or match["mag"]
        exponent = magnitude_exponent(magnitude) if magnitude else None
        extra = Decimal(0)
        if match["short"]:
            extra = Decimal(match["short"]).scaleb(-len(match["short"]))
        if match["half"]:
            extra += Decimal("0.5")
        parts.append(
            _Part(
                start=match.start(),
                end=match.end(),
                negative=bool(match["sign"] or match["sign2"]),
                currencies=currencies,
                num=match["num"],
                exponent=exponent,
                last_exponent=exponent,
                extra=extra,
                added=Decimal(0),
            )
        )
    return parts


def _merge(text: str, parts: list[_Part]) -> list[_Part]:
    """Join "1 tỷ 200 triệu" and "2 ล้าน 5 แสน": each next magnitude strictly smaller."""
    merged: list[_Part] = []
    for part in parts:
        head = merged[-1] if merged else None
        if (
            head is not None
            and text[head.end : part.start].isspace()
            and head.last_exponent is not None
            and part.exponent is not None
            and part.exponent < head.last_exponent
            and not head.currencies - part.currencies
            and not part.negative
            and part.num.isdigit()
            and len(part.num) <= 3
        ):
            head.added += (Decimal(part.num) + part.extra) * Decimal(10) ** part.exponent
            head.currencies |= part.currencies
            head.last_exponent = part.exponent
            head.end = part.end
            continue
        merged.append(part)
    return merged


def find_amounts(text: str, lang: str, default_currency: str) -> list[Found[Money]]:
    """Every amount in ``text``, left to right.

    Positions index ``normalize(text)``. A bare integer ("2026", "2") is returned with
    ``explicit=False``: in a one-line command it is an amount only if nothing else is.
    """
    text = normalize(text)
    marks = _marks(default_currency)
    found: list[Found[Money]] = []
    for part in _merge(text, _parts(text, marks)):
        result = _evaluate(part, lang, default_currency)
        found.append(
            Found(part.start, part.end, text[part.start : part.end], result, part.explicit)
        )
    return found


def parse_amount(text: str, lang: str, default_currency: str) -> AmountResult:
    """Read ``text`` as one amount, e.g. the answer to "How much is the deal worth?".

    Args:
        text: what the user typed: "50tr", "50.000.000", "1,5 tỷ", "$5,000", "5 แสน".
        lang: "vi", "th" or "en"; decides which of "." and "," is the decimal mark.
        default_currency: the team's ISO currency, used when the text names none.

    Returns:
        The Money; an ``Ambiguous`` of the possible Money values (see the module
        docstring); or a ``ParseError`` with one of the codes ``not_an_amount``,
        ``invalid_number``, ``negative``, ``too_large``, ``too_precise``,
        ``currency_conflict``.
    """
    text = normalize(text).strip().rstrip("!?")
    found = find_amounts(text, lang, default_currency)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(text):
        return found[0].result
    return ParseError(NOT_AN_AMOUNT)
