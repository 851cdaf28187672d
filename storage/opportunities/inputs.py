"""What a deal is made of, as users give it: the create and update inputs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from storage.models import (
    DealType,
    Rating,
)

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


def refs(data: OpportunityInput) -> dict[str, Any]:
    """The linked records' ids, as ``check_references`` takes them."""
    return {
        "account_id": data.account_id,
        "contact_id": data.contact_id,
        "campaign_id": data.campaign_id,
        "source_id": data.source_id,
    }
