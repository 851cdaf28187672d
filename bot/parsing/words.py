"""Per-language word tables (magnitudes, currencies, months, weekdays) and regex helpers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache

from babel.dates import get_day_names, get_month_names

LANGUAGES = ("vi", "th", "en")

# Latin letters and digits, Vietnamese included. Thai is left out on purpose: Thai is
# written without spaces, so a Thai word may touch the number or word next to it.
LATIN_ALNUM = "0-9A-Za-z\u00c0-\u024f\u1e00-\u1eff"
LATIN_LETTER = "A-Za-z\u00c0-\u024f\u1e00-\u1eff"
START = rf"(?<![{LATIN_ALNUM}])"
END = rf"(?![{LATIN_ALNUM}])"


def normalize(text: str) -> str:
    """NFC text with every decimal digit (Thai ๑๒๓ too) written in ASCII.

    Each digit stays one character, so positions in the result are stable.
    """
    text = unicodedata.normalize("NFC", text)
    return "".join(
        str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in text
    )


def _bare(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    return unicodedata.normalize("NFD", ch)[0]


def v(phrase: str) -> str:
    """A regex for a Vietnamese phrase typed with its marks or with none ("tuần" or "tuan").

    A half-marked spelling ("tuân") is a different word, so it does not match.
    """
    out = []
    for ch in phrase:
        if ch == " ":
            out.append(r"\s*")
        elif _bare(ch) != ch:
            out.append(f"[{ch}{_bare(ch)}]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def alt(patterns: Iterable[str]) -> str:
    """One non-capturing alternation, longest first so "พันล้าน" wins over "พัน"."""
    return "(?:" + "|".join(sorted(set(patterns), key=len, reverse=True)) + ")"


def matches(pattern: str, text: str) -> bool:
    return re.fullmatch(pattern, text.strip(), re.IGNORECASE) is not None


# --- amounts -------------------------------------------------------------------------

MAGNITUDES: tuple[tuple[int, tuple[str, ...]], ...] = (
    (3, ("k", v("nghìn"), v("ngàn"), "thousands?", "พัน")),
    (4, ("หมื่น",)),
    # "lít" and "xị" are slang for a hundred thousand đồng; they keep their marks too.
    (5, ("แสน", "lít", "xị")),
    # "củ" is slang for a million; left without its mark it is another word.
    (6, ("tr", v("triệu"), "củ", "m", "mil", "mn", "mio", "millions?", "ล้าน")),
    # "tỏi" is slang for a billion; bare "toi" is "tôi" (I).
    (9, (v("tỷ"), v("tỉ"), "tỏi", "b", "bn", "bil", "billions?", "พันล้าน")),
    (10, ("หมื่นล้าน",)),
    (11, ("แสนล้าน",)),
    (12, ("ล้านล้าน", v("nghìn tỷ"), v("ngàn tỷ"))),
)
MAGNITUDE = alt(word for _, words in MAGNITUDES for word in words)
# Vietnamese says "2 tỷ 3" for 2.3 tỷ; "50k 2" in English is no such thing.
SPACED_MAGNITUDE = alt((v("tỷ"), v("tỉ"), v("triệu"), "củ", "tỏi"))
# "1 triệu rưỡi", "ล้านครึ่ง": one and a half of the magnitude.
HALF = alt((v("rưỡi"), "ครึ่ง"))


def magnitude_exponent(word: str) -> int:
    for exponent, words in MAGNITUDES:
        if matches(alt(words), word):
            return exponent
    raise ValueError(word)


CURRENCIES: dict[str, tuple[str, ...]] = {
    "VND": ("₫", "đ", v("đồng"), "vnd", "vnđ"),
    "THB": ("฿", "บาท", "thb", "baht"),
    "USD": (r"us\$", r"\$", "usd"),
    "EUR": ("€", "eur", "euros?"),
}
# Marks that may stand before the number ("$5,000", "THB1,234.50", "₫50,000,000").
PREFIX_CURRENCIES: dict[str, tuple[str, ...]] = {
    "VND": ("₫", "vnd", "vnđ"),
    "THB": ("฿", "thb"),
    "USD": (r"us\$", r"\$", "usd"),
    "EUR": ("€", "eur"),
}


def currency_of(mark: str, table: dict[str, tuple[str, ...]]) -> str:
    for code, marks in table.items():
        if matches(alt(marks), mark):
            return code
    raise ValueError(mark)


# --- dates ---------------------------------------------------------------------------

VI_MONTH_WORDS = (
    ("một", 1),
    ("giêng", 1),
    ("hai", 2),
    ("ba", 3),
    ("tư", 4),
    ("bốn", 4),
    ("năm", 5),
    ("sáu", 6),
    ("bảy", 7),
    ("tám", 8),
    ("chín", 9),
    ("mười", 10),
    ("mười một", 11),
    ("mười hai", 12),
    ("chạp", 12),
)
# Month words keep their marks: bare "thang sau" is "next month", not June.
VI_MONTH_WORD = alt(re.escape(word).replace(r"\ ", r"\s+") for word, _ in VI_MONTH_WORDS)
VI_MONTH = rf"(?:{v('tháng')}|thg)\s*(?:(?P<vm>\d{{1,2}})|(?P<vmw>{VI_MONTH_WORD}){END})"


def vi_month_word(word: str) -> int:
    return dict(VI_MONTH_WORDS)[" ".join(word.lower().split())]


@cache
def _month_names(lang: str) -> dict[str, int]:
    names: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for number, name in get_month_names(width, locale=lang).items():
            names[name.lower().replace(".", "")] = number
    return names


def month_pattern(lang: str) -> str:
    """English or Thai month names; a Thai abbreviation may drop its dots ("ธค")."""
    names = _month_names(lang)
    if lang == "en":
        return alt([*names, "sept"]) + r"\.?"
    wide = alt(name for name in names if len(name) >= 4)
    short = alt(r"\.?".join(name) + r"\.?" for name in names if len(name) < 4)
    return f"(?:{wide}|{short})"


def month_number(lang: str, word: str) -> int:
    key = re.sub(r"[.\s]", "", word.lower())
    return 9 if key == "sept" else _month_names(lang)[key]


# Weekdays, Monday = 0 as in date.weekday().
EN_WEEKDAYS = (
    ("monday", "mon"),
    ("tuesday", "tues?"),
    ("wednesday", "wed"),
    ("thursday", "thu(?:rs?)?"),
    ("friday", "fri"),
    ("saturday", "sat"),
    ("sunday", "sun"),
)
VI_WEEKDAYS = (
    (v("thứ hai"), v("thứ 2"), "t2"),
    (v("thứ ba"), v("thứ 3"), "t3"),
    (v("thứ tư"), v("thứ 4"), "t4"),
    (v("thứ năm"), v("thứ 5"), "t5"),
    (v("thứ sáu"), v("thứ 6"), "t6"),
    (v("thứ bảy"), v("thứ 7"), "t7"),
    (v("chủ nhật"), "cn"),
)
# "อาทิตย์" alone is also "week", so Sunday needs its "วัน".
TH_WEEKDAYS = (
    ("จันทร์",),
    ("อังคาร",),
    ("พุธ",),
    ("พฤหัสบดี", "พฤหัส"),
    ("ศุกร์",),
    ("เสาร์",),
    ("วันอาทิตย์",),
)


def weekday_of(word: str) -> int:
    word = word.strip()
    for table in (EN_WEEKDAYS, VI_WEEKDAYS, TH_WEEKDAYS):
        for index, forms in enumerate(table):
            if matches(alt(forms), word) or matches("วัน" + alt(forms), word):
                return index
    raise ValueError(word)


@cache
def weekday_names() -> str:
    """Every weekday name Babel writes in a full date ("Thứ Năm", "วันพฤหัสบดี")."""
    names = {
        name
        for lang in LANGUAGES
        for width in ("wide", "abbreviated")
        for name in get_day_names(width, locale=lang).values()
    }
    return alt(re.escape(name).replace(r"\ ", r"\s+") for name in names)


SMALL_NUMBERS = {
    "en": ("a", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    "vi": ("một", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười"),
    "th": ("หนึ่ง", "หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า", "สิบ"),
}
SMALL_NUMBER = alt([word for words in SMALL_NUMBERS.values() for word in words[1:]] + ["an?"])


def small_number(word: str) -> int:
    word = word.lower()
    if word.isdigit():
        return int(word)
    if word in ("a", "an"):
        return 1
    for words in SMALL_NUMBERS.values():
        if word in words:
            return words.index(word) or 1
    raise ValueError(word)


# Fixed phrases for relative dates, by what they mean (see bot.parsing.dates).
_THIS = r"(?:the\s+|this\s+)?"
RELATIVE_WORDS: dict[str, tuple[str, ...]] = {
    "today": ("today", v("hôm nay"), v("bữa nay"), "วันนี้"),
    "tomorrow": ("tomorrow", "tmrw?", v("ngày mai"), "(?P<mai>mai)", "พรุ่งนี้"),
    # "mốt" keeps its mark: bare "mot" is "một" (one).
    "day_after": (
        r"(?:the\s+)?day\s+after\s+tomorrow",
        v("ngày mốt"),
        "mốt",
        v("ngày kia"),
        "มะรืน(?:นี้)?",
    ),
    "month_end": (
        rf"end\s+of\s+{_THIS}month",
        "eom",
        r"month[\s-]?end",
        rf"{v('cuối tháng')}(?:\s*{v('này')})?",
        r"(?:สิ้น|ปลาย)\s*เดือน(?:\s*นี้)?",
    ),
    # "tháng sau" keeps "sau" bare: "tháng sáu" is June.
    "next_month_end": (
        r"(?:end\s+of\s+(?:the\s+)?)?next\s+month",
        rf"(?:{v('cuối')}\s*)?{v('tháng')}\s*(?:sau|{v('tới')})",
        r"(?:สิ้น|ปลาย)?\s*เดือน\s*หน้า",
    ),
    "quarter_end": (
        rf"end\s+of\s+{_THIS}quarter",
        "eoq",
        r"quarter[\s-]?end",
        rf"{v('cuối quý')}(?:\s*{v('này')})?",
        r"สิ้น\s*ไตรมาส(?:\s*นี้)?",
    ),
    "next_quarter_end": (
        r"(?:end\s+of\s+(?:the\s+)?)?next\s+quarter",
        rf"(?:{v('cuối')}\s*)?{v('quý')}\s*(?:sau|{v('tới')})",
        r"(?:สิ้น)?\s*ไตรมาส\s*หน้า",
    ),
    "year_end": (
        rf"end\s+of\s+{_THIS}year",
        "eoy",
        r"year[\s-]?end",
        rf"{v('cuối năm')}(?:\s*nay)?",
        r"(?:สิ้น|ปลาย)\s*ปี(?:\s*นี้)?",
    ),
}


# --- one-line commands ----------------------------------------------------------------

RATINGS = {
    "hot": ("hot", "nóng", "nong", "ร้อน"),
    "warm": ("warm", "ấm", "อุ่น"),
    "cold": ("cold", "lạnh", "lanh", "เย็น"),
}
RATING_OF_WORD = {word: rating for rating, words in RATINGS.items() for word in words}
# Words that introduce a company in a lead line: "cty ABC", "บริษัท เอบีซี".
COMPANY_MARKERS = alt((v("công ty"), "cty", "company", r"co\.", "บริษัท"))
