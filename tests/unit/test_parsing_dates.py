"""Close dates typed in Vietnamese, Thai and English, with a fixed today."""

from datetime import date

import pytest

from bot.parsing import Ambiguous, ParseError, find_dates, parse_date

WEDNESDAY = date(2026, 6, 10)
APRIL_29 = date(2026, 4, 29)  # a Wednesday near a month's end
DECEMBER_30 = date(2026, 12, 30)  # a Wednesday near the year's end


@pytest.mark.parametrize(
    ("lang", "today", "text", "expected"),
    [
        # numbers, day first
        ("vi", WEDNESDAY, "31/12", date(2026, 12, 31)),
        ("vi", WEDNESDAY, "31/12/26", date(2026, 12, 31)),
        ("vi", WEDNESDAY, "31/12/2026", date(2026, 12, 31)),
        ("vi", WEDNESDAY, "31.12", date(2026, 12, 31)),
        ("vi", WEDNESDAY, "31-12-2026", date(2026, 12, 31)),
        ("en", WEDNESDAY, "2026-12-31", date(2026, 12, 31)),
        ("en", WEDNESDAY, "1/2", date(2027, 2, 1)),
        ("en", WEDNESDAY, "10/6", WEDNESDAY),
        ("vi", WEDNESDAY, "ngày 15/7", date(2026, 7, 15)),
        ("vi", WEDNESDAY, "29/02", date(2028, 2, 29)),
        ("th", WEDNESDAY, "31/12/2569", date(2026, 12, 31)),
        ("th", WEDNESDAY, "31/12/69", date(2026, 12, 31)),
        ("th", WEDNESDAY, "31/12/26", date(2026, 12, 31)),
        ("th", WEDNESDAY, "2569-12-31", date(2026, 12, 31)),
        ("vi", DECEMBER_30, "5/1", date(2027, 1, 5)),
        ("en", DECEMBER_30, "30/12", DECEMBER_30),
        # month names
        ("en", WEDNESDAY, "31 Dec", date(2026, 12, 31)),
        ("en", WEDNESDAY, "31st December 2026", date(2026, 12, 31)),
        ("en", WEDNESDAY, "Dec 31, 2026", date(2026, 12, 31)),
        ("en", WEDNESDAY, "on 3 Sept", date(2026, 9, 3)),
        ("en", WEDNESDAY, "Thursday, 31 December 2026", date(2026, 12, 31)),
        ("vi", WEDNESDAY, "31 tháng 12", date(2026, 12, 31)),
        ("vi", WEDNESDAY, "31 thang 12", date(2026, 12, 31)),
        ("vi", WEDNESDAY, "31 tháng 12 năm 2026", date(2026, 12, 31)),
        ("vi", WEDNESDAY, "31 thg 12, 2026", date(2026, 12, 31)),
        ("vi", WEDNESDAY, "Thứ Năm, 31 tháng 12, 2026", date(2026, 12, 31)),
        ("vi", WEDNESDAY, "3 tháng sáu", date(2027, 6, 3)),
        ("th", WEDNESDAY, "31 ธ.ค.", date(2026, 12, 31)),
        ("th", WEDNESDAY, "31 ธค", date(2026, 12, 31)),
        ("th", WEDNESDAY, "31 ธ.ค. 2569", date(2026, 12, 31)),
        ("th", WEDNESDAY, "31 ธ.ค. 69", date(2026, 12, 31)),
        ("th", WEDNESDAY, "31 ธันวาคม 2569", date(2026, 12, 31)),
        ("th", WEDNESDAY, "31 ธันวาคม พ.ศ. 2569", date(2026, 12, 31)),
        ("th", WEDNESDAY, "31 ธันวาคม ค.ศ. 2026", date(2026, 12, 31)),
        ("th", WEDNESDAY, "วันพฤหัสบดีที่ 31 ธันวาคม พ.ศ. 2569", date(2026, 12, 31)),
        ("th", WEDNESDAY, "วันที่ 5 มกราคม", date(2027, 1, 5)),
        # a month without a day is its last day
        ("vi", WEDNESDAY, "tháng 12", date(2026, 12, 31)),
        ("vi", WEDNESDAY, "cuối tháng 2", date(2027, 2, 28)),
        ("en", WEDNESDAY, "end of December", date(2026, 12, 31)),
        ("th", WEDNESDAY, "สิ้นเดือนมกราคม", date(2027, 1, 31)),
        # today, tomorrow
        ("en", WEDNESDAY, "today", WEDNESDAY),
        ("en", WEDNESDAY, "tomorrow", date(2026, 6, 11)),
        ("vi", WEDNESDAY, "hôm nay", WEDNESDAY),
        ("vi", WEDNESDAY, "mai", date(2026, 6, 11)),
        ("vi", WEDNESDAY, "Mai", date(2026, 6, 11)),
        ("vi", WEDNESDAY, "ngày mai", date(2026, 6, 11)),
        ("vi", WEDNESDAY, "ngay mai", date(2026, 6, 11)),
        ("vi", WEDNESDAY, "ngày mốt", date(2026, 6, 12)),
        ("th", WEDNESDAY, "วันนี้", WEDNESDAY),
        ("th", WEDNESDAY, "พรุ่งนี้", date(2026, 6, 11)),
        ("th", WEDNESDAY, "มะรืนนี้", date(2026, 6, 12)),
        ("en", DECEMBER_30, "day after tomorrow", date(2027, 1, 1)),
        # weekdays
        ("en", WEDNESDAY, "friday", date(2026, 6, 12)),
        ("en", WEDNESDAY, "this fri", date(2026, 6, 12)),
        ("en", WEDNESDAY, "next monday", date(2026, 6, 15)),
        ("en", WEDNESDAY, "friday next week", date(2026, 6, 19)),
        ("en", WEDNESDAY, "wednesday", date(2026, 6, 17)),
        ("vi", WEDNESDAY, "thứ hai tới", date(2026, 6, 15)),
        ("vi", WEDNESDAY, "thứ 2 tuần sau", date(2026, 6, 15)),
        ("vi", WEDNESDAY, "t6 tuần sau", date(2026, 6, 19)),
        ("vi", WEDNESDAY, "thứ sáu này", date(2026, 6, 12)),
        ("vi", WEDNESDAY, "chủ nhật tuần tới", date(2026, 6, 21)),
        ("vi", WEDNESDAY, "thu 6 tuan sau", date(2026, 6, 19)),
        ("th", WEDNESDAY, "วันจันทร์หน้า", date(2026, 6, 15)),
        ("th", WEDNESDAY, "ศุกร์นี้", date(2026, 6, 12)),
        ("th", WEDNESDAY, "วันศุกร์สัปดาห์หน้า", date(2026, 6, 19)),
        ("th", WEDNESDAY, "วันอาทิตย์หน้า", Ambiguous((date(2026, 6, 14), date(2026, 6, 21)))),
        ("en", DECEMBER_30, "next monday", date(2027, 1, 4)),
        ("vi", DECEMBER_30, "thứ 2 tuần sau", date(2027, 1, 4)),
        # in N days, weeks, months
        ("en", WEDNESDAY, "in 3 days", date(2026, 6, 13)),
        ("en", WEDNESDAY, "in two weeks", date(2026, 6, 24)),
        ("en", WEDNESDAY, "in a month", date(2026, 7, 10)),
        ("vi", WEDNESDAY, "2 tuần nữa", date(2026, 6, 24)),
        ("vi", WEDNESDAY, "hai tuần nữa", date(2026, 6, 24)),
        ("vi", WEDNESDAY, "sau 10 ngày", date(2026, 6, 20)),
        ("th", WEDNESDAY, "อีก 2 สัปดาห์", date(2026, 6, 24)),
        ("th", WEDNESDAY, "อีกสองอาทิตย์", date(2026, 6, 24)),
        ("th", WEDNESDAY, "อีก 3 วัน", date(2026, 6, 13)),
        ("vi", APRIL_29, "5 ngày nữa", date(2026, 5, 4)),
        ("th", DECEMBER_30, "อีก 1 สัปดาห์", date(2027, 1, 6)),
        ("en", date(2026, 1, 31), "in 1 month", date(2026, 2, 28)),
        # ends of months, quarters, years
        ("en", WEDNESDAY, "end of month", date(2026, 6, 30)),
        ("en", WEDNESDAY, "eom", date(2026, 6, 30)),
        ("vi", WEDNESDAY, "cuối tháng", date(2026, 6, 30)),
        ("vi", WEDNESDAY, "cuoi thang", date(2026, 6, 30)),
        ("th", WEDNESDAY, "สิ้นเดือน", date(2026, 6, 30)),
        ("vi", APRIL_29, "tháng sau", date(2026, 5, 31)),
        ("vi", APRIL_29, "tháng tới", date(2026, 5, 31)),
        ("vi", APRIL_29, "cuối tháng sau", date(2026, 5, 31)),
        ("th", APRIL_29, "เดือนหน้า", date(2026, 5, 31)),
        ("th", APRIL_29, "สิ้นเดือนหน้า", date(2026, 5, 31)),
        ("en", APRIL_29, "next month", date(2026, 5, 31)),
        ("en", DECEMBER_30, "end of next month", date(2027, 1, 31)),
        ("en", WEDNESDAY, "end of quarter", date(2026, 6, 30)),
        ("vi", APRIL_29, "cuối quý", date(2026, 6, 30)),
        ("th", APRIL_29, "สิ้นไตรมาส", date(2026, 6, 30)),
        ("vi", DECEMBER_30, "cuối quý sau", date(2027, 3, 31)),
        ("th", DECEMBER_30, "ไตรมาสหน้า", date(2027, 3, 31)),
        ("en", WEDNESDAY, "end of Q1", date(2027, 3, 31)),
        ("vi", WEDNESDAY, "cuối quý 3", date(2026, 9, 30)),
        ("en", WEDNESDAY, "end of year", date(2026, 12, 31)),
        ("vi", WEDNESDAY, "cuối năm", date(2026, 12, 31)),
        ("th", WEDNESDAY, "สิ้นปี 2570", date(2027, 12, 31)),
    ],
)
def test_close_date_is_read(lang, today, text, expected):
    assert parse_date(text, lang, today) == expected


def test_thai_buddhist_year_is_read_as_gregorian():
    assert parse_date("1 ม.ค. 2570", "th", WEDNESDAY) == date(2027, 1, 1)
    assert parse_date("1/1/2570", "en", WEDNESDAY) == date(2027, 1, 1)


def test_a_thai_two_digit_year_is_the_era_nearer_to_today():
    assert parse_date("1/1/70", "th", WEDNESDAY) == date(2027, 1, 1)
    assert parse_date("1/1/27", "th", WEDNESDAY) == date(2027, 1, 1)
    assert parse_date("1/1/27", "vi", WEDNESDAY) == date(2027, 1, 1)


def test_next_weekday_still_this_week_is_ambiguous():
    assert parse_date("next friday", "en", WEDNESDAY) == Ambiguous(
        (date(2026, 6, 12), date(2026, 6, 19))
    )
    assert parse_date("thứ 6 tới", "vi", WEDNESDAY) == Ambiguous(
        (date(2026, 6, 12), date(2026, 6, 19))
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("31/02", "impossible_date"),
        ("29/02/2027", "impossible_date"),
        ("32/12", "impossible_date"),
        ("31/13", "impossible_date"),
        ("0/5", "impossible_date"),
        ("32 Dec", "impossible_date"),
        ("soon", "not_a_date"),
        ("", "not_a_date"),
        ("50tr", "not_a_date"),
    ],
)
def test_impossible_dates_are_error_codes(text, code):
    assert parse_date(text, "en", WEDNESDAY) == ParseError(code)


def test_a_past_date_is_an_error_that_carries_the_date():
    assert parse_date("1/1/2026", "vi", WEDNESDAY) == ParseError("past", date(2026, 1, 1))
    assert parse_date("31 ธ.ค. 2568", "th", WEDNESDAY) == ParseError("past", date(2025, 12, 31))


def test_a_capitalised_mai_in_a_sentence_is_a_name():
    assert [f.text for f in find_dates("Mai Linh 20tr mai", "vi", WEDNESDAY)] == ["mai"]


def test_a_date_never_swallows_an_amount():
    found = find_dates("31 ธ.ค. 50 ล้าน 1.5tr $1.20", "th", WEDNESDAY)
    assert [(f.text, f.result) for f in found] == [("31 ธ.ค.", date(2026, 12, 31))]


@pytest.mark.parametrize(("text", "lang"), [("12/31", "en"), ("12/31", "vi"), ("12/31/2026", "th")])
def test_month_first_is_read_when_it_is_the_only_real_date(text, lang):
    assert parse_date(text, lang, date(2026, 6, 10)) == date(2026, 12, 31)


def test_a_date_real_both_ways_is_read_day_first():
    assert parse_date("1/2", "en", date(2026, 1, 1)) == date(2026, 2, 1)
