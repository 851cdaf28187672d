"""Changing a deal: its fields, product lines and activities, or deleting it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from storage import idempotency, validation
from storage.actors import Actor
from storage.audit import record_changes
from storage.errors import Conflict, InvalidInput
from storage.models import (
    Activity,
    ActivityKind,
    AuditEntry,
    Opportunity,
    Stage,
)
from storage.opportunities.create import get_opportunity
from storage.opportunities.inputs import ENTITY, UPDATABLE, LineInput
from storage.opportunities.parts import check_references, lines_total, priced_lines
from storage.permissions import check_assignable_owner
from storage.text import fold
from storage.types import utcnow
from storage.uow import UnitOfWork


def check_version(opportunity: Opportunity, expected_version: int | None) -> None:
    if expected_version is not None and opportunity.version != expected_version:
        raise Conflict(ENTITY, opportunity.id, opportunity.version)


async def commit_guarded(uow: UnitOfWork, opportunity: Opportunity) -> None:
    """Commit, turning a concurrent writer's newer version into a ``Conflict``."""
    # Read before committing: after a rollback the attributes are expired, and
    # loading them again would need I/O outside the async driver's greenlet.
    ident = opportunity.id
    try:
        await uow.commit()
    except StaleDataError as error:
        await uow.rollback()
        raise Conflict(ENTITY, ident) from error


async def commit_audited(
    uow: UnitOfWork, actor: Actor, opportunity: Opportunity, changes: dict[str, tuple[Any, Any]]
) -> Opportunity:
    """Audit the deal's ``changes`` (field: (before, after)) and commit, guarded."""
    record_changes(uow.session, actor, opportunity.team_id, ENTITY, opportunity.id, changes)
    await commit_guarded(uow, opportunity)
    return opportunity


async def update_opportunity(
    uow: UnitOfWork,
    actor: Actor,
    opportunity_id: int,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
) -> Opportunity:
    """Change fields of a deal, writing one audit row per changed field.

    ``probability=None`` gives the probability back to the stage.

    Raises:
        NotFound, Conflict (``expected_version`` is stale), InvalidInput.
    """
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise InvalidInput(sorted(unknown)[0], "not_updatable")
    opportunity = await get_opportunity(uow, actor, opportunity_id, for_write=True)
    check_version(opportunity, expected_version)
    values = dict(changes)
    if "name" in values:
        values["name"] = validation.name(values["name"])
    if "amount" in values:
        if opportunity.lines:
            raise InvalidInput("amount", "set_by_lines")
        values["amount"] = validation.amount(values["amount"])
    if "currency" in values:
        values["currency"] = validation.currency(values["currency"])
    if "close_date" in values:
        values["close_date"] = validation.close_date(values["close_date"])
    if "owner_id" in values:
        await check_assignable_owner(uow.session, actor, values["owner_id"])
    if "description" in values:
        values["description"] = validation.optional_text(
            values["description"], "description", max_length=4000
        )
    await check_references(uow.session, actor, opportunity.team_id, values)
    if "probability" in values:
        override = validation.probability(values["probability"])
        if override is None:
            stage = await uow.session.get(Stage, opportunity.stage_id)
            values["probability"] = stage.probability if stage else opportunity.probability
        values["probability_overridden"] = override is not None

    audit = {key: (getattr(opportunity, key), value) for key, value in values.items()}
    for key, value in values.items():
        setattr(opportunity, key, value)
    if "name" in values:
        opportunity.search_name = fold(opportunity.name)
    audit.pop("probability_overridden", None)
    opportunity.updated_at = utcnow()
    return await commit_audited(uow, actor, opportunity, audit)


async def set_lines(
    uow: UnitOfWork,
    actor: Actor,
    opportunity_id: int,
    lines: list[LineInput],
    *,
    expected_version: int | None,
) -> Opportunity:
    """Replace the deal's product lines; the amount becomes their sum when any exist."""
    opportunity = await get_opportunity(uow, actor, opportunity_id, for_write=True)
    check_version(opportunity, expected_version)
    priced = await priced_lines(uow.session, opportunity.team_id, opportunity.currency, lines)
    old_amount = opportunity.amount
    opportunity.lines = priced
    if priced:
        opportunity.amount = lines_total(priced)
    opportunity.updated_at = utcnow()
    changes = {"amount": (old_amount, opportunity.amount), "lines": (None, str(len(priced)))}
    return await commit_audited(uow, actor, opportunity, changes)


async def add_activity(
    uow: UnitOfWork,
    actor: Actor,
    opportunity_id: int,
    kind: ActivityKind,
    text: str,
    *,
    idempotency_key: str | None = None,
) -> Activity:
    """Log a call, meeting or note on a deal the actor may change."""
    previous = await idempotency.previous_result(uow.session, idempotency_key)
    if previous is not None and previous.entity_id is not None:
        activity = await uow.session.get(Activity, previous.entity_id)
        if activity is not None:
            return activity
    await get_opportunity(uow, actor, opportunity_id, for_write=True)
    activity = Activity(
        opportunity_id=opportunity_id,
        author_id=actor.id,
        kind=kind,
        text=validation.name(text, "text", max_length=4000),
    )
    await idempotency.add_keyed(uow.session, idempotency_key, "activity", activity)
    await uow.commit()
    return activity


async def delete_opportunity(uow: UnitOfWork, actor: Actor, opportunity_id: int) -> None:
    """Remove a deal (the quick-create Undo); the audit log keeps that it existed."""
    opportunity = await get_opportunity(uow, actor, opportunity_id, for_write=True)
    uow.session.add(
        AuditEntry(
            team_id=opportunity.team_id,
            user_id=actor.id,
            entity=ENTITY,
            entity_id=opportunity.id,
            field="deleted",
            old_value=opportunity.name,
            new_value=None,
        )
    )
    await uow.session.delete(opportunity)
    await uow.commit()
