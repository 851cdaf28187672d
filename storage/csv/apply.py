"""Importing deals from CSV, step two: create the new rows, update or skip the existing ones."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.actors import Actor
from storage.csv.imports import ImportPlan, ImportRow, RowProblem
from storage.csv.links import Links, resolve_links
from storage.errors import Conflict, Forbidden, InvalidInput, NotFound
from storage.models import (
    RESULT_OF_KIND,
    Opportunity,
    Result,
    Source,
    Stage,
    StageChange,
    StageKind,
    Team,
)
from storage.opportunities import (
    OpportunityInput,
    entered_closed_on,
    get_opportunity,
    insert_opportunity,
    update_opportunity,
)
from storage.stages import move_stage
from storage.text import fold
from storage.types import utcnow
from storage.uow import UnitOfWork

Progress = Callable[[int, int], Awaitable[None]]
BATCH_SIZE = 250


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: list[RowProblem] = field(default_factory=list)


def _stage_of(row: ImportRow, stages: dict[int, Stage], default: Stage) -> Stage:
    return stages[row.stage_id] if row.stage_id is not None else default


def _deal_values(
    actor: Actor, row: ImportRow, stage: Stage, ids: dict[str, int], now: datetime, today: date
) -> dict[str, Any]:
    """The deal insert_opportunity would make of the row, whose values are checked already."""
    result = RESULT_OF_KIND[stage.kind]
    return {
        "team_id": actor.team_id,
        "owner_id": row.owner_id or actor.id,
        "name": row.name,
        "search_name": fold(row.name),
        "amount": row.amount or 0,
        "currency": row.currency,
        "close_date": row.close_date,
        "stage_id": stage.id,
        "probability": stage.probability if row.probability is None else row.probability,
        "probability_overridden": row.probability is not None,
        "result": result,
        "lost_reason": row.lost_reason if result is Result.LOST else None,
        "rating": row.rating,
        "deal_type": row.deal_type,
        "source_id": row.source_id,
        "description": row.description,
        "closed_at": None if result is Result.OPEN else now,
        "closed_on": None if result is Result.OPEN else entered_closed_on(row.close_date, today),
        "account_id": ids.get("account_id"),
        "contact_id": ids.get("contact_id"),
        "campaign_id": ids.get("campaign_id"),
        "version": 1,
        "created_at": now,
        "updated_at": now,
        "stage_changed_at": now,
    }


async def _create_batch(
    session: AsyncSession,
    actor: Actor,
    rows: list[ImportRow],
    links: Links,
    stages: tuple[dict[int, Stage], Stage],
    now: datetime,
    today: date,
) -> None:
    """Insert a batch of checked rows, and each one's first history row, with multi-row
    INSERTs (a statement a row would make a large file take minutes on SQLite)."""
    await resolve_links(session, actor, rows, links, lambda row: row.owner_id or actor.id)
    by_id, default = stages
    values = [
        _deal_values(actor, row, _stage_of(row, by_id, default), links.ids(row), now, today)
        for row in rows
    ]
    # Core inserts into the tables: rows whose empty cells differ would split the ORM's
    # multi-row INSERT into many small ones. The history rows need only what RETURNING
    # gives back, so the order it comes back in does not matter.
    deals = Opportunity.__table__
    created = await session.execute(
        insert(deals).returning(
            deals.c.id, deals.c.stage_id, deals.c.amount, deals.c.currency, deals.c.probability
        ),
        values,
    )
    await session.execute(
        insert(StageChange.__table__),
        [
            {
                "opportunity_id": ident,
                "from_stage_id": None,
                "to_stage_id": stage_id,
                "changed_by_id": actor.id,
                "changed_at": now,
                "amount": amount,
                "currency": currency,
                "probability": probability,
            }
            for ident, stage_id, amount, currency, probability in created
        ],
    )


async def _create_one(
    session: AsyncSession, actor: Actor, row: ImportRow, links: Links, now: datetime
) -> None:
    """One row through the service every other way of creating a deal uses, so that a row
    the batch could not take is refused with the precise reason."""
    await resolve_links(session, actor, [row], links, lambda row: row.owner_id or actor.id)
    data = OpportunityInput(
        name=row.name,
        close_date=row.close_date,
        amount=row.amount or 0,
        currency=row.currency,
        stage_id=row.stage_id,
        probability=row.probability,
        owner_id=row.owner_id,
        rating=row.rating,
        deal_type=row.deal_type,
        source_id=row.source_id,
        description=row.description,
        **links.ids(row),
    )
    deal = await insert_opportunity(session, actor, data)
    if deal.result is Result.LOST:
        deal.lost_reason = row.lost_reason
    if deal.result is not Result.OPEN:
        deal.closed_at = now


async def _update(
    uow: UnitOfWork, actor: Actor, deal_id: int, row: ImportRow, links: Links
) -> bool:
    """Give the deal the row's values; an empty cell keeps what the deal has.

    Returns:
        Whether anything changed.
    """
    deal = await get_opportunity(uow, actor, deal_id, for_write=True)
    before = links.copy()
    await resolve_links(uow.session, actor, [row], links, lambda _: row.owner_id or deal.owner_id)
    wanted: dict[str, Any] = {
        "name": row.name,
        "close_date": row.close_date,
        "probability": row.probability,
        "owner_id": row.owner_id,
        "rating": row.rating,
        "deal_type": row.deal_type,
        "source_id": row.source_id,
        "description": row.description,
        **links.ids(row),
    }
    if row.amount is not None and not deal.lines:
        wanted |= {"amount": row.amount, "currency": row.currency}
    changes = {
        key: value
        for key, value in wanted.items()
        if value is not None and getattr(deal, key) != value
    }
    moved = row.stage_id is not None and row.stage_id != deal.stage_id
    try:
        if changes:
            deal = await update_opportunity(
                uow, actor, deal.id, changes, expected_version=deal.version
            )
        else:
            await uow.commit()  # accounts or contacts the row named may be new
    except Exception:
        links.restore(before)
        raise
    if moved and row.stage_id is not None:
        await move_stage(
            uow,
            actor,
            deal.id,
            row.stage_id,
            expected_version=deal.version,
            lost_reason=row.lost_reason,
        )
    return bool(changes) or moved


def _failure(row: ImportRow, error: Exception) -> RowProblem:
    if isinstance(error, InvalidInput):
        return RowProblem(row.line, row.cells, error.field, error.reason)
    if isinstance(error, Conflict):
        return RowProblem(row.line, row.cells, "row", "changed_meanwhile")
    return RowProblem(row.line, row.cells, "row", "rejected")


async def _team_stages(session: AsyncSession, team_id: int) -> tuple[dict[int, Stage], Stage]:
    statement = select(Stage).where(Stage.team_id == team_id).order_by(Stage.position, Stage.id)
    stages = list((await session.execute(statement)).scalars())
    default = next((stage for stage in stages if stage.kind is StageKind.OPEN), None)
    if default is None:
        raise InvalidInput("stage", "unknown")
    return {stage.id: stage for stage in stages}, default


async def _add_missing(uow: UnitOfWork, actor: Actor, plan: ImportPlan) -> None:
    """The sources the plan's rows name and the team lacks, added; rows point at them.

    Campaigns need no work here: a row's campaign name is found or created with its links.
    """
    sources, _ = plan.missing_names
    last = await uow.session.scalar(
        select(func.coalesce(func.max(Source.position), 0)).where(Source.team_id == actor.team_id)
    )
    added: dict[str, int] = {}
    for offset, name in enumerate(sources, start=1):
        source = Source(team_id=actor.team_id, name=name, position=int(last or 0) + offset)
        uow.session.add(source)
        await uow.session.flush()
        added[fold(name)] = source.id
    for row in plan.valid:
        if row.missing_source:
            row.source_id = added.get(fold(row.missing_source))
        if row.missing_campaign:
            row.campaign = row.missing_campaign
    await uow.commit()


async def run_import(
    uow: UnitOfWork,
    actor: Actor,
    plan: ImportPlan,
    *,
    update_existing: bool = False,
    add_missing: bool = False,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    now: datetime | None = None,
) -> ImportResult:
    """Create the plan's new deals and skip (or update) the ones that exist already.

    New rows are written in batches of multi-row inserts, one commit per batch; a batch
    the database refuses is retried row by row through ``insert_opportunity``, so the
    row at fault is reported and the rest go in. A run cut short leaves whole batches
    behind, and importing the file again picks up where it stopped: rows already in are
    found by their identity and not created twice.

    With ``add_missing``, the sources and campaigns rows name that the team has not got
    are added first, and the rows linked to them; otherwise those rows go in without.

    Raises:
        Forbidden: the actor is not a manager.
    """
    if not actor.is_manager:
        raise Forbidden("import")
    if add_missing:
        await _add_missing(uow, actor, plan)
    now = now or utcnow()
    team = await uow.session.get(Team, actor.team_id)
    today = now.astimezone(ZoneInfo(team.timezone if team else "UTC")).date()
    result = ImportResult()
    links = Links()
    stages = await _team_stages(uow.session, actor.team_id)
    total, done = len(plan.valid), 0
    new_rows = plan.new_rows
    for start in range(0, len(new_rows), batch_size):
        batch = new_rows[start : start + batch_size]
        before = links.copy()
        try:
            async with uow.session.begin_nested():
                await _create_batch(uow.session, actor, batch, links, stages, now, today)
            result.created += len(batch)
        except (InvalidInput, IntegrityError):
            # Something in the batch was refused: find which row, one row at a time.
            links = before
            for row in batch:
                before = links.copy()
                try:
                    async with uow.session.begin_nested():
                        await _create_one(uow.session, actor, row, links, now)
                except (InvalidInput, IntegrityError) as error:
                    links = before
                    result.failed.append(_failure(row, error))
                    continue
                result.created += 1
        await uow.commit()
        done += len(batch)
        if progress is not None:
            await progress(done, total)
    for row in plan.existing_rows:
        done += 1
        if not update_existing:
            result.skipped += 1
            continue
        try:
            changed = await _update(uow, actor, plan.existing[row.line], row, links)
        except (InvalidInput, Conflict, NotFound, IntegrityError) as error:
            await uow.rollback()
            result.failed.append(_failure(row, error))
            continue
        if changed:
            result.updated += 1
        else:
            result.unchanged += 1
        if progress is not None and (done % batch_size == 0 or done == total):
            await progress(done, total)
    if progress is not None and done and not update_existing and plan.existing_rows:
        await progress(done, total)
    return result
