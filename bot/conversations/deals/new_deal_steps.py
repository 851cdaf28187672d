"""The guided deal form's questions, their order, and the draft fields each one fills."""

from __future__ import annotations

import enum
from datetime import date
from typing import Any

from storage.deal_form import DealForm
from storage.models import DealType, Rating
from storage.opportunities import LineInput, OpportunityInput


class Step(enum.IntEnum):
    NAME = 1
    AMOUNT = 2
    CLOSE_DATE = 3
    STAGE = 4
    ACCOUNT = 5
    CONTACT = 6
    CAMPAIGN = 7
    RATING = 8
    DEAL_TYPE = 9
    SOURCE = 10
    PROBABILITY = 11
    PRODUCTS = 12
    DESCRIPTION = 13
    SUMMARY = 14
    # Not in the walk: reached from PRODUCTS, and from /new when a draft is open.
    QUANTITY = 15
    RESUME = 16


ORDER = [step for step in Step if step <= Step.SUMMARY]
OPTIONAL = frozenset(step for step in ORDER if Step.ACCOUNT <= step <= Step.DESCRIPTION)
SEARCHED = frozenset({Step.ACCOUNT, Step.CONTACT, Step.CAMPAIGN})
# What Skip empties: the draft keys each question fills.
FIELDS: dict[Step, tuple[str, ...]] = {
    Step.NAME: ("name",),
    Step.AMOUNT: ("amount", "currency"),
    Step.CLOSE_DATE: ("close_date",),
    Step.STAGE: ("stage_id",),
    Step.ACCOUNT: ("account_id", "account_name", "new_account"),
    Step.CONTACT: ("contact_id", "contact_name", "new_contact"),
    Step.CAMPAIGN: ("campaign_id", "campaign_name", "new_campaign"),
    Step.RATING: ("rating",),
    Step.DEAL_TYPE: ("deal_type",),
    Step.SOURCE: ("source_id",),
    Step.PROBABILITY: ("probability",),
    Step.PRODUCTS: ("lines",),
    Step.DESCRIPTION: ("description",),
}
# Draft keys that are the form's own bookkeeping, not the deal's.
QUERY = "_query"  # the text last typed at a search question
PRODUCT = "_product"  # the product whose quantity is asked
EDITING = "_editing"  # answering one field from the summary: go back to it afterwards
PREFILLED = "_prefilled"  # questions skipped because a card filled them


def cleared(step: Step) -> dict[str, Any]:
    """The draft changes that leave ``step``'s field empty."""
    return {key: ([] if key == "lines" else None) for key in FIELDS.get(step, ())}


def following(step: Step, data: dict[str, Any]) -> Step:
    """The question after ``step``: the next one not prefilled, or the summary when editing."""
    if step is Step.QUANTITY:
        return Step.PRODUCTS
    if data.get(EDITING) or step is Step.SUMMARY:
        return Step.SUMMARY
    skipped = set(data.get(PREFILLED) or ())
    for candidate in ORDER[ORDER.index(step) + 1 :]:
        if candidate.name not in skipped:
            return candidate
    return Step.SUMMARY


def preceding(step: Step, data: dict[str, Any]) -> Step:
    """The question Back returns to (the summary, when one field is being edited)."""
    if step is Step.QUANTITY:
        return Step.PRODUCTS
    if data.get(EDITING):
        return Step.SUMMARY
    if step not in ORDER or step is Step.NAME:
        return Step.NAME
    skipped = set(data.get(PREFILLED) or ())
    for candidate in reversed(ORDER[: ORDER.index(step)]):
        if candidate.name not in skipped:
            return candidate
    return Step.NAME


def form_of(data: dict[str, Any]) -> DealForm:
    """The draft's answers as the storage services take them."""
    close = data.get("close_date")
    return DealForm(
        deal=OpportunityInput(
            name=data.get("name") or "",
            close_date=date.fromisoformat(close) if close else None,
            amount=data.get("amount") or 0,
            currency=data.get("currency"),
            stage_id=data.get("stage_id"),
            probability=data.get("probability"),
            rating=Rating(data["rating"]) if data.get("rating") else None,
            deal_type=DealType(data["deal_type"]) if data.get("deal_type") else None,
            account_id=data.get("account_id"),
            contact_id=data.get("contact_id"),
            campaign_id=data.get("campaign_id"),
            source_id=data.get("source_id"),
            description=data.get("description"),
            lines=[
                LineInput(product_id, quantity) for product_id, quantity in data.get("lines") or []
            ],
        ),
        new_account=data.get("new_account"),
        new_contact=data.get("new_contact"),
        new_campaign=data.get("new_campaign"),
    )
