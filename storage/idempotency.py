"""Idempotency keys: a write given a key it has already seen changes nothing."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedKey


async def previous_result(session: AsyncSession, key: str | None) -> ProcessedKey | None:
    """What the write guarded by ``key`` produced, if it already happened."""
    if key is None:
        return None
    return await session.get(ProcessedKey, key)


async def claim(
    session: AsyncSession, key: str | None, entity: str | None = None
) -> ProcessedKey | None:
    """Record ``key`` in the caller's transaction before the write it guards.

    Inserting it first makes a concurrent duplicate wait on the key's unique index
    (PostgreSQL) or the write lock (SQLite) and then fail, instead of writing twice.
    """
    if key is None:
        return None
    row = ProcessedKey(key=key, entity=entity)
    session.add(row)
    await session.flush()
    return row
