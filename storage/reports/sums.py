"""Sums of money that cannot overflow SQLite's 64-bit integers.

SQLite's ``sum()`` raises "integer overflow" past 2**63, and ``total()`` is a float that
drops cents long before that. Each value is summed as two parts, its quotient and its
remainder by 2**32, and the parts are joined in Python, whose integers do not overflow:
a part's sum stays below 2**63 for up to two billion rows. PostgreSQL gets the same
statement and the same result.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlalchemy.sql.elements import ColumnElement

_SPLIT = 2**32


def split_sum(value: Any, label: str) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """Two columns, ``<label>_high`` and ``<label>_low``, that ``joined`` adds back up.

    ``value`` must be a non-negative integer expression that fits 64 bits on each row.
    """
    return (
        func.coalesce(func.sum(value // _SPLIT), 0).label(f"{label}_high"),
        func.coalesce(func.sum(value % _SPLIT), 0).label(f"{label}_low"),
    )


def joined(high: Any, low: Any) -> int:
    """The exact total of a ``split_sum`` (PostgreSQL answers Decimal, SQLite int)."""
    return int(high) * _SPLIT + int(low)
