"""Close dates typed in Vietnamese, Thai and English, with a fixed today."""

from datetime import date

import pytest

from bot.parsing import Ambiguous, ParseError, find_dates, parse_date

WEDNESDAY = date(2026, 6, 10)
APRIL_29 = date(2026, 4, 29)  # a Wednesday near a month's end
DECEMBER_30 = date(2026, 12, 30)  # a Wednesday near the year's end
JANUARY_31 = date(2026, 1, 31)  # a month longer than the next


@pytest.mark.parametrize(
    ("lang", "today", "text", "expected"),
    [
        # numbers, day first
        ("vi", WEDNESDAY, "31/12", "2026-12-31"),
        ("vi", WEDNESDAY, "31/12/26", "2026-12-31"),
        ("vi", WEDNESDAY, "31/12/2026", "2026-12-31"),
        ("vi", WEDNESDAY, "31.12", "2026-12-31"),
        ("vi", WEDNESDAY, "31-12-2026", "2026-12-31"),
        ("en", WEDNESDAY, "2026-12-31", "2026-12-31"),
        ("en", WEDNESDAY, "1/2", "2027-02-01"),
        ("en", WEDNESDAY, "10/6", "2026-06-10"),
        ("vi", WEDNESDAY, "ngày 15/7", "2026-07-15"),
        ("vi", WEDNESDAY, "29/02", "2028-02-29"),
        ("th", WEDNESDAY, "31/12/2569", "2026-12-31"),
        ("th", WEDNESDAY, "31/12/69", "2026-12-31"),
        ("th", WEDNESDAY, "31/12/26", "2026-12-31"),
        ("th", WEDNESDAY, "2569-12-31", "2026-12-31"),
        ("vi", DECEMBER_30, "5/1", "2027-01-05"),
        ("en", DECEMBER_30, "30/12", "2026-12-30"),
        # month names
        ("en", WEDNESDAY, "31 Dec", "2026-12-31"),
        ("en", WEDNESDAY, "31st December 2026", "2026-12-31"),
        ("en", WEDNESDAY, "Dec 31, 2026", "2026-12-31"),
        ("en", WEDNESDAY, "on 3 Sept", "2026-09-03"),
        ("en", WEDNESDAY, "Thursday, 31 December 2026", "2026-12-31"),
        ("vi", WEDNESDAY, "31 tháng 12", "2026-12-31"),
        ("vi", WEDNESDAY, "31 thang 12", "2026-12-31"),
        ("vi", WEDNESDAY, "31 tháng 12 năm 2026", "2026-12-31"),
        ("vi", WEDNESDAY, "31 thg 12, 2026", "2026-12-31"),
        ("vi", WEDNESDAY, "Thứ Năm, 31 tháng 12, 2026", "2026-12-31"),
        ("vi", WEDNESDAY, "3 tháng sáu", "2027-06-03"),
        ("th", WEDNESDAY, "31 ธ.ค.", "2026-12-31"),
        ("th", WEDNESDAY, "31 ธค", "2026-12-31"),
        ("th", WEDNESDAY, "31 ธ.ค. 2569", "2026-12-31"),
        ("th", WEDNESDAY, "31 ธ.ค. 69", "2026-12-31"),
        ("th", WEDNESDAY, "31 ธันวาคม 2569", "2026-12-31"),
        ("th", WEDNESDAY, "31 ธันวาคม พ.ศ. 2569", "2026-12-31"),
        ("th", WEDNESDAY, "31 ธันวาคม ค.ศ. 2026", "2026-12-31"),
        ("th", WEDNESDAY, "วันพฤหัสบดีที่ 31 ธันวาคม พ.ศ. 2569", "2026-12-31"),
        ("th", WEDNESDAY, "วันที่ 5 มกราคม", "2027-01-05"),
        # a month without a day is its last day
        ("vi", WEDNESDAY, "tháng 12", "2026-12-31"),
        ("vi", WEDNESDAY, "cuối tháng 2", "2027-02-28"),
        ("en", WEDNESDAY, "end of December", "2026-12-31"),
        ("th", WEDNESDAY, "สิ้นเดือนมกราคม", "2027-01-31"),
        # today, tomorrow
        ("en", WEDNESDAY, "today", "2026-06-10"),
        ("en", WEDNESDAY, "tomorrow", "2026-06-11"),
        ("vi", WEDNESDAY, "hôm nay", "2026-06-10"),
        ("vi", WEDNESDAY, "mai", "2026-06-11"),
        ("vi", WEDNESDAY, "Mai", "2026-06-11"),
        ("vi", WEDNESDAY, "ngày mai", "2026-06-11"),
        ("vi", WEDNESDAY, "ngay mai", "2026-06-11"),
        ("vi", WEDNESDAY, "ngày mốt", "2026-06-12"),
        ("th", WEDNESDAY, "วันนี้", "2026-06-10"),
        ("th", WEDNESDAY, "พรุ่งนี้", "2026-06-11"),
        ("th", WEDNESDAY, "มะรืนนี้", "2026-06-12"),
        ("en", DECEMBER_30, "day after tomorrow", "2027-01-01"),
        # weekdays
        ("en", WEDNESDAY, "friday", "2026-06-12"),
        ("en", WEDNESDAY, "this fri", "2026-06-12"),
        ("en", WEDNESDAY, "next monday", "2026-06-15"),
        ("en", WEDNESDAY, "friday next week", "2026-06-19"),
        ("en", WEDNESDAY, "wednesday", "2026-06-17"),
        ("vi", WEDNESDAY, "thứ hai tới", "2026-06-15"),
        ("vi", WEDNESDAY, "thứ 2 tuần sau", "2026-06-15"),
        ("vi", WEDNESDAY, "t6 tuần sau", "2026-06-19"),
        ("vi", WEDNESDAY, "thứ sáu này", "2026-06-12"),
        ("vi", WEDNESDAY, "chủ nhật tuần tới", "2026-06-21"),
        ("vi", WEDNESDAY, "thu 6 tuan sau", "2026-06-19"),
        ("th", WEDNESDAY, "วันจันทร์หน้า", "2026-06-15"),
        ("th", WEDNESDAY, "ศุกร์นี้", "2026-06-12"),
        ("th", WEDNESDAY, "วันศุกร์สัปดาห์หน้า", "2026-06-19"),
        ("en", DECEMBER_30, "next monday", "2027-01-04"),
        ("vi", DECEMBER_30, "thứ 2 tuần sau", "2027-01-04"),
        # in N days, weeks, months
        ("en", WEDNESDAY, "in 3 days", "2026-06-13"),
        ("en", WEDNESDAY, "in two weeks", "2026-06-24"),
        ("en", WEDNESDAY, "in a month", "2026-07-10"),
        ("vi", WEDNESDAY, "2 tuần nữa", "2026-06-24"),
        ("vi", WEDNESDAY, "hai tuần nữa", "2026-06-24"),
        ("vi", WEDNESDAY, "sau 10 ngày", "2026-06-20"),
        ("th", WEDNESDAY, "อีก 2 สัปดาห์", "2026-06-24"),
        ("th", WEDNESDAY, "อีกสองอาทิตย์", "2026-06-24"),
        ("th", WEDNESDAY, "อีก 3 วัน", "2026-06-13"),
        ("vi", APRIL_29, "5 ngày nữa", "2026-05-04"),
        ("th", DECEMBER_30, "อีก 1 สัปดาห์", "2027-01-06"),
        ("en", JANUARY_31, "in 1 month", "2026-02-28"),
        # ends of months, quarters, years
        ("en", WEDNESDAY, "end of month", "2026-06-30"),
        ("en", WEDNESDAY, "eom", "2026-06-30"),
        ("vi", WEDNESDAY, "cuối tháng", "2026-06-30"),
        ("vi", WEDNESDAY, "cuoi thang", "2026-06-30"),
        ("th", WEDNESDAY, "สิ้นเดือน", "2026-06-30"),
        ("vi", APRIL_29, "tháng sau", "2026-05-31"),
        ("vi", APRIL_29, "tháng tới", "2026-05-31"),
        ("vi", APRIL_29, "cuối tháng sau", "2026-05-31"),
        ("th", APRIL_29, "เดือนหน้า", "2026-05-31"),
        ("th", APRIL_29, "สิ้นเดือนหน้า", "2026-05-31"),
        ("en", APRIL_29, "next month", "2026-05-31"),
        ("en", DECEMBER_30, "end of next month", "2027-01-31"),
        ("en", WEDNESDAY, "end of quarter", "2026-06-30"),
        ("vi", APRIL_29, "cuối quý", "2026-06-30"),
        ("th", APRIL_29, "สิ้นไตรมาส", "2026-06-30"),
        ("vi", DECEMBER_30, "cuối quý sau", "2027-03-31"),
        ("th", DECEMBER_30, "ไตรมาสหน้า", "2027-03-31"),
        ("en", WEDNESDAY, "end of Q1", "2027-03-31"),
        ("vi", WEDNESDAY, "cuối quý 3", "2026-09-30"),
        ("en", WEDNESDAY, "end of year", "2026-12-31"),
        ("vi", WEDNESDAY, "cuối năm", "2026-12-31"),
        ("th", WEDNESDAY, "สิ้นปี 2570", "2027-12-31"),
    ],
)
def test_close_date_is_read(lang, today, text, expected):
    assert parse_date(text, lang, today) == date.fromisoformat(expected)


def test_thai_buddhist_year_is_read_as_gregorian():
    assert parse_date("1 ม.ค. 2570", "th", WEDNESDAY) == date(2027, 1, 1)
    assert parse_date("1/1/2570", "en", WEDNESDAY) == date(2027, 1, 1)


def test_a_thai_two_digit_year_is_the_era_nearer_to_today():
    assert parse_date("1/1/70", "th", WEDNESDAY) == date(2027, 1, 1)
    assert parse_date("1/1/27", "th", WEDNESDAY) == date(2027, 1, 1)
    assert parse_date("1/1/27", "vi", WEDNESDAY) == date(2027, 1, 1)


@pytest.mark.parametrize(
    ("lang", "text", "candidates"),
    [
        ("en", "next friday", ("2026-06-12", "2026-06-19")),
        ("vi", "thứ 6 tới", ("2026-06-12", "2026-06-19")),
        ("th", "วันอาทิตย์หน้า", ("2026-06-14", "2026-06-21")),
    ],
)
def test_next_weekday_still_this_week_is_ambiguous(lang, text, candidates):
    expected = Ambiguous(tuple(date.fromisoformat(c) for c in candidates))
    assert parse_date(text, lang, WEDNESDAY) == expected


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
