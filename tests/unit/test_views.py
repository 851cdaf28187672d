"""Views are pure: cards render every field, escaped, in the reader's language."""

from datetime import date

from bot.i18n import translator
from bot.views import days_to_close, deal_card
from storage.models import Result
from tests.cards import a_card


def test_a_card_escapes_the_name_and_shows_money_for_the_locale():
    text = deal_card(translator("en"), a_card(), today=date(2026, 12, 1))
    assert "Acme &lt;ERP&gt; &amp; co" in text
    assert "50,000,000" in text
    assert "(50%)" in text
    assert "30 days left" in text


def test_a_thai_card_shows_the_buddhist_era_year():
    text = deal_card(translator("th"), a_card(), today=date(2026, 12, 1))
    assert "2569" in text
    assert "2026" not in text


def test_a_thai_reader_may_choose_gregorian_years():
    text = deal_card(translator("th"), a_card(), today=date(2026, 12, 1), gregorian=True)
    assert "2026" in text


def test_overdue_and_today_are_said_plainly():
    t = translator("en")
    assert days_to_close(t, date(2026, 11, 20), date(2026, 11, 23)) == "overdue by 3 days"
    assert days_to_close(t, date(2026, 11, 23), date(2026, 11, 23)) == "closes today"
    assert days_to_close(t, date(2026, 11, 24), date(2026, 11, 23)) == "1 day left"


def test_a_lost_deal_shows_its_reason():
    text = deal_card(
        translator("en"), a_card(result=Result.LOST, lost_reason="Price"), today=date(2026, 12, 1)
    )
    assert "Lost reason: Price" in text
