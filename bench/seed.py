"""The database a benchmark run starts from: a team, its reps, and deals to look up."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import update

from storage import migrate
from storage.actors import Actor
from storage.db import create_engine, create_session_factory
from storage.generate import generate_deals
from storage.models import Role, User
from storage.teams import TeamSettings, add_user, create_team
from storage.uow import UnitOfWork

FIRST_USER = 10_001
# generate_deals spreads close dates from 60 days before ``start`` to 300 after it.
# Starting past the reminder and overdue-nudge windows (7 days ahead, 3 behind; a day
# more for the team's time zone) leaves the periodic tick nothing to push during a run:
# a push lands in the chat of someone waiting for an answer and would be taken for it.
QUIET_START = timedelta(days=60 + 9)


async def _seed(url: str, users: int, deals_per_user: int) -> list[int]:
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
        sessions = create_session_factory(engine)
        async with UnitOfWork(sessions) as uow:
            team = await create_team(uow, TeamSettings(name="Bench", currency="VND"))
        owners = []
        async with UnitOfWork(sessions) as uow:
            await add_user(
                uow,
                team_id=team.id,
                name="Bench manager",
                role=Role.MANAGER,
                telegram_id=FIRST_USER - 1,
            )
        for number in range(users):
            async with UnitOfWork(sessions) as uow:
                user = await add_user(
                    uow,
                    team_id=team.id,
                    name=f"Rep {number}",
                    role=Role.REP,
                    telegram_id=FIRST_USER + number,
                    language="en",
                )
                owners.append(Actor.of(user).id)
        async with UnitOfWork(sessions) as uow:
            for owner in owners:
                await generate_deals(
                    uow.session,
                    team_id=team.id,
                    owner_ids=[owner],
                    count=deals_per_user,
                    start=date.today() + QUIET_START,
                    seed=owner,
                )
            # No digest days, for the same reason.
            await uow.session.execute(
                update(User).where(User.team_id == team.id).values(digest_days="")
            )
            await uow.commit()
        return [FIRST_USER + number for number in range(users)]
    finally:
        await engine.dispose()


async def seed_database(
    directory: Path, users: int, deals_per_user: int = 20, name: str = "bench"
) -> tuple[str, list[int]]:
    """A fresh SQLite database with ``users`` reps; returns its URL and their Telegram ids.

    Rep ``k`` owns deals ``k * deals_per_user + 1`` to ``(k + 1) * deals_per_user``.
    """
    path = directory / f"{name}.sqlite3"  # the directory is the run's own and fresh
    url = f"sqlite+aiosqlite:///{path}"
    return url, await _seed(url, users, deals_per_user)
