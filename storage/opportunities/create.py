"""Creating a deal, and reading one back."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage import clock, idempotency, validation
from storage.actors import Actor
from storage.errors import NotFound
from storage.models import (
    RESULT_OF_KIND,
    Opportunity,
    Result,
    StageChange,
    Team,
)
from storage.opportunities.inputs import ENTITY, OpportunityInput, refs
from storage.opportunities.parts import (
    check_references,
    entered_closed_on,
    lines_total,
    priced_lines,
    stage_for_new_deal,
)
from storage.permissions import check_assignable_owner, get_visible
from storage.text import fold
from storage.types import utcnow
from storage.uow import UnitOfWork


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
    stage = await stage_for_new_deal(session, team.id, data.stage_id)
    override = validation.probability(data.probability)
    await check_references(session, actor, team.id, refs(data))
    lines = await priced_lines(session, team.id, currency, data.lines)
    amount = lines_total(lines) if lines else validation.amount(data.amount)
    result = RESULT_OF_KIND[stage.kind]
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
        await idempotency.name(uow.session, key, opportunity.id)
        await uow.commit()
    except IntegrityError as error:
        previous = await idempotency.lost_race(uow, idempotency_key, error)
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
