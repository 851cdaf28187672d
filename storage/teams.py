"""Teams, members and invites."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select, update

from storage.actors import Actor
from storage.errors import Forbidden, InvalidInput, NotFound
from storage.models import Invite, Role, Source, Stage, StageKind, Team, User
from storage.types import utcnow
from storage.uow import UnitOfWork

DEFAULT_STAGES: tuple[tuple[str, str, int, StageKind], ...] = (
    ("prospecting", "Prospecting", 10, StageKind.OPEN),
    ("qualification", "Qualification", 20, StageKind.OPEN),
    ("proposal", "Proposal", 50, StageKind.OPEN),
    ("negotiation", "Negotiation", 80, StageKind.OPEN),
    ("won", "Closed won", 100, StageKind.WON),
    ("lost", "Closed lost", 0, StageKind.LOST),
)
DEFAULT_SOURCES: tuple[tuple[str, str], ...] = (
    ("call", "Call"),
    ("email", "E-mail"),
    ("seminar", "Seminar"),
    ("referral", "Referral"),
    ("website", "Website"),
    ("walk_in", "Walk-in"),
    ("other", "Other"),
)
INVITE_LIFETIME = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class TeamSettings:
    name: str
    currency: str = "VND"
    timezone: str = "Asia/Ho_Chi_Minh"
    language: str = "vi"


async def create_team(uow: UnitOfWork, settings: TeamSettings) -> Team:
    """Create a team with the default pipeline stages and lead sources.

    Returns:
        The new team, committed.
    """
    team = Team(
        name=settings.name,
        currency=settings.currency,
        timezone=settings.timezone,
        language=settings.language,
    )
    uow.session.add(team)
    await uow.session.flush()
    for position, (code, name, probability, kind) in enumerate(DEFAULT_STAGES, start=1):
        uow.session.add(
            Stage(
                team_id=team.id,
                position=position,
                code=code,
                name=name,
                probability=probability,
                kind=kind,
            )
        )
    for position, (code, name) in enumerate(DEFAULT_SOURCES, start=1):
        uow.session.add(Source(team_id=team.id, position=position, code=code, name=name))
    await uow.commit()
    return team


async def first_team(uow: UnitOfWork) -> Team | None:
    return (await uow.session.execute(select(Team).order_by(Team.id).limit(1))).scalar()


async def add_user(
    uow: UnitOfWork,
    *,
    team_id: int,
    name: str,
    role: Role,
    telegram_id: int | None = None,
    language: str | None = None,
    digest_time: time | None = None,
) -> User:
    """Add a member (the bootstrap path: command line and tests, not chat).

    Raises:
        InvalidInput: the name is empty or the Telegram id is already a member.
    """
    name = name.strip()
    if not 1 <= len(name) <= 200:
        raise InvalidInput("name", "length", min=1, max=200)
    if telegram_id is not None:
        existing = await member_by_telegram_id(uow, telegram_id, include_inactive=True)
        if existing is not None and existing.active:
            raise InvalidInput("telegram_id", "taken")
        if existing is not None:
            existing.active, existing.role, existing.team_id = True, role, team_id
            existing.name = name
            await uow.commit()
            return existing
    user = User(team_id=team_id, name=name, role=role, telegram_id=telegram_id, language=language)
    if digest_time is not None:
        user.digest_time = digest_time
    uow.session.add(user)
    await uow.commit()
    return user


async def member_by_telegram_id(
    uow: UnitOfWork, telegram_id: int, *, include_inactive: bool = False
) -> User | None:
    """The member with this Telegram id; a removed member is no member."""
    statement = select(User).where(User.telegram_id == telegram_id)
    if not include_inactive:
        statement = statement.where(User.active.is_(True))
    return (await uow.session.execute(statement)).scalar_one_or_none()


async def list_members(uow: UnitOfWork, team_id: int | None = None) -> list[User]:
    statement = select(User).order_by(User.team_id, User.id)
    if team_id is not None:
        statement = statement.where(User.team_id == team_id)
    return list((await uow.session.execute(statement)).scalars())


async def set_role(uow: UnitOfWork, telegram_id: int, role: Role) -> User:
    user = await member_by_telegram_id(uow, telegram_id)
    if user is None:
        raise NotFound("users", telegram_id)
    user.role = role
    await uow.commit()
    return user


async def remove_member(uow: UnitOfWork, telegram_id: int) -> None:
    """Take away access at once; the member's records stay for the team."""
    result = await uow.session.execute(
        update(User)
        .where(User.telegram_id == telegram_id, User.active.is_(True))
        .values(active=False)
    )
    if result.rowcount == 0:
        raise NotFound("users", telegram_id)
    await uow.commit()


async def set_language(uow: UnitOfWork, actor: Actor, language: str) -> None:
    await uow.session.execute(update(User).where(User.id == actor.id).values(language=language))
    await uow.commit()


async def create_invite(
    uow: UnitOfWork,
    *,
    team_id: int,
    role: Role,
    uses: int = 1,
    actor: Actor | None = None,
    now: datetime | None = None,
) -> Invite:
    """An invite code that makes whoever redeems it a member with ``role``.

    ``actor`` is None on the command line, where the admin is trusted.

    Raises:
        Forbidden: a rep invites, or a manager invites an admin or into another team.
    """
    if actor is not None:
        if not actor.is_manager:
            raise Forbidden("invite")
        if not actor.is_admin and (role is Role.ADMIN or team_id != actor.team_id):
            raise Forbidden("invite")
    if not 1 <= uses <= 1000:
        raise InvalidInput("uses", "range", min=1, max=1000)
    invite = Invite(
        code=secrets.token_urlsafe(12),
        team_id=team_id,
        role=role,
        uses_left=uses,
        expires_at=(now or utcnow()) + INVITE_LIFETIME,
        created_by_id=actor.id if actor else None,
    )
    uow.session.add(invite)
    await uow.commit()
    return invite


async def redeem_invite(
    uow: UnitOfWork,
    code: str,
    *,
    telegram_id: int,
    name: str,
    language: str | None,
    now: datetime | None = None,
) -> User:
    """Join the team an invite names, with its role.

    Raises:
        NotFound: the code is unknown, expired or used up (one answer for all three).
    """
    result = await uow.session.execute(
        update(Invite)
        .where(Invite.code == code, Invite.uses_left > 0, Invite.expires_at > (now or utcnow()))
        .values(uses_left=Invite.uses_left - 1)
        .returning(Invite.team_id, Invite.role)
    )
    row = result.one_or_none()
    if row is None:
        raise NotFound("invites", code)
    team_id, role = row
    existing = await member_by_telegram_id(uow, telegram_id, include_inactive=True)
    if existing is not None:
        if existing.active:
            await uow.rollback()
            return existing
        existing.active, existing.team_id, existing.role = True, team_id, role
        existing.blocked_at = None
        user = existing
    else:
        user = User(
            team_id=team_id,
            telegram_id=telegram_id,
            name=(name.strip() or str(telegram_id))[:200],
            role=role,
            language=language,
        )
        uow.session.add(user)
    await uow.commit()
    return user


async def team_sources(uow: UnitOfWork, team_id: int) -> list[Source]:
    """The team's lead sources in their order."""
    statement = select(Source).where(Source.team_id == team_id).order_by(Source.position, Source.id)
    return list((await uow.session.execute(statement)).scalars())
