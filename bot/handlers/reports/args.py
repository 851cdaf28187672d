"""What follows /pipeline, /forecast or /export: whose deals, which period, which result."""

from __future__ import annotations

import re
from dataclasses import dataclass

from storage.models import Result
from storage.reports.forecast import Period
from storage.text import fold

# Single words that are also names ("Nam" is năm, a year) need their "this": "năm nay".
_PERIODS = {
    Period.MONTH: ("this month", "month", "tháng này", "เดือนนี้"),
    Period.QUARTER: ("this quarter", "quarter", "quý này", "ไตรมาสนี้", "ไตรมาส"),
    Period.YEAR: ("this year", "year", "năm nay", "ปีนี้"),
    Period.ALL: ("all time", "all", "tất cả", "ทั้งหมด"),
}
_ME = ("me", "mine", "my", "của tôi", "tôi", "mình", "ของฉัน", "ฉัน", "ของผม", "ผม")
_TEAM = ("team", "my team", "nhóm", "đội", "cả nhóm", "ทีม", "ทั้งทีม")
_RESULTS = {
    Result.OPEN: ("open", "đang mở", "mở", "เปิดอยู่", "เปิด"),
    Result.WON: ("won", "thắng", "thành công", "ชนะ", "ปิดได้"),
    Result.LOST: ("lost", "thua", "thất bại", "แพ้", "ปิดไม่ได้"),
}


@dataclass(frozen=True, slots=True)
class ReportArgs:
    """``who`` is "me", "team" or "name" (then ``name`` holds the words left over)."""

    who: str = "team"
    period: Period = Period.ALL
    result: Result | None = None
    name: str | None = None
    period_given: bool = False


def _take(text: str, phrases: tuple[str, ...]) -> tuple[bool, str]:
    """Remove the longest of ``phrases`` found as whole words in the folded ``text``."""
    for phrase in sorted(phrases, key=len, reverse=True):
        pattern = rf"(?<!\w){re.escape(fold(phrase))}(?!\w)"
        if re.search(pattern, text):
            return True, re.sub(pattern, " ", text, count=1)
    return False, text


def parse_report_args(text: str, *, with_result: bool = False) -> ReportArgs:
    """Read "me", "team", a rep's name, a period and (for /export) open/won/lost, any order.

    Whatever words are left are the rep's name (or, for /export, text to search for).
    """
    rest = fold(text)
    period, period_given = Period.ALL, False
    for candidate, phrases in _PERIODS.items():
        found, rest = _take(rest, phrases)
        if found:
            period, period_given = candidate, True
            break
    result = None
    if with_result:
        for candidate, phrases in _RESULTS.items():
            found, rest = _take(rest, phrases)
            if found:
                result = candidate
                break
    who = "team"
    found, rest = _take(rest, _ME)
    if found:
        who = "me"
    else:
        _, rest = _take(rest, _TEAM)
    leftover = " ".join(rest.split())
    if leftover and who == "team":
        who = "name"
    return ReportArgs(who, period, result, leftover or None, period_given)
