"""Babel formatting of money, numbers, percentages and (Buddhist-era) dates per language."""

from datetime import date
from decimal import Decimal

import pytest

from bot.formatting import (
    format_compact_money,
    format_date,
    format_money,
    format_number,
    format_percent,
    minor_units_per_unit,
)

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("minor_units", "currency", "lang", "expected"),
    [
        (50_000_000, "VND", "vi", f"50.000.000{NBSP}₫"),
        (50_000_000, "VND", "th", "₫50,000,000"),
        (50_000_000, "VND", "en", "₫50,000,000"),
        (123_450, "THB", "th", "฿1,234.50"),
        (123_450, "THB", "vi", f"1.234,50{NBSP}฿"),
        (500_000, "USD", "en", "$5,000"),
        (50_000_000, "THB", "th", "฿500,000"),
        (50_000_000, "THB", "vi", f"500.000{NBSP}฿"),
        (5, "USD", "en", "$0.05"),
    ],
)
def test_money_shows_the_currencys_own_decimals(minor_units, currency, lang, expected):
    assert format_money(minor_units, currency, lang) == expected


@pytest.mark.parametrize(
    ("minor_units", "currency", "lang", "expected"),
    [
        (19_090_600_000, "VND", "vi", "19,1 tỷ ₫"),
        (1_590_000_000, "VND", "vi", "1,6 tỷ ₫"),
        (950_000, "VND", "vi", "950 nghìn ₫"),
        (120_000_000, "THB", "th", "฿1.2 ล้าน"),
        (50_000_000, "THB", "th", "฿5 แสน"),
        (5_000_000, "THB", "th", "฿50,000"),
        (19_090_600_000, "VND", "th", "₫19,091 ล้าน"),
        (120_000_000, "USD", "en", "$1.2M"),
        (68_900_000, "USD", "vi", "689 nghìn US$"),
        (19_090_600_000, "VND", "en", "₫19.1B"),
        (12_345, "USD", "en", "$123"),
        (0, "VND", "vi", f"0{NBSP}₫"),
    ],
)
def test_summaries_show_money_compact_in_each_languages_words(
    minor_units, currency, lang, expected
):
    assert format_compact_money(minor_units, currency, lang) == expected


def test_minor_units_per_unit_follows_babels_currency_digits():
    assert minor_units_per_unit("VND") == 1
    assert minor_units_per_unit("THB") == 100
    assert minor_units_per_unit("USD") == 100


def test_numbers_are_grouped_in_each_languages_convention():
    assert format_number(1_234_567, "vi") == "1.234.567"
    assert format_number(1_234_567, "th") == "1,234,567"
    assert format_number(Decimal("1234.505"), "en") == "1,234.505"


def test_percent_takes_a_fraction():
    assert format_percent(0.5, "vi") == "50%"
    assert format_percent(Decimal("0.1"), "th") == "10%"


DAY = date(2026, 12, 31)


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("short", "31/12/69"),
        ("medium", "31 ธ.ค. 2569"),
        ("long", "31 ธันวาคม พ.ศ. 2569"),
        ("full", "วันพฤหัสบดีที่ 31 ธันวาคม พ.ศ. 2569"),
    ],
)
def test_thai_dates_show_the_buddhist_era_year(fmt, expected):
    assert format_date(DAY, "th", fmt=fmt) == expected


def test_thai_dates_can_keep_the_gregorian_year():
    assert format_date(DAY, "th", gregorian=True) == "31 ธ.ค. 2026"
    assert format_date(DAY, "th", gregorian=True, fmt="long") == "31 ธันวาคม ค.ศ. 2026"


def test_vietnamese_dates_use_babels_month_names():
    assert format_date(DAY, "vi") == "31 thg 12, 2026"
    assert format_date(DAY, "vi", fmt="long") == "31 tháng 12, 2026"


def test_english_dates_put_the_day_first_as_they_are_typed_back():
    assert format_date(DAY, "en") == "31 Dec 2026"
    assert format_date(DAY, "en", fmt="short") == "31/12/2026"


def test_a_custom_pattern_also_gets_the_buddhist_year_and_era():
    assert format_date(DAY, "th", fmt="d MMM G yy") == "31 ธ.ค. พ.ศ. 69"
    assert format_date(date(2026, 1, 5), "vi", fmt="dd/MM/y") == "05/01/2026"
