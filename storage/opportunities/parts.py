"""The rules a deal's parts obey: its stage, linked records, product lines, closing day."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import validation
from storage.actors import Actor
from storage.errors import InvalidInput
from storage.models import (
    Account,
    Campaign,
    Contact,
    OpportunityLine,
    Product,
    Source,
    Stage,
    StageKind,
)
from storage.opportunities.inputs import LineInput
from storage.permissions import may_see


async def stage_for_new_deal(session: AsyncSession, team_id: int, stage_id: int | None) -> Stage:
    """The team's stage ``stage_id``, else its first open stage."""
    statement = select(Stage).where(Stage.team_id == team_id)
    if stage_id is None:
        statement = statement.where(Stage.kind == StageKind.OPEN).order_by(Stage.position)
    else:
        statement = statement.where(Stage.id == stage_id)
    stage = (await session.execute(statement.limit(1))).scalar_one_or_none()
    if stage is None:
        raise InvalidInput("stage", "unknown")
    return stage


async def check_references(
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


async def priced_lines(
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


def lines_total(lines: list[OpportunityLine]) -> int:
    return validation.amount(sum(line.quantity * line.unit_price for line in lines))


def entered_closed_on(close_date: date, today: date) -> date:
    """The day a deal entered as already won or lost was closed: its close date, which
    records history when it is behind us, or today when it was still ahead."""
    return min(close_date, today)
