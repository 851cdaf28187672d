"""The program's one clock: every business "now" and "today" reads it.

The Application and each CLI command install the clock they were built with, so a test
that fixes the time fixes it for draft restore, key expiry, digests and parsing alike.
Durations are measured with ``time.monotonic``, never with this clock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

Source = Callable[[], datetime]


def system_now() -> datetime:
    """The machine's instant, aware, in UTC: the only place the wall clock is read."""
    return datetime.now(UTC)


_source: Source = system_now


def install(source: Source | None) -> Source:
    """Make ``source`` the program's clock (``None``: the machine's); return the previous one."""
    global _source
    previous, _source = _source, source or system_now
    return previous


def now() -> datetime:
    """The current instant, aware, in UTC."""
    value = _source()
    if value.tzinfo is None:
        raise ValueError("the clock must return aware instants")
    return value.astimezone(UTC)


def today(zone: str | ZoneInfo) -> date:
    """Today's date in ``zone``."""
    return now().astimezone(zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)).date()
