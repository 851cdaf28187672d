"""The pipeline: a team's stages, moving a deal between them, and its history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import literal, select, union_all
from sqlalchemy.orm import aliased

from storage import clock, idempotency, validation
from storage.actors import Actor
from storage.errors import Conflict, InvalidInput
from storage.ids import get_row
from storage.models import (
    RESULT_OF_KIND,
    AuditEntry,
    Opportunity,
    Result,
    Stage,
    StageChange,
    StageKind,
    Team,
    User,
)
from storage.opportunities import ENTITY, check_version, commit_audited, get_opportunity
from storage.types import utcnow
from storage.uow import UnitOfWork


async def team_stages(uow: UnitOfWork, team_id: int) -> list[Stage]:
    """The team's pipeline in order."""
    statement = select(Stage).where(Stage.team_id == team_id).order_by(Stage.position, Stage.id)
    return list((await uow.session.execute(statement)).scalars())


async def all_team_stages(uow: UnitOfWork) -> dict[int, list[Stage]]:
    """Every team's pipeline in order, by team id."""
    statement = select(Stage).order_by(Stage.team_id, Stage.position, Stage.id)
    pipelines: dict[int, list[Stage]] = {}
    for stage in (await uow.session.execute(statement)).scalars():
        pipelines.setdefault(stage.team_id, []).append(stage)
    return pipelines


async def move_stage(
    uow: UnitOfWork,
    actor: Actor,
    opportunity_id: int,
    stage_id: int,
    *,
    expected_version: int | None = None,
    lost_reason: str | None = None,
    idempotency_key: str | None = None,
    only_if_open: bool = False,
) -> Opportunity:
    """Move a deal to another stage of its team's pipeline.

    The probability follows the new stage unless the rep overrode it on an open
    stage; a closed stage sets the result (won or lost), and lost needs a reason.
    One history row records the move, audit rows each changed field.

    Raises:
        NotFound: no such deal for this actor. Conflict: ``expected_version`` is stale,
            or ``only_if_open`` and someone closed the deal already.
        InvalidInput: unknown stage (``stage``/``unknown``), same stage
            (``stage``/``unchanged``), lost without a reason (``lost_reason``/``required``).
    """
    if await idempotency.previous_result(uow.session, idempotency_key) is not None:
        return await get_opportunity(uow, actor, opportunity_id)
    opportunity = await get_opportunity(uow, actor, opportunity_id, for_write=True)
    check_version(opportunity, expected_version)
    if only_if_open and opportunity.result is not Result.OPEN:
        # "/won" and "/lost" close an open deal; one that got closed meanwhile is not
        # reversed by a command typed without seeing that.
        raise Conflict(ENTITY, opportunity_id, opportunity.version)
    stage = await get_row(uow.session, Stage, stage_id)
    if stage is None or stage.team_id != opportunity.team_id:
        raise InvalidInput("stage", "unknown")
    if stage.id == opportunity.stage_id:
        raise InvalidInput("stage", "unchanged")
    reason = None
    if stage.kind is StageKind.LOST:
        reason = validation.optional_text(lost_reason, "lost_reason", max_length=500)
        if reason is None:
            raise InvalidInput("lost_reason", "required")
    await idempotency.claim(uow.session, idempotency_key, ENTITY)

    keeps_override = opportunity.probability_overridden and stage.kind is StageKind.OPEN
    before = {
        "stage_id": opportunity.stage_id,
        "probability": opportunity.probability,
        "result": opportunity.result,
        "lost_reason": opportunity.lost_reason,
    }
    from_stage_id = opportunity.stage_id
    # Read before the deal changes: a query now would flush the deal twice (two versions).
    team = await uow.session.get(Team, opportunity.team_id)
    today = clock.today(team.timezone if team else "UTC")
    now = utcnow()
    opportunity.stage_id = stage.id
    if not keeps_override:
        opportunity.probability = stage.probability
        opportunity.probability_overridden = False
    opportunity.result = RESULT_OF_KIND[stage.kind]
    opportunity.lost_reason = reason
    opportunity.closed_at = None if stage.kind is StageKind.OPEN else now
    opportunity.closed_on = None if stage.kind is StageKind.OPEN else today
    opportunity.stage_changed_at = now
    opportunity.updated_at = now
    uow.session.add(
        StageChange(
            opportunity_id=opportunity.id,
            from_stage_id=from_stage_id,
            to_stage_id=stage.id,
            changed_by_id=actor.id,
            changed_at=now,
            amount=opportunity.amount,
            currency=opportunity.currency,
            probability=opportunity.probability,
        )
    )
    changes = {key: (value, getattr(opportunity, key)) for key, value in before.items()}
    return await commit_audited(uow, actor, opportunity, changes)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One line of a deal's history: a stage move or a field change."""

    at: datetime
    who: str
    kind: str  # "stage" or "field"
    field: str | None
    old: str | None
    new: str | None
    amount: int | None = None
    currency: str | None = None
    probability: int | None = None


async def history(uow: UnitOfWork, actor: Actor, opportunity_id: int) -> list[HistoryEntry]:
    """Stage changes and field changes of a deal, oldest first.

    Raises:
        NotFound: no such deal for this actor.
    """
    await get_opportunity(uow, actor, opportunity_id)
    from_stage, to_stage = aliased(Stage), aliased(Stage)
    moves = (
        select(
            StageChange.changed_at.label("at"),
            User.name.label("who"),
            literal("stage").label("kind"),
            literal(None).label("field"),
            from_stage.name.label("old"),
            to_stage.name.label("new"),
            StageChange.amount.label("amount"),
            StageChange.currency.label("currency"),
            StageChange.probability.label("probability"),
            literal(0).label("rank"),
            StageChange.id.label("row_id"),
        )
        .join(User, User.id == StageChange.changed_by_id)
        .join(to_stage, to_stage.id == StageChange.to_stage_id)
        .outerjoin(from_stage, from_stage.id == StageChange.from_stage_id)
        .where(StageChange.opportunity_id == opportunity_id)
    )
    edits = (
        select(
            AuditEntry.at.label("at"),
            User.name.label("who"),
            literal("field").label("kind"),
            AuditEntry.field.label("field"),
            AuditEntry.old_value.label("old"),
            AuditEntry.new_value.label("new"),
            literal(None).label("amount"),
            literal(None).label("currency"),
            literal(None).label("probability"),
            literal(1).label("rank"),
            AuditEntry.id.label("row_id"),
        )
        .join(User, User.id == AuditEntry.user_id)
        .where(
            AuditEntry.entity == ENTITY,
            AuditEntry.entity_id == opportunity_id,
            AuditEntry.field.not_in(("stage_id", "result")),
        )
    )
    combined = union_all(moves, edits).subquery()
    # Rows of one change share their instant: a move first, then the field changes it
    # made, each in the order written, on every database.
    shown = [column for column in combined.c if column.name not in ("rank", "row_id")]
    rows = await uow.session.execute(
        select(*shown).order_by(combined.c.at, combined.c.rank, combined.c.row_id)
    )
    return [HistoryEntry(**row._mapping) for row in rows]
