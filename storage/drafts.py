"""Drafts: a conversation's partial input and its current step, kept in the database."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select

from storage.actors import Actor
from storage.models import Draft, User
from storage.types import utcnow
from storage.uow import UnitOfWork

NONCE = "_nonce"
STARTED = "_started"  # when the flow began, ISO 8601: what was saved since, /cancel tells


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
    ttl: timedelta,
    now: datetime | None = None,
) -> Draft:
    """Put the draft's new step and data in the caller's transaction (no commit).

    The caller commits together with whatever else the answer changed, so the
    stored step is never behind what the user was told.
    """
    now = now or utcnow()
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
    draft.expires_at = now + ttl
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
