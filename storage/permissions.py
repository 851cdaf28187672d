"""The one access check: who may read and write which records."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from storage.actors import Actor
from storage.errors import InvalidInput, NotFound
from storage.ids import in_range
from storage.models import Account, Contact, Lead, Opportunity, User

Owned = TypeVar("Owned", Opportunity, Lead, Contact, Account)

# Accounts are the team's shared companies: every member may read them, so a rep
# converting a lead links the existing company instead of creating a duplicate.
_TEAM_READABLE: tuple[type, ...] = (Account,)


def visible(model: type[Owned], actor: Actor, *, for_write: bool = False) -> ColumnElement[bool]:
    """A WHERE clause that keeps only the rows of ``model`` the actor may see.

    A rep sees what they own, a manager what their team owns, an admin everything.
    """
    if actor.is_admin:
        return true()
    if actor.is_manager or (model in _TEAM_READABLE and not for_write):
        return model.team_id == actor.team_id
    return and_(model.team_id == actor.team_id, model.owner_id == actor.id)


def visible_own(model: type[Owned], actors: Iterable[Actor]) -> ColumnElement[bool]:
    """Rows of ``model`` owned by one of ``actors`` that their owner may see.

    The rule of ``visible`` for a batch of members reading their own records at once:
    an admin's own rows anywhere, anyone else's own rows within their team.
    """
    admins: list[int] = []
    by_team: defaultdict[int, list[int]] = defaultdict(list)
    for actor in actors:
        if actor.is_admin:
            admins.append(actor.id)
        else:
            by_team[actor.team_id].append(actor.id)
    # The team is compared as an expression, never through an index: the owners' index
    # is the narrow one, and without statistics SQLite would rather scan the whole team.
    return or_(
        false(),
        *([model.owner_id.in_(admins)] if admins else []),
        *(
            and_(model.owner_id.in_(ids), model.team_id + 0 == team)
            for team, ids in by_team.items()
        ),
    )


def may_see(record: Any, actor: Actor, *, for_write: bool = False) -> bool:
    """The same rule as ``visible`` for a record already loaded."""
    if actor.is_admin:
        return True
    if record.team_id != actor.team_id:
        return False
    if actor.is_manager or (isinstance(record, _TEAM_READABLE) and not for_write):
        return True
    return record.owner_id == actor.id


async def get_visible(
    session: AsyncSession,
    model: type[Owned],
    ident: int,
    actor: Actor,
    *,
    for_write: bool = False,
    options: tuple[Any, ...] = (),
) -> Owned:
    """Load one record the actor may see, or raise ``NotFound`` as if it did not exist."""
    if not in_range(ident):
        raise NotFound(model.__tablename__, ident)
    statement: Select[tuple[Owned]] = (
        select(model).where(model.id == ident, visible(model, actor, for_write=for_write))
    ).options(*options)
    record = (await session.execute(statement)).scalar_one_or_none()
    if record is None:
        raise NotFound(model.__tablename__, ident)
    return record


async def check_assignable_owner(session: AsyncSession, actor: Actor, owner_id: int) -> User:
    """The owner a record may be given: oneself, or for a manager anyone active in the team."""
    owner = await session.get(User, owner_id)
    if owner is None or not owner.active:
        raise InvalidInput("owner", "unknown")
    if owner.id == actor.id:
        return owner
    if not actor.is_admin and owner.team_id != actor.team_id:
        raise InvalidInput("owner", "not_in_team")
    if not actor.is_manager:
        raise InvalidInput("owner", "not_allowed")
    return owner
