"""Drafts: a conversation's partial input and its current step, kept in the database."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select

from storage import idempotency
from storage.actors import Actor
from storage.models import Draft, User
from storage.types import utcnow
from storage.uow import UnitOfWork

NONCE = "_nonce"
STARTED = "_started"  # when the flow began, ISO 8601: what was saved since, /cancel tells


@dataclass(frozen=True, slots=True)
class DraftWrite:
    """What every draft write takes besides its values: the update's idempotency key
    (None: not claimed), how long the draft lives, and the program's now."""

    key: str | None
    ttl: timedelta
    now: datetime


async def get_draft(uow: UnitOfWork, actor: Actor, flow: str) -> Draft | None:
    """The actor's draft for ``flow``, expired or not (the caller decides what to say)."""
    statement = select(Draft).where(Draft.user_id == actor.id, Draft.flow == flow)
    return (await uow.session.execute(statement)).scalar_one_or_none()


async def latest_draft(uow: UnitOfWork, actor: Actor) -> Draft | None:
    statement = (
        select(Draft).where(Draft.user_id == actor.id).order_by(Draft.updated_at.desc()).limit(1)
    )
    return (await uow.session.execute(statement)).scalar_one_or_none()


def stage_draft(
    uow: UnitOfWork,
    actor: Actor,
    draft: Draft | None,
    *,
    flow: str,
    step: str,
    data: dict[str, Any],
    write: DraftWrite,
) -> Draft:
    """Put the draft's new step and data in the caller's transaction (no commit).

    The caller commits together with whatever else the answer changed, so the
    stored step is never behind what the user was told.
    """
    now = write.now
    data = dict(data)  # a new dict, so SQLAlchemy sees the JSON column change
    if draft is None:
        draft = Draft(user_id=actor.id, flow=flow)
        uow.session.add(draft)
        # Row ids are reused after a delete on SQLite; buttons name the draft by this instead.
        data[NONCE] = secrets.token_hex(4)
        data[STARTED] = now.isoformat()
    else:
        data[NONCE] = draft.data.get(NONCE) or secrets.token_hex(4)
        data[STARTED] = draft.data.get(STARTED) or now.isoformat()
    draft.step = step
    draft.data = data
    draft.updated_at = now
    draft.expires_at = now + write.ttl
    draft.expiry_notified = False
    return draft


async def discard_draft(uow: UnitOfWork, actor: Actor, flow: str) -> None:
    await uow.session.execute(delete(Draft).where(Draft.user_id == actor.id, Draft.flow == flow))


def is_expired(draft: Draft, now: datetime | None = None) -> bool:
    return draft.expires_at <= (now or utcnow())


async def live_drafts(
    uow: UnitOfWork, flow: str, now: datetime | None = None
) -> list[tuple[int, str]]:
    """(Telegram id, step) of every unexpired draft of ``flow``: conversations to restore."""
    statement = (
        select(User.telegram_id, Draft.step)
        .join(User, User.id == Draft.user_id)
        .where(
            Draft.flow == flow,
            Draft.expires_at > (now or utcnow()),
            User.active.is_(True),
            User.telegram_id.is_not(None),
        )
    )
    return [(telegram_id, step) for telegram_id, step in await uow.session.execute(statement)]


async def expired_unnotified(
    uow: UnitOfWork, actor: Actor, now: datetime | None = None
) -> Draft | None:
    """An expired draft the user has not yet been told about."""
    statement = select(Draft).where(
        Draft.user_id == actor.id,
        Draft.expires_at <= (now or utcnow()),
        Draft.expiry_notified.is_(False),
    )
    return (await uow.session.execute(statement.limit(1))).scalar_one_or_none()


async def discard_all_drafts(uow: UnitOfWork, actor: Actor, *, keep: str | None = None) -> None:
    """Drop every draft of the actor (but ``keep``'s): a user works on one flow at a time."""
    statement = delete(Draft).where(Draft.user_id == actor.id)
    if keep is not None:
        statement = statement.where(Draft.flow != keep)
    await uow.session.execute(statement)


# --- services: each opens the given unit of work, writes, claims the key, commits once ----


async def start_flow(
    uow: UnitOfWork,
    actor: Actor,
    flow: str,
    step: str,
    data: dict[str, Any],
    write: DraftWrite,
    *,
    alone: bool = True,
) -> Draft:
    """Open a new draft of ``flow`` at ``step``, dropping the one it replaces.

    Args:
        uow: an unentered unit of work; this call owns its transaction.
        write: its ``key`` is claimed with the draft.
        alone: drop every other draft of the actor too, since a member is in one flow
            at a time; False keeps them (a shared contact's offer waits beside a flow).

    Returns:
        The new draft, with a fresh nonce for its buttons.

    Raises:
        sqlalchemy.exc.IntegrityError: ``key`` was claimed already.
    """
    async with uow:
        return await _start_in(uow, actor, flow, step, data, write, alone)


async def _start_in(
    uow: UnitOfWork,
    actor: Actor,
    flow: str,
    step: str,
    data: dict[str, Any],
    write: DraftWrite,
    alone: bool,
) -> Draft:
    if alone:
        await discard_all_drafts(uow, actor)
    else:
        await discard_draft(uow, actor, flow)
    draft = stage_draft(uow, actor, None, flow=flow, step=step, data=data, write=write)
    await idempotency.claim(uow.session, write.key)
    await uow.commit()
    return draft


async def continue_or_start_flow(
    uow: UnitOfWork, actor: Actor, flow: str, step: str, data: dict[str, Any], write: DraftWrite
) -> tuple[Draft, bool]:
    """The actor's unexpired draft of ``flow`` to offer to continue (True), else a new
    one, alone, as ``start_flow`` makes it (False); one transaction either way."""
    async with uow:
        draft = await get_draft(uow, actor, flow)
        if draft is not None and not is_expired(draft, write.now):
            return draft, True
        return await _start_in(uow, actor, flow, step, data, write, True), False


async def save_step(
    uow: UnitOfWork,
    actor: Actor,
    flow: str,
    step: str,
    changes: dict[str, Any],
    write: DraftWrite,
    *,
    forget: tuple[str, ...] = (),
    alone: bool = False,
) -> Draft:
    """Merge an answer into the draft of ``flow`` and move it to ``step``.

    The draft is read again inside this write transaction, so the merge builds on
    the stored row, not on a copy that another update may have changed. A missing
    draft is created (its flow began in this update).

    Args:
        changes: draft keys to set; ``forget`` names keys to drop first.
        alone: drop the actor's other drafts in the same transaction.
        write: its ``key`` keeps a redelivered answer from being stored twice.

    Returns:
        The draft as stored.
    """
    async with uow:
        draft = await get_draft(uow, actor, flow)
        if alone:
            await discard_all_drafts(uow, actor, keep=flow)
        data = dict(draft.data) if draft else {}
        for name in forget:
            data.pop(name, None)
        data.update(changes)
        draft = stage_draft(uow, actor, draft, flow=flow, step=step, data=data, write=write)
        await idempotency.claim(uow.session, write.key)
        await uow.commit()
    return draft


async def end_flow(uow: UnitOfWork, actor: Actor, flow: str | None, *, key: str | None) -> None:
    """Drop the draft of ``flow`` (every draft of the actor when None), claiming ``key``."""
    async with uow:
        if flow is None:
            await discard_all_drafts(uow, actor)
        else:
            await discard_draft(uow, actor, flow)
        await idempotency.claim(uow.session, key)
        await uow.commit()


async def take_draft(
    uow: UnitOfWork, actor: Actor, flow: str, nonce: str | None, *, key: str | None = None
) -> Draft | None:
    """The draft of ``flow`` named by ``nonce``, deleted in the same transaction.

    A button that answers a draft once (yes or no) takes it, so a second press of
    the same button finds nothing, even when both presses arrive at once. ``key`` is
    claimed with it when the press changes nothing else under that key.
    """
    async with uow:
        draft = await get_draft(uow, actor, flow)
        if draft is None or nonce is None or draft.data.get(NONCE) != nonce:
            return None
        await discard_draft(uow, actor, flow)
        await idempotency.claim(uow.session, key)
        await uow.commit()
    return draft


async def take_expired(uow: UnitOfWork, actor: Actor, now: datetime) -> Draft | None:
    """An expired draft the actor was not told about, deleted: it is told about once."""
    async with uow:
        draft = await expired_unnotified(uow, actor, now)
        if draft is not None:
            await uow.session.delete(draft)
            await uow.commit()
    return draft
