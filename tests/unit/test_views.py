"""Views are pure: cards render every field, escaped, in the reader's language."""

from datetime import date

from bot.i18n import translator
from bot.views import days_to_close, deal_card
from storage.cards import DealCard
from storage.models import Rating, Result


def _card(**changes):
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


def test_a_card_escapes_the_name_and_shows_money_for_the_locale():
    text = deal_card(translator("en"), _card(), today=date(2026, 12, 1))
    assert "Acme &lt;ERP&gt; &amp; co" in text
    assert "50,000,000" in text
    assert "(50%)" in text
    assert "30 days left" in text


def test_a_thai_card_shows_the_buddhist_era_year():
    text = deal_card(translator("th"), _card(), today=date(2026, 12, 1))
    assert "2569" in text
    assert "2026" not in text


def test_a_thai_reader_may_choose_gregorian_years():
    text = deal_card(translator("th"), _card(), today=date(2026, 12, 1), gregorian=True)
    assert "2026" in text


def test_overdue_and_today_are_said_plainly():
    t = translator("en")
    assert days_to_close(t, date(2026, 11, 20), date(2026, 11, 23)) == "overdue by 3 days"
    assert days_to_close(t, date(2026, 11, 23), date(2026, 11, 23)) == "closes today"
    assert days_to_close(t, date(2026, 11, 24), date(2026, 11, 23)) == "1 day left"


def test_a_lost_deal_shows_its_reason():
    text = deal_card(
        translator("en"), _card(result=Result.LOST, lost_reason="Price"), today=date(2026, 12, 1)
    )
    assert "Lost reason: Price" in text
