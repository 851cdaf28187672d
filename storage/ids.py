"""Row ids as users type them and buttons carry them: only a BIGINT can name a row."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

# Ids are BIGINT on both databases; a larger number names nothing, and would make
# the driver overflow instead of the query finding no row.
MAX_ID = 2**63 - 1

Row = TypeVar("Row")


def in_range(ident: object) -> bool:
    return isinstance(ident, int) and 0 < ident <= MAX_ID


async def get_row(session: AsyncSession, model: type[Row], ident: Any) -> Row | None:
    """``session.get``, with None for an id no row can have."""
    return await session.get(model, ident) if in_range(ident) else None
