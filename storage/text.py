"""Text folding for search and matching: case, Vietnamese and Thai marks, company names."""

from __future__ import annotations

import re
import unicodedata

# Vietnamese đ is a letter of its own, not d with a combining mark, so NFKD keeps it.
_SPECIAL = str.maketrans({"đ": "d", "Đ": "d"})
_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
# Legal-form words that do not tell two companies apart ("Cty TNHH ABC" is "ABC").
_COMPANY_NOISE = {
    "cong",
    "ty",
    "cty",
    "tnhh",
    "cp",
    "co",
    "ltd",
    "jsc",
    "inc",
    "llc",
    "corp",
    "company",
    "limited",
    "plc",
    "mtv",
    "บรษท",
    "จำกด",
    "มหาชน",
}


def fold(text: str) -> str:
    """Lower-case ``text`` and drop combining marks, so "nguyen" matches "Nguyễn".

    Thai tone and vowel marks are combining characters too, so a Thai search that
    leaves them out still matches.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", bare.casefold()).strip()


def company_key(name: str) -> str:
    """The normalized name two spellings of one company share."""
    words = _PUNCT.sub(" ", fold(name)).split()
    kept = [w for w in words if w not in _COMPANY_NOISE]
    return " ".join(kept or words)


def normalize_email(email: str | None) -> str | None:
    if not email:
        return None
    return email.strip().casefold() or None


def normalize_phone(phone: str | None) -> str | None:
    """Digits with a leading + for international form; local 0-prefixed numbers stay local.

    Vietnamese (+84) and Thai (+66) numbers typed with a leading 0 are kept as typed
    digits, so "0901 234 567" and "+84 901 234 567" compare equal through ``phone_key``.
    """
    if not phone:
        return None
    digits = re.sub(r"\D", "", phone)
    if not digits:
        return None
    return ("+" + digits) if phone.strip().startswith("+") else digits


def phone_key(phone: str | None) -> str | None:
    """The national significant number: what two spellings of one phone share."""
    normalized = normalize_phone(phone)
    if normalized is None:
        return None
    digits = normalized.lstrip("+")
    for country in ("84", "66"):
        if normalized.startswith("+" + country) or (
            digits.startswith(country) and len(digits) >= 11
        ):
            return digits[len(country) :]
    return digits.lstrip("0")
