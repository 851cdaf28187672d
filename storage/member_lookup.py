"""Who sent an update, and whether it was handled before: one statement per update."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, exists, select, true, update

from storage.actors import Actor
from storage.models import ProcessedKey, Role, Team, User
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class MemberRow:
    """What an update needs of its member and their team, read as plain values."""

    id: int
    team_id: int
    role: Role
    name: str
    language: str | None
    timezone: str | None
    gregorian_years: bool
    blocked_at: datetime | None
    team_language: str
    team_timezone: str
    team_currency: str

    @property
    def actor(self) -> Actor:
        return Actor(id=self.id, team_id=self.team_id, role=self.role)


@dataclass(frozen=True, slots=True)
class Lookup:
    seen: bool  # the update's key was recorded: it was handled before
    member: MemberRow | None  # None: not an active member


# Built once: every update runs it, and building a statement costs more than running it.
# The key check is the one row of the outer side, so a non-member still gets it.
_seen = select(exists().where(ProcessedKey.key == bindparam("key")).label("seen")).subquery("seen")
_member = (
    select(
        User.id,
        User.team_id,
        User.role,
        User.name,
        User.language,
        User.timezone,
        User.gregorian_years,
        User.blocked_at,
        Team.language.label("team_language"),
        Team.timezone.label("team_timezone"),
        Team.currency.label("team_currency"),
    )
    .join(Team, Team.id == User.team_id)
    .where(User.telegram_id == bindparam("telegram_id"), User.active.is_(True))
    .subquery("member")
)
_LOOKUP = select(_seen.c.seen, *_member.c).select_from(_seen.outerjoin(_member, true()))
_FIELDS = [column.name for column in _member.c]
_UNBLOCK = update(User).where(User.id == bindparam("user_id")).values(blocked_at=None)


async def look_up(uow: UnitOfWork, telegram_id: int, update_key: str) -> Lookup:
    """The active member with ``telegram_id`` (and their team), and whether the update
    with ``update_key`` was already processed; Core rows, no ORM objects."""
    row = (
        await uow.session.execute(_LOOKUP, {"key": update_key, "telegram_id": telegram_id})
    ).one()
    member = None
    if row.id is not None:
        member = MemberRow(*(getattr(row, name) for name in _FIELDS))
    return Lookup(seen=bool(row.seen), member=member)


async def unblock(uow: UnitOfWork, user_id: int) -> None:
    """They wrote again, so they unblocked the bot: clear the mark, and commit."""
    await uow.session.execute(_UNBLOCK, {"user_id": user_id})
    await uow.commit()
