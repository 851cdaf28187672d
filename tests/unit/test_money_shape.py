"""format_money builds a sum from a shape read off Babel once: it must say what Babel says."""

from hypothesis import given
from hypothesis import strategies as st

from bot.formatting import _babel_money, format_money

CURRENCIES = ["VND", "THB", "USD", "EUR", "JPY", "KWD", "GBP"]


@given(
    minor_units=st.integers(min_value=-(10**16), max_value=10**16),
    currency=st.sampled_from(CURRENCIES),
    lang=st.sampled_from(["vi", "th", "en"]),
)
def test_every_sum_reads_as_babel_formats_it(minor_units, currency, lang):
    assert format_money(minor_units, currency, lang) == _babel_money(minor_units, currency, lang)


def test_the_shapes_examples():
    assert format_money(50_000_000, "VND", "vi") == "50.000.000\xa0₫"
    assert format_money(123_450, "THB", "th") == "฿1,234.50"
    assert format_money(-500_000, "USD", "en") == "-$5,000"
