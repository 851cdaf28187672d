"""Close dates as people type them: "31/12", "31 ธ.ค. 2569", "thứ 6 tuần sau", "end of month".

Rules, so that no answer is a silent guess:

- Day before month: "1/2" is 1 February. Month first only when that is the one real
  reading: "12/31" is 31 December; "32/12" and "31/13" are impossible dates.
- A date without a year is the next such date from today, today included.
- A four-digit year of 2400 or more is Buddhist era (year − 543), in any language;
  "พ.ศ." marks a Buddhist-era year and "ค.ศ." a Gregorian one explicitly. A two-digit
  year is 20yy in Vietnamese and English; in Thai it is whichever of 20yy (Gregorian)
  and 25yy (Buddhist era) lies nearer to today (the two are 43 years apart).
- A month without a day ("tháng 12", "end of December", "สิ้นเดือนธันวาคม") is the
  last day of that month; "next month" (tháng sau, เดือนหน้า) is the end of next
  month, like "end of next month"; "next quarter" likewise; "in 1 month" is the
  same day next month.
- Weekdays: a bare weekday or "this Friday" (thứ sáu này, วันศุกร์นี้) is the next
  one after today; "Friday next week" (thứ 6 tuần sau, ศุกร์สัปดาห์หน้า) is the one
  in next Monday-to-Sunday week; "next Friday" (thứ 6 tới, วันศุกร์หน้า) is the
  same when the next Friday already falls in next week, and ``Ambiguous`` (this
  week's first, then next week's) when it still falls in this week.
- A past date is ``ParseError("past", value=the_date)``; 31/02, 32/12 and 30 ก.พ. are
  ``impossible_date``.
- In a longer text a capitalised "Mai" is a name, not "tomorrow"; alone it is tomorrow.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.parsing.days import (
    DateResult,
    add_months,
    coming_weekday,
    day_and_month,
    next_month_end,
    not_past,
    relative_day,
    weekday_next_week,
)
from bot.parsing.results import (
    IMPOSSIBLE_DATE,
    NOT_A_DATE,
    Ambiguous,
    Found,
    ParseError,
)
from bot.parsing.words import (
    CURRENCIES,
    EN_WEEKDAYS,
    END,
    LATIN_ALNUM,
    LATIN_LETTER,
    MAGNITUDE,
    RELATIVE_WORDS,
    SMALL_NUMBER,
    TH_WEEKDAYS,
    VI_MONTH,
    VI_WEEKDAYS,
    alt,
    month_number,
    month_pattern,
    normalize,
    small_number,
    v,
    vi_month_word,
    weekday_names,
    weekday_of,
)
from storage.months import month_end


@dataclass(frozen=True)
class _Context:
    today: date
    lang: str
    strict: bool


Handler = Callable[[re.Match[str], _Context], DateResult | None]
_PATTERNS: list[tuple[re.Pattern[str], Handler]] = []


def _on(regex: str) -> Callable[[Handler], Handler]:
    """Register ``handler`` for ``regex``; a handler returns None to say "not a date"."""

    def register(handler: Handler) -> Handler:
        _PATTERNS.append((re.compile(regex, re.IGNORECASE), handler))
        return handler

    return register


def _group(match: re.Match[str], name: str) -> str | None:
    """The first of the groups named ``name`` or ``name_<lang>`` that took part."""
    for key, value in match.groupdict().items():
        if value is not None and (key == name or key.startswith(name + "_")):
            return value
    return None


def _year(raw: str | None, era: str | None, ctx: _Context) -> int | None:
    if raw is None:
        return None
    number = int(raw)
    buddhist = era is not None and era.startswith("พ")
    if era is not None:
        century = 2500 if buddhist else 2000
        number = century + number if len(raw) == 2 else number
        return number - 543 if buddhist else number
    if len(raw) == 4:
        return number - 543 if number >= 2400 else number
    if ctx.lang == "th":
        return min(2000 + number, 1957 + number, key=lambda year: abs(year - ctx.today.year))
    return 2000 + number


# --- shared regex pieces ---------------------------------------------------------------

# Not right after a currency mark or inside a number: "$1.20" is money, not 1 February.
_START = rf"(?<![{LATIN_ALNUM}$฿₫.,/:\-])"
_CURRENCY = alt(mark for marks in CURRENCIES.values() for mark in marks)
# A date never runs into an amount: "31 ธ.ค. 50 ล้าน" is a date and 50 million.
_NOT_AMOUNT = rf"{END}(?![.,]\d)(?!\s*{alt([MAGNITUDE, _CURRENCY])}(?![{LATIN_LETTER}]))"
_LEAD = (
    rf"(?:(?:by|on|due|before|{v('trước')}|{v('vào')}|{v('hạn')}|{v('ngày')}){END}\s*"
    r"|(?:ภายใน|ก่อน|วันที่|ที่)\s*)?"
)
_WEEKDAY_NAME = rf"(?:{weekday_names()}{END}\s*,?\s*(?:ที่\s*)?)?"
_ERA = r"(?P<era>พ\.?\s*ศ\.?|ค\.?\s*ศ\.?)"
_EN_MONTH = month_pattern("en")
_TH_MONTH = month_pattern("th")
_EN_WD = alt(form for forms in EN_WEEKDAYS for form in forms)
_EN_WD_FULL = alt(forms[0] for forms in EN_WEEKDAYS)
_VI_WD = alt(form for forms in VI_WEEKDAYS for form in forms)
_VI_WD_LONG = alt(form for forms in VI_WEEKDAYS for form in forms[:2] if form not in ("cn",))
_TH_WD = "(?:วัน)?" + alt(form for forms in TH_WEEKDAYS for form in forms)
_NUMBER = rf"(?P<n>\d{{1,3}}|{SMALL_NUMBER})"
_EN_UNIT = r"(?P<u>days?|weeks?|wks?|months?)"
_VI_UNIT = rf"(?P<u>{v('ngày')}|{v('tuần')}|{v('tháng')})"
_TH_UNIT = r"(?P<u>วัน|สัปดาห์|อาทิตย์|เดือน)"


# --- day and month ---------------------------------------------------------------------


@_on(
    rf"{_START}{_LEAD}(?P<d>\d{{1,2}})(?P<sep>[/.\-])(?P<m>\d{{1,2}})"
    rf"(?:(?P=sep)(?P<y>\d{{4}}|\d{{2}}))?{_NOT_AMOUNT}(?![/.\-]\d)"
)
def _numeric(match: re.Match[str], ctx: _Context) -> DateResult | None:
    day, month, sep = int(match["d"]), int(match["m"]), match["sep"]
    if match["y"] is None and (sep == "-" or (sep == "." and not (day <= 31 and month <= 12))):
        return None  # "5-10" is a range and "1.20" a number
    if sep != "/" and (day > 31 or month > 31):
        return None
    if month > 12 and 1 <= day <= 12 and month <= 31:
        # "12/31": only the month-first reading is a real date.
        day, month = month, day
    # "32/12" reads as a date with a typo, never as words of a deal's name.
    return day_and_month(day, month, _year(match["y"], None, ctx), ctx.today)


@_on(rf"{_START}{_LEAD}(?P<y>\d{{4}})(?P<sep>[-/.])(?P<m>\d{{1,2}})(?P=sep)(?P<d>\d{{1,2}}){END}")
def _iso(match: re.Match[str], ctx: _Context) -> DateResult | None:
    return day_and_month(int(match["d"]), int(match["m"]), _year(match["y"], None, ctx), ctx.today)


_DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"


@_on(
    rf"{_START}{_WEEKDAY_NAME}{_LEAD}{_DAY}\s*[-/]?\s*(?:of\s+)?(?P<mon>{_EN_MONTH}){END}"
    rf"(?:\s*,?\s*[-/]?\s*(?P<y>\d{{4}}))?{_NOT_AMOUNT}"
)
@_on(
    rf"{_START}{_WEEKDAY_NAME}{_LEAD}(?P<mon>{_EN_MONTH})\s*{_DAY}(?:\s*,?\s*(?P<y>\d{{4}}))?"
    rf"{_NOT_AMOUNT}"
)
def _english_month(match: re.Match[str], ctx: _Context) -> DateResult | None:
    month = month_number("en", match["mon"])
    return day_and_month(int(match["d"]), month, _year(match["y"], None, ctx), ctx.today)


@_on(
    rf"{_START}{_WEEKDAY_NAME}{_LEAD}(?P<d>\d{{1,2}})\s*[-/]?\s*(?P<mon>{_TH_MONTH})"
    rf"(?:\s*[-/]?\s*(?:{_ERA}\s*)?(?P<y>\d{{4}}|\d{{2}}))?{_NOT_AMOUNT}"
)
def _thai_month(match: re.Match[str], ctx: _Context) -> DateResult | None:
    month = month_number("th", match["mon"])
    return day_and_month(int(match["d"]), month, _year(match["y"], match["era"], ctx), ctx.today)


def _vi_month(match: re.Match[str]) -> int:
    return int(match["vm"]) if match["vm"] else vi_month_word(match["vmw"])


@_on(
    rf"{_START}{_WEEKDAY_NAME}{_LEAD}(?P<d>\d{{1,2}})\s*{VI_MONTH}"
    rf"(?:\s*(?:,|/|{v('năm')})?\s*(?P<y>\d{{4}}))?{_NOT_AMOUNT}"
)
def _vietnamese_month(match: re.Match[str], ctx: _Context) -> DateResult | None:
    year = _year(match["y"], None, ctx)
    return day_and_month(int(match["d"]), _vi_month(match), year, ctx.today)


@_on(
    rf"{_START}{_LEAD}(?:{v('cuối')}\s*)?{VI_MONTH}(?:\s*(?:/|{v('năm')})\s*(?P<y>\d{{4}}))?"
    rf"{_NOT_AMOUNT}"
)
@_on(rf"{_START}{_LEAD}end\s+of\s+(?P<mon_en>{_EN_MONTH}){END}(?:\s*,?\s*(?P<y>\d{{4}}))?{END}")
@_on(
    rf"{_LEAD}(?:สิ้น|ปลาย)\s*(?:เดือน)?\s*(?P<mon_th>{_TH_MONTH})"
    rf"(?:\s*(?:{_ERA}\s*)?(?P<y>\d{{4}}|\d{{2}}))?{_NOT_AMOUNT}"
)
def _month_end(match: re.Match[str], ctx: _Context) -> DateResult | None:
    groups = match.groupdict()
    if groups.get("mon_en"):
        month = month_number("en", groups["mon_en"])
    elif groups.get("mon_th"):
        month = month_number("th", groups["mon_th"])
    else:
        month = _vi_month(match)
    if not 1 <= month <= 12:
        return ParseError(IMPOSSIBLE_DATE)
    year = _year(match["y"], groups.get("era"), ctx)
    if year is None:
        return next_month_end(month, ctx.today)
    return not_past(month_end(date(year, month, 1)), ctx.today)


# --- relative words --------------------------------------------------------------------

for _kind, _forms in RELATIVE_WORDS.items():

    @_on(rf"{_START}{_LEAD}{alt(_forms)}{END}")
    def _relative_word(match: re.Match[str], ctx: _Context, kind: str = _kind) -> DateResult | None:
        mai = match.groupdict().get("mai")
        if ctx.strict and mai and mai != "mai" and match.start("mai") == match.start():
            return None
        return relative_day(kind, ctx.today)


@_on(rf"{_START}end\s+of\s+q(?P<q_en>[1-4]){END}")
@_on(rf"{_START}{v('cuối')}\s*(?:{v('quý')}|q)\s*(?P<q_vi>[1-4]){END}")
@_on(r"สิ้น\s*ไตรมาส\s*(?:ที่\s*)?(?P<q_th>[1-4])")
def _quarter_end(match: re.Match[str], ctx: _Context) -> DateResult | None:
    month = int(_group(match, "q") or 0) * 3
    return next_month_end(month, ctx.today)


@_on(rf"{_START}end\s+of\s+(?P<y_en>\d{{4}}){END}")
@_on(rf"{_START}{v('cuối năm')}\s*(?P<y_vi>\d{{4}}){END}")
@_on(r"(?:สิ้น|ปลาย)\s*ปี\s*(?:พ\.?\s*ศ\.?\s*)?(?P<y_th>\d{4})(?!\d)")
def _year_end(match: re.Match[str], ctx: _Context) -> DateResult | None:
    year = _year(_group(match, "y"), None, ctx)
    return not_past(date(year or ctx.today.year, 12, 31), ctx.today)


# --- in N days, weekdays ---------------------------------------------------------------


@_on(rf"{_START}(?:in|within)\s+{_NUMBER}\s*{_EN_UNIT}{END}")
@_on(rf"{_START}{_NUMBER}\s*{_EN_UNIT}\s+from\s+(?:now|today){END}")
@_on(rf"{_START}{_NUMBER}\s*{_VI_UNIT}\s*{v('nữa')}{END}")
@_on(rf"{_START}(?:sau|trong){END}\s*{_NUMBER}\s*{_VI_UNIT}{END}")
@_on(rf"(?:อีก|ภายใน|ใน)\s*{_NUMBER}\s*{_TH_UNIT}")
def _in_n(match: re.Match[str], ctx: _Context) -> DateResult | None:
    count = small_number(match["n"])
    unit = match["u"].lower()
    if unit.startswith(("m", "th", "เดือน")):
        return add_months(ctx.today, count)
    weeks = unit.startswith(("w", "tu", "สัปดาห์", "อาทิตย์"))
    return ctx.today + timedelta(days=count * 7 if weeks else count)


@_on(rf"{_START}(?:this|coming|on)\s+(?P<wd_en>{_EN_WD}){END}")
@_on(rf"{_START}(?P<wd_en>{_EN_WD_FULL}){END}")
@_on(rf"{_START}(?P<wd_vi>{_VI_WD})\s*(?:{v('này')}|{v('sắp tới')}){END}")
@_on(rf"{_START}(?P<wd_vi>{_VI_WD_LONG}){END}")
@_on(rf"(?P<wd_th>{_TH_WD})\s*(?:นี้|ที่จะถึง(?:นี้)?)")
@_on(r"(?P<wd_th>วัน(?:จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัส|ศุกร์|เสาร์|อาทิตย์))")
def _this_weekday(match: re.Match[str], ctx: _Context) -> DateResult | None:
    return coming_weekday(weekday_of(_group(match, "wd") or ""), ctx.today)


@_on(rf"{_START}(?P<wd_en>{_EN_WD})\s+next\s+week{END}")
@_on(rf"{_START}next\s+week\s+(?:on\s+)?(?P<wd_en>{_EN_WD}){END}")
@_on(rf"{_START}(?P<wd_vi>{_VI_WD})\s*{v('tuần')}\s*(?:sau|{v('tới')}){END}")
@_on(r"(?P<wd_th>" + _TH_WD + r")\s*(?:สัปดาห์|อาทิตย์)\s*หน้า")
def _weekday_next_week(match: re.Match[str], ctx: _Context) -> DateResult | None:
    return weekday_next_week(weekday_of(_group(match, "wd") or ""), ctx.today)


@_on(rf"{_START}next\s+(?P<wd_en>{_EN_WD}){END}")
@_on(rf"{_START}(?P<wd_vi>{_VI_WD})\s*{v('tới')}{END}")
@_on(r"(?P<wd_th>" + _TH_WD + r")\s*หน้า")
def _next_weekday(match: re.Match[str], ctx: _Context) -> DateResult | None:
    weekday = weekday_of(_group(match, "wd") or "")
    coming, next_week = coming_weekday(weekday, ctx.today), weekday_next_week(weekday, ctx.today)
    return coming if coming == next_week else Ambiguous((coming, next_week))


# --- scanning --------------------------------------------------------------------------


def find_dates(text: str, lang: str, today: date, *, strict: bool = True) -> list[Found[date]]:
    """Every date in ``text``, left to right; where two readings overlap the longer wins.

    Positions index ``normalize(text)``. ``strict`` is for longer texts such as a
    one-line command, where a capitalised "Mai" is a person's name.
    """
    text = normalize(text)
    ctx = _Context(today, lang, strict)
    candidates: list[Found[date]] = []
    for pattern, handler in _PATTERNS:
        for match in pattern.finditer(text):
            try:
                result = handler(match, ctx)
            except (ValueError, OverflowError):
                # Arithmetic past year 9999 ("in 999 months" near the end of the calendar).
                result = ParseError(IMPOSSIBLE_DATE)
            if result is not None:
                candidates.append(Found(match.start(), match.end(), match[0], result))
    candidates.sort(key=lambda found: (found.start, found.start - found.end))
    chosen: list[Found[date]] = []
    for found in candidates:
        if not chosen or found.start >= chosen[-1].end:
            chosen.append(found)
    return chosen


def parse_date(text: str, lang: str, today: date) -> DateResult:
    """Read ``text`` as one close date, e.g. the answer to "When will it close?".

    Args:
        text: "31/12", "31/12/2026", "2026-12-31", "31 ธ.ค. 2569", "31 tháng 12",
            "tomorrow", "thứ 6 tuần sau", "อีก 2 สัปดาห์", "cuối quý"…
        lang: "vi", "th" or "en"; decides how a two-digit year is read.
        today: the user's local date.

    Returns:
        The date; an ``Ambiguous`` of dates; or a ``ParseError`` with the code
        ``not_a_date``, ``impossible_date`` or ``past`` (whose value is the date).
    """
    text = normalize(text).strip().rstrip(".!?")
    found = find_dates(text, lang, today, strict=False)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(text):
        return found[0].result
    return ParseError(NOT_A_DATE)
