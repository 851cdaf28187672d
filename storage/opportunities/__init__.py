"""Opportunities: create, update, product lines, activities, delete."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from storage import clock, idempotency, validation
from storage.actors import Actor
from storage.audit import record_changes
from storage.errors import Conflict, InvalidInput, NotFound
from storage.models import (
    Account,
    Activity,
    ActivityKind,
    AuditEntry,
    Campaign,
    Contact,
    DealType,
    Opportunity,
    OpportunityLine,
    Product,
    Rating,
    Result,
    Source,
    Stage,
    StageChange,
    StageKind,
    Team,
)
from storage.permissions import check_assignable_owner, get_visible, may_see
from storage.text import fold
from storage.types import utcnow
from storage.uow import UnitOfWork

ENTITY = "opportunity"


@dataclass(frozen=True, slots=True)
class LineInput:
    product_id: int
    quantity: int
    unit_price: int | None = None  # minor units; the product's price when omitted


@dataclass(slots=True)
class OpportunityInput:
    """What a user gives when creating a deal; everything but name and date is optional."""

    name: str
    close_date: date | None
    amount: int = 0
    currency: str | None = None
    stage_id: int | None = None
    probability: int | None = None
    owner_id: int | None = None
    rating: Rating | None = None
    deal_type: DealType | None = None
    account_id: int | None = None
    contact_id: int | None = None
    campaign_id: int | None = None
    source_id: int | None = None
    description: str | None = None
    lines: list[LineInput] = field(default_factory=list)


UPDATABLE = frozenset(
    {
        "name",
        "amount",
        "currency",
        "close_date",
        "probability",
        "owner_id",
        "rating",
        "deal_type",
        "account_id",
        "contact_id",
        "campaign_id",
        "source_id",
        "description",
    }
)


async def _team_stage(session: AsyncSession, team_id: int, stage_id: int | None) -> Stage:
    statement = select(Stage).where(Stage.team_id == team_id)
    if stage_id is None:
        statement = statement.where(Stage.kind == StageKind.OPEN).order_by(Stage.position)
    else:
        statement = statement.where(Stage.id == stage_id)
    stage = (await session.execute(statement.limit(1))).scalar_one_or_none()
    if stage is None:
        raise InvalidInput("stage", "unknown")
    return stage


async def _check_references(
    session: AsyncSession, actor: Actor, team_id: int, values: dict[str, Any]
) -> None:
    """Linked records must exist in the deal's team, and people's records be visible."""
    if values.get("account_id") is not None:
        account = await session.get(Account, values["account_id"])
        if account is None or account.team_id != team_id or not may_see(account, actor):
            raise InvalidInput("account", "unknown")
    if values.get("contact_id") is not None:
        contact = await session.get(Contact, values["contact_id"])
        if contact is None or contact.team_id != team_id or not may_see(contact, actor):
            raise InvalidInput("contact", "unknown")
    # An ended campaign is accepted: a converted lead or an imported deal keeps its own.
    for key, model in (("campaign_id", Campaign), ("source_id", Source)):
        if values.get(key) is not None:
            row = await session.get(model, values[key])
            if row is None or row.team_id != team_id:
                raise InvalidInput(key.removesuffix("_id"), "unknown")


async def _priced_lines(
    session: AsyncSession, team_id: int, currency: str, lines: list[LineInput]
) -> list[OpportunityLine]:
    priced = []
    for line in lines:
        product = await session.get(Product, line.product_id)
        if product is None or product.team_id != team_id:
            raise InvalidInput("product", "unknown")
        if line.unit_price is None and product.currency != currency:
            raise InvalidInput("product", "currency_mismatch", currency=product.currency)
        unit_price = product.unit_price if line.unit_price is None else line.unit_price
        priced.append(
            OpportunityLine(
                product_id=product.id,
                quantity=validation.quantity(line.quantity),
                unit_price=validation.amount(unit_price, "unit_price"),
            )
        )
    return priced


def _lines_total(lines: list[OpportunityLine]) -> int:
    return validation.amount(sum(line.quantity * line.unit_price for line in lines))


async def insert_opportunity(
    session: AsyncSession,
    actor: Actor,
    data: OpportunityInput,
    *,
    lead_id: int | None = None,
) -> Opportunity:
    """Validate and add a new deal to the session without committing.

    Used by ``create_opportunity`` and by lead conversion, which needs it inside its
    own transaction.
    """
    team = await session.get(Team, actor.team_id)
    if team is None:
        raise NotFound("teams", actor.team_id)
    name = validation.name(data.name)
    close_date = validation.close_date(data.close_date)
    currency = validation.currency(data.currency or team.currency)
    owner = await check_assignable_owner(session, actor, data.owner_id or actor.id)
    stage = await _team_stage(session, team.id, data.stage_id)
    override = validation.probability(data.probability)
    await _check_references(session, actor, team.id, _refs(data))
    lines = await _priced_lines(session, team.id, currency, data.lines)
    amount = _lines_total(lines) if lines else validation.amount(data.amount)
    result = {StageKind.WON: Result.WON, StageKind.LOST: Result.LOST}.get(stage.kind, Result.OPEN)
    opportunity = Opportunity(
        team_id=team.id,
        owner_id=owner.id,
        name=name,
        search_name=fold(name),
        amount=amount,
        currency=currency,
        close_date=close_date,
        stage_id=stage.id,
        probability=stage.probability if override is None else override,
        probability_overridden=override is not None,
        result=result,
        closed_at=None if result is Result.OPEN else utcnow(),
        closed_on=None
        if result is Result.OPEN
        else entered_closed_on(close_date, clock.today(team.timezone)),
        rating=data.rating,
        deal_type=data.deal_type,
        account_id=data.account_id,
        contact_id=data.contact_id,
        campaign_id=data.campaign_id,
        source_id=data.source_id,
        lead_id=lead_id,
        description=validation.optional_text(data.description, "description", max_length=4000),
        lines=lines,
    )
    session.add(opportunity)
    await session.flush()
    session.add(
        StageChange(
            opportunity_id=opportunity.id,
            from_stage_id=None,
            to_stage_id=stage.id,
            changed_by_id=actor.id,
            amount=opportunity.amount,
            currency=opportunity.currency,
            probability=opportunity.probability,
        )
    )
    return opportunity


def entered_closed_on(close_date: date, today: date) -> date:
    """The day a deal entered as already won or lost was closed: its close date, which
    records history when it is behind us, or today when it was still ahead."""
    return min(close_date, today)


def _refs(data: OpportunityInput) -> dict[str, Any]:
    return {
        "account_id": data.account_id,
        "contact_id": data.contact_id,
        "campaign_id": data.campaign_id,
        "source_id": data.source_id,
    }


async def create_opportunity(
    uow: UnitOfWork,
    actor: Actor,
    data: OpportunityInput,
    *,
    idempotency_key: str | None = None,
) -> Opportunity:
    """Create a deal owned by the actor (or, for a manager, by a rep of the team).

    Args:
        idempotency_key: e.g. ``msg:<chat>:<message>``; a key already used returns the
            deal it created the first time and creates nothing.

    Returns:
        The deal, committed, with its lines loaded.

    Raises:
        InvalidInput: a field breaks a rule (``field`` and ``reason`` say which).
    """
    previous = await idempotency.previous_result(uow.session, idempotency_key)
    if previous is not None:
        return await _replay(uow, actor, previous.entity_id)
    try:
        key = await idempotency.claim(uow.session, idempotency_key, ENTITY)
        opportunity = await insert_opportunity(uow.session, actor, data)
        if key is not None:
            key.entity_id = opportunity.id
        await uow.commit()
    except IntegrityError:
        await uow.rollback()
        previous = await idempotency.previous_result(uow.session, idempotency_key)
        if previous is None:
            raise
        return await _replay(uow, actor, previous.entity_id)
    return opportunity


async def _replay(uow: UnitOfWork, actor: Actor, opportunity_id: int | None) -> Opportunity:
    if opportunity_id is None:
        raise NotFound(ENTITY, None)
    return await get_opportunity(uow, actor, opportunity_id)


async def get_opportunity(
    uow: UnitOfWork, actor: Actor, opportunity_id: int, *, for_write: bool = False
) -> Opportunity:
    """One deal the actor may see, with its product lines.

    Raises:
        NotFound: no such deal, or another rep's.
    """
    return await get_visible(
        uow.session,
        Opportunity,
        opportunity_id,
        actor,
        for_write=for_write,
        options=(selectinload(Opportunity.lines),),
    )


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
    await _check_references(uow.session, actor, opportunity.team_id, values)
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
    record_changes(uow.session, actor, opportunity.team_id, ENTITY, opportunity.id, audit)
    opportunity.updated_at = utcnow()
    await commit_guarded(uow, opportunity)
    return opportunity


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
    priced = await _priced_lines(uow.session, opportunity.team_id, opportunity.currency, lines)
    old_amount = opportunity.amount
    opportunity.lines = priced
    if priced:
        opportunity.amount = _lines_total(priced)
    record_changes(
        uow.session,
        actor,
        opportunity.team_id,
        ENTITY,
        opportunity.id,
        {"amount": (old_amount, opportunity.amount), "lines": (None, str(len(priced)))},
    )
    opportunity.updated_at = utcnow()
    await commit_guarded(uow, opportunity)
    return opportunity


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
    key = await idempotency.claim(uow.session, idempotency_key, "activity")
    activity = Activity(
        opportunity_id=opportunity_id,
        author_id=actor.id,
        kind=kind,
        text=validation.name(text, "text", max_length=4000),
    )
    uow.session.add(activity)
    await uow.session.flush()
    if key is not None:
        key.entity_id = activity.id
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
