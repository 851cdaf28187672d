"""Finding a team member by what someone typed: a report's rep, an imported row's owner."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from storage.models import User
from storage.text import fold
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    name: str
    telegram_id: int | None


async def team_people(uow: UnitOfWork, team_id: int) -> list[Person]:
    """The team's active members, by name."""
    statement = (
        select(User.id, User.name, User.telegram_id)
        .where(User.team_id == team_id, User.active.is_(True))
        .order_by(User.name, User.id)
    )
    return [Person(*row) for row in await uow.session.execute(statement)]


def match_person(people: list[Person], text: str) -> list[Person]:
    """Members that ``text`` names: the exact name (case and marks ignored), else a Telegram
    id, else every member whose name starts with it or has a word that does."""
    wanted = fold(text.strip().lstrip("@"))
    if not wanted:
        return []
    exact = [p for p in people if fold(p.name) == wanted]
    if exact:
        return exact
    if wanted.isdigit():
        by_id = [p for p in people if p.telegram_id is not None and str(p.telegram_id) == wanted]
        if by_id:
            return by_id
    return [
        p
        for p in people
        if fold(p.name).startswith(wanted)
        or any(word.startswith(wanted) for word in fold(p.name).split())
    ]
