"""Amounts typed in Vietnamese, Thai and English, read into integer minor units."""

import pytest

from bot.parsing import Ambiguous, Money, ParseError, find_amounts, parse_amount
from tests.money import thb, usd, vnd


@pytest.mark.parametrize(
    ("lang", "text", "currency", "expected"),
    [
        # Vietnamese: "." groups, "," is the decimal mark; tr/triệu/tỷ/nghìn/k.
        ("vi", "50000000", "VND", vnd(50_000_000)),
        ("vi", "50.000.000", "VND", vnd(50_000_000)),
        ("vi", "50tr", "VND", vnd(50_000_000)),
        ("vi", "50 triệu", "VND", vnd(50_000_000)),
        ("vi", "50 trieu", "VND", vnd(50_000_000)),
        ("vi", "1,5 tỷ", "VND", vnd(1_500_000_000)),
        ("vi", "1,5 ty", "VND", vnd(1_500_000_000)),
        ("vi", "2 tỉ", "VND", vnd(2_000_000_000)),
        ("vi", "1.5tr", "VND", vnd(1_500_000)),
        ("vi", "2tr5", "VND", vnd(2_500_000)),
        ("vi", "1tỷ2", "VND", vnd(1_200_000_000)),
        ("vi", "1 triệu rưỡi", "VND", vnd(1_500_000)),
        ("vi", "1 tỷ 200 triệu", "VND", vnd(1_200_000_000)),
        ("vi", "500 nghìn", "VND", vnd(500_000)),
        ("vi", "500 ngàn", "VND", vnd(500_000)),
        ("vi", "500k", "VND", vnd(500_000)),
        ("vi", "50 củ", "VND", vnd(50_000_000)),
        ("vi", "50.000.000đ", "VND", vnd(50_000_000)),
        ("vi", "50.000.000 ₫", "VND", vnd(50_000_000)),
        ("vi", "50tr VND", "VND", vnd(50_000_000)),
        ("vi", "1.234", "VND", vnd(1234)),
        ("vi", "1.234,50 US$", "VND", usd(1234.50)),
        ("vi", "2.000 USD", "VND", usd(2000)),
        ("vi", "1,5", "USD", usd(1.5)),
        # Thai: "," groups, "." is the decimal mark; พัน หมื่น แสน ล้าน.
        ("th", "1.2 ล้าน", "THB", thb(1_200_000)),
        ("th", "1.2ล้าน", "THB", thb(1_200_000)),
        ("th", "5 แสน", "THB", thb(500_000)),
        ("th", "3 หมื่น", "THB", thb(30_000)),
        ("th", "5 พัน", "THB", thb(5_000)),
        ("th", "2 ล้าน 5 แสน", "THB", thb(2_500_000)),
        ("th", "1.5 พันล้าน", "THB", thb(1_500_000_000)),
        ("th", "ล้านครึ่ง", "THB", None),
        ("th", "1 ล้านครึ่ง", "THB", thb(1_500_000)),
        ("th", "50,000,000.50", "THB", thb(50_000_000.50)),
        ("th", "1,500 บาท", "THB", thb(1500)),
        ("th", "1.2 ล้านบาท", "VND", thb(1_200_000)),
        ("th", "฿1,234.50", "VND", thb(1234.50)),
        ("th", "๕ แสน", "THB", thb(500_000)),
        ("th", "3,000 baht", "USD", thb(3000)),
        # English: k/m/b, "$", codes glued to the number as Babel writes them.
        ("en", "50k", "USD", usd(50_000)),
        ("en", "1.2m", "USD", usd(1_200_000)),
        ("en", "1.2M", "USD", usd(1_200_000)),
        ("en", "2bn", "USD", usd(2_000_000_000)),
        ("en", "$5,000", "VND", usd(5000)),
        ("en", "$1,500", "VND", usd(1500)),
        ("en", "$5,000.99", "VND", usd(5000.99)),
        ("en", "USD 5,000", "VND", usd(5000)),
        ("en", "THB1,234.50", "VND", thb(1234.50)),
        ("en", "5000 usd", "VND", usd(5000)),
        ("en", "1.234m", "USD", usd(1_234_000)),
        ("en", "3 million", "USD", usd(3_000_000)),
        ("en", "0", "USD", usd(0)),
        ("en", "500 EUR", "EUR", Money(50_000, "EUR")),
    ],
)
def test_amount_is_read_in_minor_units(lang, text, currency, expected):
    result = parse_amount(text, lang, currency)
    if expected is None:
        assert result == ParseError("not_an_amount")
    else:
        assert result == expected


@pytest.mark.parametrize(
    ("lang", "text", "currency", "candidates"),
    [
        # "." is the Vietnamese group mark, but before "tr" many type it as a decimal.
        ("vi", "1.234 tr", "VND", (vnd(1_234_000_000), vnd(1_234_000))),
        # "," is the Vietnamese decimal mark, but three decimals of a dollar are odd.
        ("vi", "1,500 USD", "VND", (usd(1.5), usd(1500))),
        ("en", "1,234k", "USD", (usd(1_234_000), usd(1234))),
        ("en", "1.500", "USD", (usd(1.5), usd(1500))),
        ("th", "1,500 ล้าน", "THB", (thb(1_500_000_000), thb(1_500_000))),
    ],
)
def test_one_group_of_three_digits_is_ambiguous_when_both_readings_fit(
    lang, text, currency, candidates
):
    assert parse_amount(text, lang, currency) == Ambiguous(candidates)


def test_the_languages_own_reading_wins_when_the_other_cannot_be_money():
    assert parse_amount("1.234", "en", "VND") == vnd(1234)
    assert parse_amount("1,234", "vi", "VND") == vnd(1234)
    assert parse_amount("1,234 tr", "vi", "VND") == vnd(1_234_000)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("-5tr", "negative"),
        ("−500k", "negative"),
        ("$-5", "negative"),
        ("1.000.000 tỷ", "too_large"),
        ("10000000000000 USD", "too_large"),
        ("1.5", "too_precise"),
        ("$1.0055", "too_precise"),
        ("$50 VND", "currency_conflict"),
        ("1.2.3", "invalid_number"),
        ("1,5tr5", "invalid_number"),
        ("50kg", "not_an_amount"),
        ("fifty", "not_an_amount"),
        ("", "not_an_amount"),
    ],
)
def test_impossible_amounts_are_error_codes(text, code):
    result = parse_amount(text, "vi", "VND")
    assert isinstance(result, ParseError)
    assert result.code == code


def test_the_largest_amount_below_the_limit_is_accepted():
    assert parse_amount("999.999.999.999.999", "vi", "VND") == vnd(10**15 - 1)
    assert parse_amount("1.000.000.000.000.000", "vi", "VND") == ParseError("too_large")


def test_amounts_are_found_in_a_sentence_with_their_positions():
    found = find_amounts("Acme 50tr, phase 2", "vi", "VND")
    assert [(f.text, f.result, f.explicit) for f in found] == [
        ("50tr", vnd(50_000_000), True),
        ("2", vnd(2), False),
    ]
    assert found[0].start == 5


def test_words_that_start_like_a_magnitude_are_not_amounts():
    found = find_amounts("5 khách, 2 months, 3 mẫu, ERP2", "en", "USD")
    assert [(f.text, f.explicit) for f in found] == [("5", False), ("2", False), ("3", False)]


@pytest.mark.parametrize(
    ("text", "lang", "minor_units", "currency"),
    [
        ("2 tỷ 3", "vi", 2_300_000_000, "VND"),
        ("5 triệu 2", "vi", 5_200_000, "VND"),
        ("3 tỏi", "vi", 3_000_000_000, "VND"),
        ("5 lít", "vi", 500_000, "VND"),
        ("2 xị", "vi", 200_000, "VND"),
        ("2 หมื่น 5 พัน", "th", 25_000, "VND"),
        ("EUR 500", "en", 50_000, "EUR"),
        ("500 euros", "th", 50_000, "EUR"),
    ],
)
def test_colloquial_and_compound_amounts(text, lang, minor_units, currency):
    assert parse_amount(text, lang, "VND") == Money(minor_units, currency)


def test_digits_after_an_english_magnitude_are_not_its_fraction():
    assert parse_amount("50k 2", "en", "VND") == ParseError("not_an_amount")
