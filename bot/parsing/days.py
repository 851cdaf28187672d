"""Calendar arithmetic the date readers share: months ahead, month and quarter ends,
weekdays, and a day and month given without a year."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from bot.parsing.results import IMPOSSIBLE_DATE, PAST, Ambiguous, ParseError
from storage.months import month_end, month_start, quarter_end

DateResult = date | Ambiguous[date] | ParseError


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or that month's last day when it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def next_month_end(month: int, today: date) -> date:
    """The last day of ``month``: this year's, or next year's once that month is behind us."""
    year = today.year if month >= today.month else today.year + 1
    return month_end(date(year, month, 1))


def not_past(day: date, today: date) -> DateResult:
    """``day``, or a PAST error that still carries it, so the bot can explain."""
    return ParseError(PAST, day) if day < today else day


def day_and_month(day: int, month: int, year: int | None, today: date) -> DateResult:
    """The date, or without a year the next time that day and month come round."""
    if year is None:
        # 2000 was a leap year, so 29/02 is possible and 31/02 never is.
        if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]):
            return ParseError(IMPOSSIBLE_DATE)
        for candidate_year in range(today.year, today.year + 9):
            if calendar.isleap(candidate_year) or (month, day) != (2, 29):
                candidate = date(candidate_year, month, day)
                if candidate >= today:
                    return candidate
    try:
        return not_past(date(year, month, day), today)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ParseError(IMPOSSIBLE_DATE)


def relative_day(kind: str, today: date) -> date:
    """The day a ``RELATIVE_WORDS`` kind ("tomorrow", "month_end"...) means."""
    if kind == "today":
        return today
    if kind == "tomorrow":
        return today + timedelta(days=1)
    if kind == "day_after":
        return today + timedelta(days=2)
    if kind == "month_end":
        return month_end(today)
    if kind == "next_month_end":
        return month_end(today, 1)
    if kind == "quarter_end":
        return quarter_end(today)
    if kind == "next_quarter_end":
        return quarter_end(month_start(today, 3))
    return date(today.year, 12, 31)


def coming_weekday(weekday: int, today: date) -> date:
    """The next ``weekday`` after today (a week ahead when it is today)."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def weekday_next_week(weekday: int, today: date) -> date:
    """``weekday`` in the week after this one."""
    return today + timedelta(days=7 - today.weekday() + weekday)
