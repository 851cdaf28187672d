"""Properties: the parsers never raise, and what the bot formats it reads back unchanged."""

from datetime import date, timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.formatting import format_date, format_money, format_number, to_units
from bot.parsing import (
    Money,
    ParseError,
    parse_amount,
    parse_date,
    parse_deal_line,
    parse_email,
    parse_lead_line,
    parse_phone,
    to_json_dict,
)

LANGS = st.sampled_from(["vi", "th", "en"])
CURRENCIES = st.sampled_from(["VND", "THB", "USD"])
MINOR_UNITS = st.integers(min_value=0, max_value=10**15 - 1)
TODAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
# Two-digit years are only meaningful near today: twenty years either way.
OFFSETS = st.integers(min_value=-20 * 365, max_value=20 * 365)
FORMATS = st.sampled_from(["short", "medium", "long", "full"])
STAGES = [(1, ["Proposal", "Đề xuất", "เสนอราคา"]), (2, ["Closed won", "Thắng"])]
# Pieces that send the scanners down their less travelled paths.
PIECES = [
    "50tr",
    "1,5",
    "tỷ",
    "1.234",
    ".",
    ",",
    "-",
    "−",
    "/",
    "$",
    "฿",
    "₫",
    "đ",
    "US$",
    "k",
    "m",
    "ล้าน",
    "แสน",
    "พันล้าน",
    "ครึ่ง",
    "rưỡi",
    "31/12",
    "31",
    "12",
    "2569",
    "ธ.ค.",
    "tháng",
    "thứ",
    "tuần sau",
    "tới",
    "หน้า",
    "วัน",
    "อีก",
    "next",
    "friday",
    "mai",
    "Mai",
    "@",
    "+",
    "#",
    '"',
    "“",
    "0901",
    "+84",
    "@x.vn",
    "cty",
    "บริษัท",
    "๕",
    "9" * 60,
    "0",
    "in",
    "999",
    "months",
    "end of",
    "Q4",
    "\n",
    "\xa0",
]
TEXTS = (
    st.text(max_size=60)
    | st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=12).map(
        lambda parts: " ".join(parts)
    )
    | st.lists(st.sampled_from(PIECES), max_size=8).map("".join)
)


@settings(max_examples=200, deadline=None)
@given(text=TEXTS, lang=LANGS, today=TODAYS)
@example(text="+<", lang="th", today=date(2026, 1, 1))  # a "+" tag in a lead line
def test_the_parsers_never_raise_on_any_text(text, lang, today):
    to_json_dict(parse_deal_line(text, lang, today, "VND", STAGES))
    to_json_dict(parse_lead_line(text, lang))
    parse_amount(text, lang, "THB")
    parse_date(text, lang, today)
    parse_phone(text, lang)
    parse_email(text)


@settings(max_examples=200, deadline=None)
@given(minor_units=MINOR_UNITS, currency=CURRENCIES, lang=LANGS, default=CURRENCIES)
def test_formatted_money_reads_back_as_the_same_amount(minor_units, currency, lang, default):
    text = format_money(minor_units, currency, lang)
    assert parse_amount(text, lang, default) == Money(minor_units, currency)


@settings(max_examples=200, deadline=None)
@given(minor_units=MINOR_UNITS, currency=CURRENCIES, lang=LANGS)
def test_a_formatted_number_reads_back_in_the_default_currency(minor_units, currency, lang):
    text = format_number(to_units(minor_units, currency), lang)
    assert parse_amount(text, lang, currency) == Money(minor_units, currency)


@settings(max_examples=100, deadline=None)
@given(minor_units=st.integers(min_value=1, max_value=10**15), currency=CURRENCIES, lang=LANGS)
def test_formatted_negative_money_is_refused(minor_units, currency, lang):
    text = format_money(-minor_units, currency, lang)
    assert parse_amount(text, lang, currency) == ParseError("negative")


@settings(max_examples=200, deadline=None)
@given(today=TODAYS, offset=OFFSETS, lang=LANGS, fmt=FORMATS, gregorian=st.booleans())
def test_formatted_date_reads_back_as_the_same_date(today, offset, lang, fmt, gregorian):
    day = today + timedelta(days=offset)
    text = format_date(day, lang, gregorian=gregorian, fmt=fmt)
    expected = day if day >= today else ParseError("past", day)
    assert parse_date(text, lang, today) == expected


@settings(max_examples=200, deadline=None)
@given(
    today=TODAYS,
    offset=st.integers(min_value=0, max_value=5 * 365),
    minor_units=MINOR_UNITS,
    currency=CURRENCIES,
    lang=LANGS,
    fmt=st.sampled_from(["medium", "long"]),
)
def test_a_deal_line_of_formatted_values_reads_them_back(
    today, offset, minor_units, currency, lang, fmt
):
    day = today + timedelta(days=offset)
    money = format_money(minor_units, currency, lang)
    text = f"/new Acme ERP {money} {format_date(day, lang, fmt=fmt)}"
    parse = parse_deal_line(text, lang, today, "VND", STAGES)
    assert (parse.name, parse.amount, parse.close_date) == (
        "Acme ERP",
        Money(minor_units, currency),
        day,
    )
    assert (parse.errors, parse.ambiguities) == ((), ())


NAME_WORDS = st.lists(
    st.sampled_from(["Windows", "upgrade", "Zone", "fit-out", "Nâng cấp", "ตกแต่ง", "abc", "ERP"]),
    min_size=1,
    max_size=3,
)


@settings(max_examples=200, deadline=None)
@given(
    before=NAME_WORDS,
    after=st.lists(st.sampled_from(["upgrade", "abc", "ERP", "phase"]), max_size=2),
    number=st.integers(min_value=0, max_value=10**9),
    lang=LANGS,
    offset=st.integers(min_value=0, max_value=365),
)
def test_no_digit_of_a_bare_number_is_dropped_from_the_name(before, after, number, lang, offset):
    today = date(2026, 6, 10)
    day = today + timedelta(days=offset)
    words = [*before, str(number), *after]
    text = f"/new {' '.join(words)} {format_date(day, lang, fmt='medium')}"
    parse = parse_deal_line(text, lang, today, "VND", STAGES)
    if parse.amount is None or parse.amount.minor_units != number:
        assert str(number) in parse.name.split()
    else:
        # Taken as the amount only after asking: never silently.
        raise AssertionError(f"{text!r} took {number} as the amount without asking")
    doubts = [a for a in parse.ambiguities if a.field == "amount"]
    assert doubts and None in doubts[0].candidates


@settings(max_examples=200, deadline=None)
@given(
    name=NAME_WORDS,
    number=st.integers(min_value=0, max_value=10**9),
    minor_units=st.integers(min_value=1, max_value=10**12),
    currency=CURRENCIES,
    lang=LANGS,
    offset=st.integers(min_value=0, max_value=5 * 365),
    numbered=st.booleans(),
)
def test_one_plain_amount_and_one_real_date_never_ask(
    name, number, minor_units, currency, lang, offset, numbered
):
    today = date(2026, 6, 10)
    day = today + timedelta(days=offset)
    words = [*name, str(number)] if numbered else name
    money = format_money(minor_units, currency, lang)
    text = f"/new {' '.join(words)} {money} {format_date(day, lang, fmt='medium')}"
    parse = parse_deal_line(text, lang, today, "VND", STAGES)
    assert (parse.errors, parse.ambiguities) == ((), ())
    assert (parse.amount, parse.close_date) == (Money(minor_units, currency), day)
    assert parse.name == " ".join(words)
