"""A deal card as storage hands it to the views: an open proposal, every field plain."""

from datetime import date

from storage.cards import DealCard
from storage.models import Rating, Result


def a_card(**changes) -> DealCard:
    """The card of the deal "Acme <ERP> & co", with ``changes`` applied."""
    values = dict(
        id=7,
        version=1,
        name="Acme <ERP> & co",
        amount=50_000_000,
        currency="VND",
        expected_revenue=25_000_000,
        close_date=date(2026, 12, 31),
        stage_name="Proposal",
        stage_code="proposal",
        probability=50,
        result=Result.OPEN,
        lost_reason=None,
        rating=Rating.HOT,
        deal_type=None,
        owner_name="An",
        account_name="Acme",
        contact_name=None,
        campaign_name=None,
        source_name=None,
        source_code=None,
        description=None,
    )
    values.update(changes)
    return DealCard(**values)
