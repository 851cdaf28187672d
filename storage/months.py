"""Calendar months: the one place that knows where a month or a quarter ends."""

from __future__ import annotations

from datetime import date, timedelta


def month_start(day: date, months: int = 0) -> date:
    """The first day of the month ``months`` after (or before) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date, months: int = 0) -> date:
    """The last day of the month ``months`` after (or before) ``day``'s month."""
    return month_start(day, months + 1) - timedelta(days=1)


def quarter_end(day: date) -> date:
    """The last day of the calendar quarter ``day`` falls in."""
    return month_end(day, (2 - (day.month - 1) % 3))
