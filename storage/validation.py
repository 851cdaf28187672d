"""Rules every write checks, raising precise, machine-readable errors."""

from __future__ import annotations

import re
from datetime import date

from storage.errors import InvalidInput

MAX_AMOUNT = 10**15  # minor units, exclusive
EARLIEST_CLOSE = date(2000, 1, 1)
LATEST_CLOSE = date(2100, 12, 31)
_CURRENCY = re.compile(r"[A-Z]{3}")


def name(value: str | None, field: str = "name", *, max_length: int = 200) -> str:
    text = (value or "").strip()
    if not 1 <= len(text) <= max_length:
        raise InvalidInput(field, "length", min=1, max=max_length, actual=len(text))
    return text


def amount(value: int, field: str = "amount") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(field, "not_integer")
    if value < 0:
        raise InvalidInput(field, "negative")
    if value >= MAX_AMOUNT:
        raise InvalidInput(field, "too_large", max=MAX_AMOUNT - 1)
    return value


def currency(value: str) -> str:
    code = (value or "").strip().upper()
    if not _CURRENCY.fullmatch(code):
        raise InvalidInput("currency", "unknown", value=value)
    return code


def close_date(value: date | None) -> date:
    if value is None:
        raise InvalidInput("close_date", "required")
    if not EARLIEST_CLOSE <= value <= LATEST_CLOSE:
        raise InvalidInput(
            "close_date",
            "out_of_range",
            min=EARLIEST_CLOSE.isoformat(),
            max=LATEST_CLOSE.isoformat(),
        )
    return value


def probability(value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise InvalidInput("probability", "out_of_range", min=0, max=100)
    return value


def quantity(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1_000_000:
        raise InvalidInput("quantity", "out_of_range", min=1, max=1_000_000)
    return value


def optional_text(value: str | None, field: str, *, max_length: int) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    if len(text) > max_length:
        raise InvalidInput(field, "length", min=0, max=max_length, actual=len(text))
    return text
