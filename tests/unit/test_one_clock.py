"""The program reads "now" from one clock: a stray wall-clock read is a failing test."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime
from pathlib import Path

from storage import clock

ROOT = Path(__file__).resolve().parents[2]
# The one module allowed to read the machine's clock.
CLOCK_MODULE = ROOT / "storage" / "clock.py"
# (receiver, attribute) pairs that read the wall clock; monotonic timers measure durations.
WALL_CLOCK_READS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "localtime"),
    ("time", "gmtime"),
}


def _receiver(node: ast.expr) -> str | None:
    """`datetime` for `datetime.now`, and also for `datetime.datetime.now`."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def wall_clock_reads(source: str) -> list[int]:
    """Line numbers of calls that read the wall clock in ``source``."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and (_receiver(node.func.value), node.func.attr) in WALL_CLOCK_READS
        ):
            lines.append(node.lineno)
    return lines


def test_only_the_clock_module_reads_the_wall_clock():
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for folder in ("bot", "storage")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path != CLOCK_MODULE
        for line in wall_clock_reads(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "read storage.clock instead of the wall clock"


def test_the_guard_sees_each_way_of_reading_the_wall_clock():
    stray = """
import datetime as dt, time
from datetime import date, datetime
async def handler(update, context):
    a = date.today()
    b = datetime.now()
    c = dt.datetime.utcnow()
    d = time.time()
    e = time.monotonic()  # a duration, not a date: allowed
"""
    assert wall_clock_reads(stray) == [5, 6, 7, 8]


def test_an_installed_clock_is_what_the_program_reads():
    fixed = datetime(2030, 3, 31, 20, 0, tzinfo=UTC)
    previous = clock.install(lambda: fixed)
    try:
        assert clock.now() == fixed
        assert clock.today("Asia/Bangkok") == date(2030, 4, 1)
        assert clock.today("UTC") == date(2030, 3, 31)
    finally:
        clock.install(previous)
