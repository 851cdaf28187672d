"""Generated data in bulk, for the benchmark and for tests of large volumes."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import RESULT_OF_KIND, Opportunity, Stage, StageKind
from storage.types import utcnow


async def generate_deals(
    session: AsyncSession,
    *,
    team_id: int,
    owner_ids: Sequence[int],
    count: int,
    currencies: Sequence[str] = ("VND",),
    start: date | None = None,
    seed: int = 7,
    batch: int = 5_000,
) -> None:
    """Insert ``count`` deals spread over the team's stages, owners and a year of dates.

    Rows go in with multi-row INSERTs in batches; the caller commits.
    """
    rng = random.Random(seed)
    now = utcnow()
    stages = list((await session.execute(select(Stage).where(Stage.team_id == team_id))).scalars())
    start = start or now.date()
    rows = []
    for number in range(count):
        stage = rng.choice(stages)
        close_date = start + timedelta(days=rng.randrange(-60, 300))
        name = f"Deal {team_id}-{number}"
        rows.append(
            {
                "team_id": team_id,
                "owner_id": rng.choice(owner_ids),
                "name": name,
                "search_name": name.casefold(),
                "amount": rng.randrange(1, 5_000) * 1_000_000,
                "currency": rng.choice(currencies),
                "close_date": close_date,
                "stage_id": stage.id,
                "probability": stage.probability,
                "result": RESULT_OF_KIND[stage.kind],
                "closed_on": None if stage.kind is StageKind.OPEN else min(close_date, start),
                "version": 1,
                "created_at": now,
                "updated_at": now,
                "stage_changed_at": now,
            }
        )
        if len(rows) == batch:
            await session.execute(insert(Opportunity), rows)
            rows = []
    if rows:
        await session.execute(insert(Opportunity), rows)
