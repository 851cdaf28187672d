"""The team's group chat: choosing it, and who hears about a won deal."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from storage.actors import Actor
from storage.audit import record_changes
from storage.errors import Forbidden, NotFound
from storage.models import Opportunity, Result, Team, User
from storage.permissions import visible
from storage.uow import UnitOfWork


async def set_group_chat(uow: UnitOfWork, actor: Actor, chat_id: int | None) -> Team:
    """Make ``chat_id`` the group where the actor's team hears about wins (None: no group).

    Returns:
        The team, committed.

    Raises:
        Forbidden: the actor is a rep.
    """
    if not actor.is_manager:
        raise Forbidden("set_group_chat")
    team = await uow.session.get(Team, actor.team_id)
    if team is None:
        raise NotFound("teams", actor.team_id)
    changes = {"group_chat_id": (team.group_chat_id, chat_id)}
    record_changes(uow.session, actor, team.id, "team", team.id, changes)
    team.group_chat_id = chat_id
    await uow.commit()
    return team


@dataclass(frozen=True, slots=True)
class WinNotice:
    """Who to congratulate on a won deal, and where to announce it."""

    deal_id: int
    deal_name: str
    amount: int
    currency: str
    owner_name: str
    owner_telegram_id: int | None
    owner_language: str | None
    owner_is_actor: bool
    team_language: str
    group_chat_id: int | None


async def win_notice(uow: UnitOfWork, actor: Actor, opportunity_id: int) -> WinNotice:
    """What the bot says about a won deal the actor may see.

    Raises:
        NotFound: no such deal for this actor, or it is not won.
    """
    statement = (
        select(
            Opportunity.name,
            Opportunity.amount,
            Opportunity.currency,
            User.id,
            User.name,
            User.telegram_id,
            User.language,
            User.active,
            Team.language,
            Team.group_chat_id,
        )
        .join(User, User.id == Opportunity.owner_id)
        .join(Team, Team.id == Opportunity.team_id)
        .where(
            Opportunity.id == opportunity_id,
            Opportunity.result == Result.WON,
            visible(Opportunity, actor),
        )
    )
    row = (await uow.session.execute(statement)).one_or_none()
    if row is None:
        raise NotFound(Opportunity.__tablename__, opportunity_id)
    name, amount, currency, owner_id, owner_name, telegram_id, language, active = row[:8]
    return WinNotice(
        deal_id=opportunity_id,
        deal_name=name,
        amount=amount,
        currency=currency,
        owner_name=owner_name,
        # A removed member is not written to.
        owner_telegram_id=telegram_id if active else None,
        owner_language=language,
        owner_is_actor=owner_id == actor.id,
        team_language=row[8],
        group_chat_id=row[9],
    )
