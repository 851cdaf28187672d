"""The outbox: each scheduled sending is claimed once before it is sent and marked after."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, exists, not_, or_, select, update

from storage.db import upsert_for
from storage.models import OutboxEntry, OutboxStatus, User
from storage.uow import UnitOfWork

# The first try and a few retries, 5, 10, 20, 40 and 80 minutes apart: a crash between
# claim and send, or a Bot API outage mid-digest, is retried through the next hours of
# that day, but not forever.
MAX_ATTEMPTS = 6
# A claim this old that was never marked belongs to a process that died while sending.
RETRY_AFTER = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class OutboxKey:
    """What makes a sending unique: who, what kind, about what, for which local day."""

    user_id: int
    kind: str
    subject: str
    local_date: date


def _matches(key: OutboxKey) -> ColumnElement[bool]:
    return and_(
        OutboxEntry.user_id == key.user_id,
        OutboxEntry.kind == key.kind,
        OutboxEntry.subject == key.subject,
        OutboxEntry.local_date == key.local_date,
    )


def _retryable(stale_before: datetime) -> ColumnElement[bool]:
    """Claimed, never finished, and left long enough: the wait doubles with each attempt."""
    waited_enough = or_(
        *(
            and_(
                OutboxEntry.attempts == attempt,
                OutboxEntry.claimed_at < stale_before - RETRY_AFTER * (2 ** (attempt - 1) - 1),
            )
            for attempt in range(1, MAX_ATTEMPTS)
        )
    )
    return and_(OutboxEntry.status == OutboxStatus.CLAIMED, waited_enough)


def handled(
    user_id: ColumnElement[int], kind: str, subject: str, local_date: date, stale_before: datetime
) -> ColumnElement[bool]:
    """EXISTS clause: this sending is sent, skipped, failed, or claimed and not yet retryable.

    It reads the outbox's unique index (user, kind, subject, local date) on all four columns.
    """
    return exists().where(
        OutboxEntry.user_id == user_id,
        OutboxEntry.kind == kind,
        OutboxEntry.subject == subject,
        OutboxEntry.local_date == local_date,
        not_(_retryable(stale_before)),
    )


async def handled_keys(
    uow: UnitOfWork,
    user_ids: Iterable[int],
    kinds: Iterable[str],
    since: date,
    stale_before: datetime,
) -> set[OutboxKey]:
    """The keys among these users' sendings since ``since`` that need nothing more."""
    ids = sorted(set(user_ids))
    if not ids:
        return set()
    found: set[OutboxKey] = set()
    # Chunked so a big team stays under the databases' bound-parameter limits.
    for start in range(0, len(ids), 500):
        statement = select(
            OutboxEntry.user_id, OutboxEntry.kind, OutboxEntry.subject, OutboxEntry.local_date
        ).where(
            OutboxEntry.user_id.in_(ids[start : start + 500]),
            OutboxEntry.kind.in_(list(kinds)),
            OutboxEntry.local_date >= since,
            not_(_retryable(stale_before)),
        )
        found.update(OutboxKey(*row) for row in await uow.session.execute(statement))
    return found


async def claim(
    uow: UnitOfWork, key: OutboxKey, now: datetime, *, retry_after: timedelta = RETRY_AFTER
) -> int | None:
    """Claim a sending in its own short transaction, before anything is sent.

    Two processes claiming the same key race on the unique index: one inserts, the
    other inserts nothing. A claim older than ``retry_after`` that was never marked is
    taken over once (its process died between claim and send).

    Returns:
        The outbox entry's id if this caller now owns the sending, else None.
    """
    session = uow.session
    insert = upsert_for(session)
    statement = (
        insert(OutboxEntry)
        .values(
            user_id=key.user_id,
            kind=key.kind,
            subject=key.subject,
            local_date=key.local_date,
            status=OutboxStatus.CLAIMED,
            attempts=1,
            claimed_at=now,
        )
        .on_conflict_do_nothing()
        .returning(OutboxEntry.id)
    )
    entry_id = (await session.execute(statement)).scalar_one_or_none()
    if entry_id is None:
        # Re-checked under the row lock, so of two processes only one takes it over.
        retried = await session.execute(
            update(OutboxEntry)
            .where(_matches(key), _retryable(now - retry_after))
            .values(attempts=OutboxEntry.attempts + 1, claimed_at=now)
            .returning(OutboxEntry.id)
        )
        entry_id = retried.scalar_one_or_none()
    await uow.commit()
    return entry_id


async def _finish(uow: UnitOfWork, entry_id: int, status: OutboxStatus, now: datetime) -> None:
    await uow.session.execute(
        update(OutboxEntry)
        .where(OutboxEntry.id == entry_id)
        .values(status=status, sent_at=now if status is OutboxStatus.SENT else None)
    )


async def mark_sent(uow: UnitOfWork, entry_id: int, now: datetime) -> None:
    """The sending went out."""
    await _finish(uow, entry_id, OutboxStatus.SENT, now)
    await uow.commit()


async def mark_skipped(uow: UnitOfWork, entry_id: int, now: datetime) -> None:
    """There was nothing to send (quiet mode with nothing due, or the deal closed meanwhile)."""
    await _finish(uow, entry_id, OutboxStatus.SKIPPED, now)
    await uow.commit()


async def mark_failed(uow: UnitOfWork, entry_id: int, now: datetime) -> None:
    """Telegram refused the message for good (a bad request): retrying would not help."""
    await _finish(uow, entry_id, OutboxStatus.FAILED, now)
    await uow.commit()


async def mark_blocked(uow: UnitOfWork, entry_id: int, user_id: int, now: datetime) -> None:
    """The user blocked the bot: nothing more is sent to them until they write again."""
    await _finish(uow, entry_id, OutboxStatus.FAILED, now)
    await uow.session.execute(update(User).where(User.id == user_id).values(blocked_at=now))
    await uow.commit()


async def parts_sent(uow: UnitOfWork, entry_id: int) -> int:
    """How many leading messages of this sending already went out (a retry skips them)."""
    statement = select(OutboxEntry.parts_sent).where(OutboxEntry.id == entry_id)
    return int((await uow.session.execute(statement)).scalar_one_or_none() or 0)


async def record_parts_sent(uow: UnitOfWork, entry_id: int, count: int) -> None:
    """``count`` leading messages of this sending went out; the claim itself stays."""
    await uow.session.execute(
        update(OutboxEntry).where(OutboxEntry.id == entry_id).values(parts_sent=count)
    )
    await uow.commit()


async def entry(uow: UnitOfWork, key: OutboxKey) -> OutboxEntry | None:
    """The outbox entry for ``key``, if any."""
    return (await uow.session.execute(select(OutboxEntry).where(_matches(key)))).scalar()
