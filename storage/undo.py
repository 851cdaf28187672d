"""Undo of a quick-created deal: when it is still safe to delete it outright."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import exists, func, select

from storage.actors import Actor
from storage.errors import DomainError
from storage.models import Activity, AuditEntry, Opportunity, StageChange
from storage.opportunities import ENTITY, delete_opportunity, get_opportunity
from storage.types import utcnow
from storage.uow import UnitOfWork

WINDOW = timedelta(minutes=10)

# Why an Undo is refused; the bot words each one.
NOT_CREATOR = "not_creator"
NOT_NEWEST = "not_newest"
TOO_LATE = "too_late"
CHANGED = "changed"


class UndoRefused(DomainError):
    """The deal exists but may no longer be undone; ``reason`` is one of the codes above."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"undo refused: {reason}")
        self.reason = reason


async def undoable(uow: UnitOfWork, actor: Actor, deal_id: int) -> Opportunity:
    """The deal, if the actor may still undo its creation.

    Only its creator, only the newest deal they created (a deal they undid counts, so an
    older card's Undo stays dead), only within ``WINDOW``, and only while nothing else
    has happened to it: no edit, no note, no stage move.

    Raises:
        NotFound: no such deal for the actor. UndoRefused: one of the rules above.
    """
    deal = await get_opportunity(uow, actor, deal_id, for_write=True)
    session = uow.session
    creator = await session.scalar(
        select(StageChange.changed_by_id).where(
            StageChange.opportunity_id == deal.id, StageChange.from_stage_id.is_(None)
        )
    )
    if creator != actor.id:
        raise UndoRefused(NOT_CREATOR)
    newer_created = exists().where(
        StageChange.from_stage_id.is_(None),
        StageChange.changed_by_id == actor.id,
        StageChange.opportunity_id > deal.id,
    )
    newer_undone = exists().where(
        AuditEntry.entity == ENTITY,
        AuditEntry.field == "deleted",
        AuditEntry.user_id == actor.id,
        AuditEntry.entity_id > deal.id,
    )
    if await session.scalar(select(newer_created | newer_undone)):
        raise UndoRefused(NOT_NEWEST)
    if deal.created_at < utcnow() - WINDOW:
        raise UndoRefused(TOO_LATE)
    moves = await session.scalar(
        select(func.count(StageChange.id)).where(StageChange.opportunity_id == deal.id)
    )
    touched = exists().where(Activity.opportunity_id == deal.id) | exists().where(
        AuditEntry.entity == ENTITY, AuditEntry.entity_id == deal.id
    )
    if deal.version != 1 or moves != 1 or await session.scalar(select(touched)):
        raise UndoRefused(CHANGED)
    return deal


async def undo_deal(uow: UnitOfWork, actor: Actor, deal_id: int) -> str:
    """Delete a deal its creator has just made; returns its name for the answer.

    Raises:
        NotFound, UndoRefused: see ``undoable``.
    """
    deal = await undoable(uow, actor, deal_id)
    name = deal.name
    await delete_opportunity(uow, actor, deal.id)
    return name
