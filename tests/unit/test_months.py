"""The one month-end rule, and what the member reads about dates."""

from datetime import date

import pytest

from bot.buttons.pickers import close_date_rows
from bot.formatting import Formatter
from bot.i18n import translator
from bot.invalid import already_past
from storage.months import month_end, month_start, quarter_end


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 12, 15), 0, date(2026, 12, 31)),
        (date(2026, 12, 15), 1, date(2027, 1, 31)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2026, 3, 1), -3, date(2025, 12, 31)),
        (date(2026, 11, 30), 14, date(2028, 1, 31)),
    ],
)
def test_month_end_crosses_years_and_leap_days(day, months, expected):
    assert month_end(day, months) == expected
    assert month_start(day, months) == expected.replace(day=1)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 5, 20), date(2026, 6, 30)),
        (date(2026, 9, 30), date(2026, 9, 30)),
        (date(2026, 12, 31), date(2026, 12, 31)),
    ],
)
def test_quarter_end_is_the_last_day_of_the_calendar_quarter(day, expected):
    assert quarter_end(day) == expected


def test_the_member_formatter_keeps_their_year_choice_and_currency():
    buddhist = Formatter("th")
    gregorian = Formatter("th", gregorian=True, currency="THB")
    assert buddhist.date(date(2026, 12, 31)).endswith("2569")
    assert gregorian.date(date(2026, 12, 31)).endswith("2026")
    assert gregorian.money(150_000) == "฿1,500"
    assert "ล้าน" in gregorian.compact(120_000_000)
    assert str(Formatter("vi", timezone="Asia/Bangkok").zone) == "Asia/Bangkok"


def test_already_past_and_close_date_buttons_follow_the_year_choice():
    t = translator("th")
    assert "2026" in already_past(t, date(2026, 1, 5), gregorian=True)
    assert "2569" in already_past(t, date(2026, 1, 5))
    rows = close_date_rows(t, date(2026, 2, 10), lambda day: f"x:{day:%Y%m%d}", gregorian=True)
    assert [row[0].callback_data for row in rows] == ["x:20260228", "x:20260331", "x:20260331"]
    assert all(row[0].text.endswith("/26)") for row in rows)
