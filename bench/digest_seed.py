"""The morning of scenario (6): thousands of reps, each with about twenty deals due."""

from __future__ import annotations

import time as timer
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, func, insert, select, text, update

from storage import migrate
from storage.db import create_engine, create_session_factory
from storage.models import Opportunity, Result, Role, Stage, StageKind, User
from storage.teams import TeamSettings, create_team
from storage.uow import UnitOfWork

FIRST_TELEGRAM_ID = 2_000_000
ZONE = "Asia/Ho_Chi_Minh"
# A Monday at the default digest time: every rep's digest is due at once.
MORNING = datetime(2026, 3, 2, 8, 0, tzinfo=ZoneInfo(ZONE)).astimezone(UTC)
# Due means closing within 7 days or overdue. These days are chosen so that nothing but
# the digest is due as well: a deal created this morning is past its 7-day reminder when
# it closes in 2 to 6 days, and an overdue deal is nudged only in its first 3 days.
DUE_OFFSETS = (2, 3, 4, 5, 6, -4, -5, -7, -10, -14, -21, -30)
# Rep n gets 10 + (8 n mod 21) deals: 10 to 30, 20 on average. A digest of more than 25
# deals goes out as two messages, so some chats get two sends and their gap is measured.
MOST_DEALS = 30

# The database builds the deals: binding 200,000 rows' dates and instants in Python takes
# longer than the rest of the scenario. One statement per close date keeps the SQL free
# of date arithmetic, which SQLite and PostgreSQL spell differently.
_FILL = """
WITH n(k) AS (VALUES {numbers}),
open_stages AS (
    SELECT id, probability, ROW_NUMBER() OVER (ORDER BY position) - 1 AS i
    FROM stages WHERE team_id = :team_id AND kind = :open_kind
)
INSERT INTO opportunities (team_id, owner_id, name, search_name, amount, currency,
    close_date, stage_id, probability, probability_overridden, result, version,
    created_at, updated_at, stage_changed_at)
SELECT u.team_id, u.id, 'Deal ' || u.id || '-' || n.k || ' <Co & Sons>',
    'deal ' || u.id || '-' || n.k || ' <co & sons>',
    CAST(1 + (u.id + n.k * 13) % 500 AS BIGINT) * 1000000, 'VND',
    :close_date, s.id, s.probability, :overridden, :open, 1, :now, :now, :now
FROM users AS u
JOIN n ON n.k < 10 + ((u.telegram_id - :first) * 8) % 21
JOIN open_stages AS s ON s.i = (u.id + n.k) % :stage_count
WHERE u.team_id = :team_id AND n.k % :offsets = :offset_index
"""


class Clock:
    """The application's clock, fixed at the morning of the round."""

    def __init__(self, now: datetime = MORNING) -> None:
        self.now = now

    def today(self) -> date:
        return self.now.astimezone(ZoneInfo(ZONE)).date()

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Morning:
    reps: int
    deals: int
    seconds: float  # to seed it


def _reps(team_id: int, count: int) -> list[dict[str, object]]:
    return [
        {
            "team_id": team_id,
            "name": f"Rep {number}",
            "role": Role.REP,
            "telegram_id": FIRST_TELEGRAM_ID + number,
            "language": "en",
            "digest_time": time(8, 0),
        }
        for number in range(count)
    ]


def _fill_statement():  # type: ignore[no-untyped-def]
    columns = Opportunity.__table__.c
    numbers = ", ".join(f"({k})" for k in range(MOST_DEALS))
    return text(_FILL.format(numbers=numbers)).bindparams(
        bindparam("open_kind", type_=Stage.__table__.c.kind.type),
        bindparam("open", type_=columns.result.type),
        bindparam("close_date", type_=columns.close_date.type),
        bindparam("overridden", type_=columns.probability_overridden.type),
        bindparam("now", type_=columns.created_at.type),
    )


async def seed_morning(url: str, reps: int, clock: Clock) -> Morning:
    """A fresh team of ``reps`` English-speaking reps whose digests are all due at ``clock``."""
    started = timer.perf_counter()
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
        sessions = create_session_factory(engine)
        async with UnitOfWork(sessions) as uow:
            team = await create_team(uow, TeamSettings(name="Morning", timezone=ZONE))
        async with UnitOfWork(sessions) as uow:
            await uow.session.execute(insert(User), _reps(team.id, reps))
            open_count = await uow.session.scalar(
                select(func.count())
                .select_from(Stage)
                .where(Stage.team_id == team.id, Stage.kind == StageKind.OPEN)
            )
            fill = _fill_statement()
            for index, offset in enumerate(DUE_OFFSETS):
                await uow.session.execute(
                    fill,
                    {
                        "team_id": team.id,
                        "open_kind": StageKind.OPEN,
                        "open": Result.OPEN,
                        "close_date": clock.today() + timedelta(days=offset),
                        "overridden": False,
                        "now": clock.now,
                        "first": FIRST_TELEGRAM_ID,
                        "stage_count": open_count,
                        "offsets": len(DUE_OFFSETS),
                        "offset_index": index,
                    },
                )
            await uow.commit()
            deals = await uow.session.scalar(
                select(func.count()).select_from(Opportunity).where(Opportunity.team_id == team.id)
            )
    finally:
        await engine.dispose()
    return Morning(reps, deals or 0, timer.perf_counter() - started)


async def only_first(url: str, members: int) -> None:
    """Leave the digest due for the first ``members`` reps only (the others have no days)."""
    engine = create_engine(url)
    try:
        async with UnitOfWork(create_session_factory(engine)) as uow:
            await uow.session.execute(
                update(User)
                .where(User.telegram_id >= FIRST_TELEGRAM_ID + members)
                .values(digest_days="")
            )
            await uow.commit()
    finally:
        await engine.dispose()
