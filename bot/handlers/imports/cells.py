"""How an imported CSV's cells are read: the member's amounts, dates and words, in any language."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cache

from bot.i18n import LANGUAGES, translator
from bot.labels import DEAL_TYPE_NAMES, RATING_NAMES, SOURCE_NAMES, STAGE_NAMES
from bot.parsing import Ambiguous, Money, ParseError, parse_amount, parse_date
from bot.parsing.results import PAST
from bot.parsing.words import RATINGS

_TABLES = {
    "stage": STAGE_NAMES,
    "source": SOURCE_NAMES,
    "rating": RATING_NAMES,
    "type": DEAL_TYPE_NAMES,
}
# Shorter words people write in a "type" column.
_TYPE_WORDS = {
    "new_customer": ("new", "mới", "khách mới", "ใหม่", "ลูกค้าใหม่"),
    "existing_customer": ("existing", "cũ", "khách cũ", "hiện có", "เดิม", "ลูกค้าเดิม"),
}


@cache
def _names(kind: str, code: str) -> tuple[str, ...]:
    table = _TABLES.get(kind, {})
    names = [translator(lang)._(table[code]) for lang in LANGUAGES] if code in table else []
    if kind == "rating":
        names += RATINGS.get(code, ())
    if kind == "type":
        names += _TYPE_WORDS.get(code, ())
    return tuple(dict.fromkeys(names))


class LocaleCells:
    """A ``storage.csv.imports.CellReader`` for one member: their language and today."""

    def __init__(self, language: str, today: date) -> None:
        self.language = language
        self.today = today

    def amount(self, text: str, currency: str) -> tuple[int, str] | str:
        result = parse_amount(text, self.language, currency)
        if isinstance(result, Money):
            return result.minor_units, result.currency
        if isinstance(result, Ambiguous):
            return "ambiguous"
        return result.code

    def date(self, text: str) -> date | str:
        # Imports carry history too: a close date in the past is a date like any other.
        result = parse_date(text, self.language, self.today)
        if isinstance(result, ParseError):
            if result.code == PAST and isinstance(result.value, date):
                return result.value
            return result.code
        if isinstance(result, Ambiguous):
            return "ambiguous"
        return result

    def names(self, kind: str, code: str) -> Sequence[str]:
        return _names(kind, code)
