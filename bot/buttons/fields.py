"""How each field of button data is written and read back, with its bounds.

``read`` answers None for text no honest button carries; ``bot.buttons.codec`` turns that
into the one refusal of a forged or stale press.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from storage.ids import MAX_ID

SEPARATOR = ":"
PART = re.compile(r"[A-Za-z0-9_.-]{1,40}")


class Field:
    """How one field of button data is written and read back; ``read`` gives None to refuse."""

    def write(self, value: object) -> str:
        return str(value)

    def read(self, text: str) -> object | None:
        raise NotImplementedError


class Number(Field):
    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def read(self, text: str) -> int | None:
        if not text.isdigit() or len(text) > len(str(self.high)):
            return None
        value = int(text)
        return value if self.low <= value <= self.high else None


class Token(Field):
    def __init__(self, shape: str) -> None:
        self.shape = re.compile(shape)

    def read(self, text: str) -> str | None:
        return text if self.shape.fullmatch(text) else None


class OneOf(Field):
    def __init__(self, *values: str) -> None:
        self.values = frozenset(values)

    def read(self, text: str) -> str | None:
        return text if text in self.values else None


class Day(Field):
    """A calendar day as YYYYMMDD."""

    def write(self, value: object) -> str:
        assert isinstance(value, date)
        return value.strftime("%Y%m%d")

    def read(self, text: str) -> date | None:
        if not re.fullmatch(r"\d{8}", text):
            return None
        try:
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            return None


class Rest(Field):
    """Whatever short tokens follow, as a tuple (the last field only)."""

    def write(self, value: object) -> str:
        return SEPARATOR.join(str(part) for part in value)  # type: ignore[attr-defined]

    def read(self, text: str) -> tuple[str, ...] | None:
        parts = tuple(text.split(SEPARATOR)) if text else ()
        fits = all(
            PART.fullmatch(part) and (not part.isdigit() or int(part) <= ROW_ID.high)
            for part in parts
        )
        return parts if fits else None


# Primary keys are INTEGER columns: on PostgreSQL a larger number would make the query
# fail instead of finding nothing.
ROW_ID = Number(1, 2**31 - 1)
VERSION = Number(0, MAX_ID)
PAGE = Number(0, 9_999)
INDEX = Number(0, 99)
NONCE = Token(r"[0-9A-Za-z]{1,16}")
CODE = Token(r"[a-z]{1,8}")
SHORT = Token(r"[A-Za-z0-9_.-]{1,24}")

RowId = Annotated[int, ROW_ID]
Nonce = Annotated[str, NONCE]
Page = Annotated[int, PAGE]
Code = Annotated[str, CODE]
ShortText = Annotated[str, SHORT]
