"""Vietnamese and Thai phone numbers (to E.164) and e-mail addresses found in typed text.

Only the two countries the bot serves are known here; the ``phonenumbers`` library
would cover the world but is a dependency this narrow need does not justify.
A national number ("0901 234 567") is valid in both countries when it is a 10-digit
mobile starting 08 or 09 (or 06, which Vietnam does not use): the region passed in,
else the language's country (vi → VN, th → TH), decides; with neither (English) a
number valid in both countries is ``Ambiguous``.
"""

from __future__ import annotations

import re

from bot.parsing.results import INVALID_EMAIL, INVALID_PHONE, Ambiguous, Found, ParseError
from bot.parsing.words import normalize

PhoneResult = str | Ambiguous[str] | ParseError

# National significant numbers (without the trunk 0) per calling code.
_NATIONAL = {
    "84": re.compile(r"[35789]\d{8}|2\d{9}"),  # mobiles; landlines 02x + 8 digits
    "66": re.compile(r"[689]\d{8}|[2-7]\d{7}"),  # mobiles; landlines 0x + 7 digits
}
_REGION_CODES = {"VN": "84", "TH": "66"}
_LANGUAGE_REGIONS = {"vi": "VN", "th": "TH"}
# A run of digits with the separators people type; validated afterwards.
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\d(?:[\s.\-]?\(?\d\)?){7,13}(?!\w)")
_EMAIL = re.compile(
    r"(?<![\w.+-])[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*"
    r"@(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}(?![\w-])"
)


def _e164(code: str, national: str) -> str | None:
    return f"+{code}{national}" if _NATIONAL[code].fullmatch(national) else None


def parse_phone(text: str, lang: str = "en", region: str | None = None) -> PhoneResult:
    """Read a Vietnamese or Thai phone number into E.164 ("+84901234567").

    Args:
        text: "0901 234 567", "+84 901 234 567", "081-234-5678", "+66 81 234 5678".
        lang: the user's language; vi and th name a default country.
        region: "VN" or "TH" to override the language's country (the team's country).

    Returns:
        The E.164 number; ``Ambiguous`` of the Vietnamese and Thai readings of a
        national number valid in both with no country to decide; or
        ``ParseError("invalid_phone")``.
    """
    raw = re.sub(r"[\s().\-]", "", normalize(text))
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    if not re.fullmatch(r"\+?\d{8,15}", raw):
        return ParseError(INVALID_PHONE)
    digits = raw.lstrip("+")
    if raw.startswith("+") or (digits[:2] in _NATIONAL and len(digits) >= 10):
        code = digits[:2]
        if code not in _NATIONAL:
            return ParseError(INVALID_PHONE)
        # "+84 0901 234 567": the trunk 0 is often typed after the country code.
        number = _e164(code, digits[2:].removeprefix("0"))
        return number or ParseError(INVALID_PHONE)
    if not digits.startswith("0"):
        return ParseError(INVALID_PHONE)
    readings = {
        country: number
        for country, code in _REGION_CODES.items()
        if (number := _e164(code, digits[1:]))
    }
    preferred = region or _LANGUAGE_REGIONS.get(lang)
    if preferred in readings:
        return readings[preferred]
    if len(readings) == 1:
        return next(iter(readings.values()))
    if readings:
        return Ambiguous(tuple(readings.values()))
    return ParseError(INVALID_PHONE)


def find_phones(text: str, lang: str = "en", region: str | None = None) -> list[Found[str]]:
    """Every phone-like run of digits in ``text`` (positions index ``normalize(text)``)."""
    text = normalize(text)
    return [
        Found(match.start(), match.end(), match[0], parse_phone(match[0], lang, region))
        for match in _PHONE.finditer(text)
    ]


def parse_email(text: str) -> str | ParseError:
    """An e-mail address with its domain lower-cased, or ``ParseError("invalid_email")``."""
    text = normalize(text).strip().removeprefix("mailto:")
    if not _EMAIL.fullmatch(text) or len(text) > 254 or len(text.split("@")[0]) > 64:
        return ParseError(INVALID_EMAIL)
    local, domain = text.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def find_emails(text: str) -> list[Found[str]]:
    """Every e-mail address in ``text`` (positions index ``normalize(text)``)."""
    text = normalize(text)
    return [
        Found(match.start(), match.end(), match[0], parse_email(match[0]))
        for match in _EMAIL.finditer(text)
    ]
