"""The guided deal form's pure parts: summary card, keyboards, answers, question order."""

from datetime import date

import pytest

from bot.buttons.pickers import close_date_choices
from bot.conversations.deals.form_view import (
    add_from_contact_data,
    controls,
    fields_keyboard,
    form_data,
    short,
    summary_keyboard,
    summary_text,
)
from bot.conversations.deals.new_deal_answers import (
    Problem,
    read_amount,
    read_close_date,
    read_probability,
    read_quantity,
)
from bot.conversations.deals.new_deal_steps import (
    EDITING,
    PREFILLED,
    Step,
    cleared,
    following,
    form_of,
    preceding,
)
from bot.i18n import translator
from bot.parsing import Money
from storage.deal_form import DealPreview, PreviewLine, weighted
from storage.models import DealType, Rating

NONCE = "a1b2c3d4"


def _preview(**changes):
    values = dict(
        name="Acme <ERP> & co",
        amount=4_500_000,
        currency="VND",
        close_date=date(2026, 12, 31),
        stage_name="Proposal",
        stage_code="proposal",
        probability=70,
        probability_overridden=True,
        expected_revenue=3_150_000,
        rating=Rating.HOT,
        deal_type=DealType.NEW_CUSTOMER,
        account_name="Minh <Phát>",
        account_is_new=True,
        lines=[PreviewLine("Router & co", 3, 1_500_000, 4_500_000)],
    )
    values.update(changes)
    return DealPreview(**values)


def test_the_summary_escapes_every_name_and_formats_money_for_the_locale():
    text = summary_text(translator("en"), _preview())
    assert "Acme &lt;ERP&gt; &amp; co" in text
    assert "Minh &lt;Phát&gt; (new)" in text
    assert "Router &amp; co" in text
    assert "₫4,500,000" in text and "₫3,150,000" in text
    assert "70% (set by you)" in text
    assert "31 Dec 2026" in text


def test_the_thai_summary_shows_the_buddhist_era_year_unless_gregorian_is_chosen():
    t = translator("th")
    assert "2569" in summary_text(t, _preview())
    assert "2026" in summary_text(t, _preview(), gregorian=True)


def test_empty_fields_show_a_dash():
    text = summary_text(
        translator("en"), _preview(account_name=None, account_is_new=False, lines=[])
    )
    assert "Account: —" in text
    assert "Products: —" in text
    assert "Description: —" in text


def test_every_button_of_the_form_fits_in_64_bytes():
    t = translator("th")
    markups = [summary_keyboard(t, NONCE), fields_keyboard(t, NONCE)]
    rows = [row for markup in markups for row in markup.inline_keyboard]
    for step in Step:
        rows += controls(t, NONCE, step, optional=True)
    datas = [button.callback_data for row in rows for button in row]
    datas += [
        form_data(NONCE, Step.AMOUNT, "am", str(10**15 - 1), "USD"),
        form_data(NONCE, Step.DEAL_TYPE, "ty", "existing_customer"),
        form_data(NONCE, Step.CONTACT, "p", 2**63 - 1),
        add_from_contact_data(2**63 - 1),
    ]
    assert max(len(str(data).encode()) for data in datas) <= 64


def test_long_labels_are_shortened_and_keep_non_breaking_spaces():
    assert len(short("ก" * 200)) == 40
    assert short("1.234.000\xa0₫") == "1.234.000\xa0₫"


def test_an_ambiguous_amount_offers_each_reading_as_a_button():
    with pytest.raises(Problem) as raised:
        read_amount(translator("vi"), "1.234 tr", "VND")
    assert [parts for _, parts in raised.value.choices] == [
        ("am", "1234000000", "VND"),
        ("am", "1234000", "VND"),
    ]
    assert read_amount(translator("en"), "$5,000", "VND") == Money(500_000, "USD")


@pytest.mark.parametrize("text", ["-5", "abc", "99999999999999999999", ""])
def test_bad_amounts_are_refused_with_an_explanation(text):
    with pytest.raises(Problem) as raised:
        read_amount(translator("en"), text, "VND")
    assert raised.value.message


def test_dates_past_or_impossible_are_refused_and_typed_dates_read():
    t = translator("en")
    today = date(2026, 11, 23)
    assert read_close_date(t, "31/12", today) == date(2026, 12, 31)
    for text in ("31/02/2027", "01/01/2020", "soon-ish"):
        with pytest.raises(Problem):
            read_close_date(t, text, today)


def test_probability_and_quantity_accept_what_people_type():
    t = translator("en")
    assert read_probability(t, "70%") == 70
    assert read_quantity(t, "1.000") == 1000
    for reader, text in ((read_probability, "101"), (read_quantity, "0"), (read_quantity, "-2")):
        with pytest.raises(Problem):
            reader(t, text)


def test_close_date_buttons_roll_over_the_year_and_the_quarter():
    assert [day for _, day in close_date_choices(date(2026, 12, 5))] == [
        date(2026, 12, 31),
        date(2027, 1, 31),
        date(2026, 12, 31),
    ]
    assert [day for _, day in close_date_choices(date(2027, 2, 10))] == [
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 3, 31),
    ]


def test_the_walk_skips_prefilled_questions_and_editing_returns_to_the_summary():
    prefilled = {PREFILLED: ["ACCOUNT", "CONTACT"]}
    assert following(Step.STAGE, prefilled) is Step.CAMPAIGN
    assert preceding(Step.CAMPAIGN, prefilled) is Step.STAGE
    assert following(Step.AMOUNT, {EDITING: True}) is Step.SUMMARY
    assert preceding(Step.AMOUNT, {EDITING: True}) is Step.SUMMARY
    assert following(Step.QUANTITY, {EDITING: True}) is Step.PRODUCTS
    assert following(Step.DESCRIPTION, {}) is Step.SUMMARY
    assert preceding(Step.NAME, {}) is Step.NAME
    assert cleared(Step.PRODUCTS) == {"lines": []}
    assert cleared(Step.ACCOUNT) == {"account_id": None, "account_name": None, "new_account": None}


def test_the_draft_becomes_the_services_input():
    form = form_of(
        {
            "name": "Acme",
            "amount": 5,
            "currency": "USD",
            "close_date": "2026-12-31",
            "rating": "warm",
            "lines": [[3, 2]],
            "new_account": "Acme Ltd",
        }
    )
    assert form.deal.close_date == date(2026, 12, 31)
    assert form.deal.rating is Rating.WARM
    assert [(line.product_id, line.quantity) for line in form.deal.lines] == [(3, 2)]
    assert form.new_account == "Acme Ltd"
    assert weighted(4_500_000, 70) == 3_150_000
    assert weighted(1, 50) == 1  # half up, as a saved deal's expected revenue
