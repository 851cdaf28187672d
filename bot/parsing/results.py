"""The values the parsers return: money, errors as codes, ambiguities, matches in a text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

# Machine-readable error codes; the bot turns each into a localized question or hint.
NOT_AN_AMOUNT = "not_an_amount"
INVALID_NUMBER = "invalid_number"
NEGATIVE = "negative"
TOO_LARGE = "too_large"
TOO_PRECISE = "too_precise"
CURRENCY_CONFLICT = "currency_conflict"
NOT_A_DATE = "not_a_date"
IMPOSSIBLE_DATE = "impossible_date"
PAST = "past"
INVALID_PHONE = "invalid_phone"
INVALID_EMAIL = "invalid_email"


@dataclass(frozen=True, slots=True)
class Money:
    """An amount as an integer count of the currency's minor units (VND has none)."""

    minor_units: int
    currency: str


@dataclass(frozen=True, slots=True)
class ParseError:
    """Why a fragment could not be read; ``value`` carries what was read when it helps.

    A past close date is ``ParseError(PAST, value=the_date)`` so the bot can ask
    "that is in the past, is it right?" without parsing again.
    """

    code: str
    value: object = None


@dataclass(frozen=True, slots=True)
class Ambiguous(Generic[T]):
    """The fragment has several readings; the most likely one for the language comes first."""

    candidates: tuple[T, ...]


@dataclass(frozen=True, slots=True)
class Found(Generic[T]):
    """One fragment a scanner recognised in a longer text, with what it means.

    ``explicit`` is False for a bare number that only might be an amount.
    """

    start: int
    end: int
    text: str
    result: T | Ambiguous[T] | ParseError
    explicit: bool = True
