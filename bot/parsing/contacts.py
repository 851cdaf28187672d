"""Phone numbers (to E.164) and e-mail addresses found in typed text.

Phone numbers follow one rule, read by the ``phonenumbers`` library: a number with
its country code ("+1 415 555 0100", "0084…", or "84901234567" as Telegram shares
it) is kept as that country's; a national number ("0812 345 678") belongs to the
region passed in, which callers take from the team (``region_of_currency``). Only
without a region does the language's country decide (vi → VN, th → TH), and with
neither a number valid both in Vietnam and in Thailand is ``Ambiguous``.
"""

from __future__ import annotations

import re
from types import ModuleType

from bot.parsing.results import INVALID_EMAIL, INVALID_PHONE, Ambiguous, Found, ParseError
from bot.parsing.words import normalize

PhoneResult = str | Ambiguous[str] | ParseError

_NEAR_REGIONS = ("VN", "TH")
_LANGUAGE_REGIONS = {"vi": "VN", "th": "TH"}
_CURRENCY_REGIONS = {"VND": "VN", "THB": "TH", "USD": "US"}
# A run of digits with the separators people type; validated afterwards.
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\d(?:[\s.\-]?\(?\d\)?){7,13}(?!\w)")
_EMAIL = re.compile(
    r"(?<![\w.+-])[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*"
    r"@(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}(?![\w-])"
)


def region_of_currency(currency: str | None) -> str | None:
    """The country a team's national phone numbers belong to, from its currency."""
    return _CURRENCY_REGIONS.get(currency or "")


def _phonenumbers() -> ModuleType:
    # Imported on the first number: its metadata is about 10 MB the bot need not hold
    # until someone types or shares a phone number.
    import phonenumbers

    return phonenumbers


def _e164(text: str, region: str | None) -> str | None:
    phonenumbers = _phonenumbers()
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _international(raw: str) -> str | None:
    """``raw`` ("+…") in E.164; "+84 0901…" too, where the trunk 0 was typed anyway."""
    number = _e164(raw, None)
    if number is not None:
        return number
    for size in (1, 2, 3):
        if raw[1 + size : 2 + size] == "0":
            number = _e164(raw[: 1 + size] + raw[2 + size :], None)
            if number is not None:
                return number
    return None


def parse_phone(text: str, lang: str = "en", region: str | None = None) -> PhoneResult:
    """Read a phone number into E.164 ("+84901234567").

    Args:
        text: "0901 234 567", "+84 901 234 567", "081-234-5678", "+1 415 555 0100".
        lang: the user's language; vi and th name a country when ``region`` is None.
        region: the team's country ("VN", "TH", …) for national numbers.

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
    if not raw.startswith(("+", "0")):
        raw = "+" + raw  # a country code without its "+", as Telegram shares numbers
    if raw.startswith("+"):
        return _international(raw) or ParseError(INVALID_PHONE)
    preferred = region or _LANGUAGE_REGIONS.get(lang)
    if preferred is not None and (number := _e164(raw, preferred)):
        return number
    readings = [number for near in _NEAR_REGIONS if (number := _e164(raw, near))]
    if len(readings) == 1:
        return readings[0]
    if readings and preferred is None:
        return Ambiguous(tuple(readings))
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
