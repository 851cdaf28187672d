"""The inbox: updates stored before Telegram is told they arrived, until they are handled.

One process reads the whole inbox in arrival order and keeps each user's updates in
order in memory. Several processes on one PostgreSQL could share it: each would take
the oldest pending row of users nobody else holds (``pending(..., skip_locked=True)``
locks rows with ``FOR UPDATE SKIP LOCKED``), so a user's updates stay in order while
different users' go to different processes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import clock
from storage.db import upsert_for
from storage.models import InboxState, InboxUpdate, ProcessedKey

UNFINISHED = (InboxState.PENDING, InboxState.ANSWERED)


@dataclass(frozen=True)
class Incoming:
    """One update as received: its idempotency key, id, ordering key and raw JSON."""

    key: str
    update_id: int
    order_key: int
    payload: dict[str, Any]


async def store(session: AsyncSession, updates: list[Incoming]) -> list[str]:
    """Insert ``updates`` (the caller commits); returns the keys that were new.

    A key already stored is Telegram delivering the same update again: it is skipped,
    so it is handled once however often it arrives.
    """
    if not updates:
        return []
    now = clock.now()
    rows = [
        {
            "key": u.key,
            "update_id": u.update_id,
            "order_key": u.order_key,
            "payload": u.payload,
            "state": InboxState.PENDING,
            "attempts": 0,
            "received_at": now,
        }
        for u in updates
    ]
    # One statement whatever the batch's size (SQLAlchemy sends the rows as one
    # multi-row INSERT): it is compiled once, and RETURNING names the rows that were new.
    stored = await session.execute(_store_statement(upsert_for(session)), rows)
    new = set(stored.scalars().all())
    return [u.key for u in updates if u.key in new]


@cache
def _store_statement(insert: Callable[..., Any]) -> Any:
    """Built once per database's ``insert`` (SQLite's or PostgreSQL's)."""
    table = InboxUpdate.__table__
    return insert(table).on_conflict_do_nothing().returning(table.c.key)


async def pending(
    session: AsyncSession, *, limit: int = 1000, skip_locked: bool = False
) -> list[InboxUpdate]:
    """Unfinished updates, oldest first (the order they must be handled in per user).

    ``skip_locked`` (PostgreSQL) locks the rows returned and skips rows another
    process holds, for several processes sharing one inbox.
    """
    query = (
        select(InboxUpdate)
        .where(InboxUpdate.state.in_(UNFINISHED))
        .order_by(InboxUpdate.id)
        .limit(limit)
    )
    if skip_locked and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list((await session.scalars(query)).all())


async def applied(session: AsyncSession, keys: list[str]) -> set[str]:
    """Which of ``keys`` had their effects committed (their processed key exists)."""
    if not keys:
        return set()
    found = await session.scalars(select(ProcessedKey.key).where(ProcessedKey.key.in_(keys)))
    return set(found.all())


async def count_attempt(session: AsyncSession, keys: list[str]) -> None:
    """Note that handling of ``keys`` starts again, after a restart."""
    if keys:
        await session.execute(
            update(InboxUpdate)
            .where(InboxUpdate.key.in_(keys))
            .values(attempts=InboxUpdate.attempts + 1)
        )


async def finish(session: AsyncSession, keys: list[str], state: InboxState) -> None:
    """Mark ``keys`` answered, handled or dropped; the caller commits."""
    if not keys:
        return
    if state == InboxState.ANSWERED:
        await session.execute(
            update(InboxUpdate)
            .where(InboxUpdate.key.in_(keys), InboxUpdate.state == InboxState.PENDING)
            .values(state=state)
        )
        return
    await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.key.in_(keys), InboxUpdate.state.in_(UNFINISHED))
        .values(state=state, finished_at=clock.now())
    )


async def forget_finished(session: AsyncSession, before: datetime) -> int:
    """Drop handled updates received before ``before``; returns how many went."""
    result = await session.execute(
        delete(InboxUpdate).where(
            InboxUpdate.state.not_in(UNFINISHED), InboxUpdate.received_at < before
        )
    )
    return result.rowcount or 0


async def count_pending(session: AsyncSession) -> int:
    """How many updates wait to be handled."""
    return int(
        await session.scalar(
            select(func.count())
            .select_from(InboxUpdate)
            .where(InboxUpdate.state == InboxState.PENDING)
        )
        or 0
    )
