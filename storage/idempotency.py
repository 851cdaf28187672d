"""Idempotency keys: a write given a key it has already seen changes nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Base, ProcessedKey
from storage.uow import UnitOfWork


async def previous_result(session: AsyncSession, key: str | None) -> ProcessedKey | None:
    """What the write guarded by ``key`` produced, if it already happened."""
    if key is None:
        return None
    return await session.get(ProcessedKey, key)


# Built once: a Core statement skips the ORM's flush, the costliest step of a claim.
_CLAIM = insert(ProcessedKey)
_NAME = update(ProcessedKey).where(ProcessedKey.key == bindparam("claimed"))


async def claim(session: AsyncSession, key: str | None, entity: str | None = None) -> str | None:
    """Record ``key`` in the caller's transaction before the write it guards.

    Inserting it first makes a concurrent duplicate wait on the key's unique index
    (PostgreSQL) or the write lock (SQLite) and then fail, instead of writing twice.

    Returns:
        The key, to hand to ``name`` once the write has an id (None: nothing claimed).
    """
    if key is None:
        return None
    await session.execute(_CLAIM, {"key": key, "entity": entity})
    return key


async def name(session: AsyncSession, key: str | None, entity_id: int) -> None:
    """Say which row the write claimed under ``key`` produced (a replay answers with it)."""
    if key is not None:
        await session.execute(_NAME, {"claimed": key, "entity_id": entity_id})


async def add_keyed(session: AsyncSession, key: str | None, entity: str, row: Base) -> None:
    """Add ``row`` in the caller's transaction under ``key``, which then names the row."""
    claimed = await claim(session, key, entity)
    session.add(row)
    await session.flush()
    await name(session, claimed, row.id)  # type: ignore[attr-defined]


async def lost_race(uow: UnitOfWork, key: str | None, error: IntegrityError) -> ProcessedKey:
    """After ``error``, what a concurrent write with the same key committed first.

    The transaction is rolled back. Raises ``error`` again when no such write happened:
    then the integrity error was something else.
    """
    await uow.rollback()
    previous = await previous_result(uow.session, key)
    if previous is None:
        raise error
    return previous


UPDATE_PREFIX = "update:"


def update_key(bot_id: int, update_id: int) -> str:
    """The key of one Telegram update to one bot.

    Update ids are only unique per bot and for a while: after a week without updates
    Telegram starts again from a random number, and a new bot on the same database
    starts from its own. Hence the bot's id in the key, and ``forget_update_keys``.
    """
    return f"{UPDATE_PREFIX}{bot_id}:{update_id}"


def message_key(bot_id: int, chat_id: int, message_id: int) -> str:
    """The key of one message: a message is saved once, however often it is delivered.

    Message ids count per chat and per bot, so the bot's id is part of the key.
    """
    return f"msg:{bot_id}:{chat_id}:{message_id}"


async def forget_update_keys(session: AsyncSession, before: datetime) -> int:
    """Drop update keys recorded before ``before``; returns how many went.

    Telegram redelivers an update for at most a day, so an older key can no longer
    stop a duplicate, only a new update that happens to reuse its id.
    """
    result = await session.execute(
        delete(ProcessedKey).where(
            ProcessedKey.key.startswith(UPDATE_PREFIX), ProcessedKey.created_at < before
        )
    )
    return result.rowcount or 0
