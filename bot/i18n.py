"""Gettext catalogs, the user's translator, and choosing a user's language."""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("vi", "th", "en")
DEFAULT_LANGUAGE = "vi"
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "th": "ภาษาไทย", "en": "English"}
# The same names inside a sentence of that language: "nói tiếng Việt", lower case.
SPOKEN_NAMES = {"vi": "tiếng Việt", "th": "ภาษาไทย", "en": "English"}


class MissingCatalog(RuntimeError):
    """A language's catalog is not installed: refuse to start rather than fall back."""


def locales_dir() -> Path:
    return Path(str(resources.files("locales")))


def N_(message: str) -> str:
    """Mark a string for extraction where it is defined; translate it where it is shown."""
    return message


@dataclass(frozen=True)
class Translator:
    """One language's catalog, with the gettext calls handlers use."""

    language: str
    catalog: gettext.NullTranslations

    def _(self, message: str) -> str:
        return self.catalog.gettext(message)

    def n_(self, singular: str, plural: str, count: int) -> str:
        return self.catalog.ngettext(singular, plural, count)

    def p_(self, context: str, message: str) -> str:
        return self.catalog.pgettext(context, message)


def _compile(po_path: Path, language: str) -> gettext.GNUTranslations:
    # Compiling in memory means there is no .mo build step to forget.
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@cache
def translator(language: str) -> Translator:
    """The translator for ``language`` (one of LANGUAGES).

    Raises:
        MissingCatalog: the language's messages.po is not installed.
    """
    if language not in LANGUAGES:
        raise MissingCatalog(f"unsupported language {language!r}")
    po_path = locales_dir() / language / "LC_MESSAGES" / "messages.po"
    if not po_path.is_file():
        raise MissingCatalog(f"the {language} catalog is missing: {po_path}")
    return Translator(language, _compile(po_path, language))


def load_all() -> dict[str, Translator]:
    """Load every catalog; called at start-up so a missing one stops the bot at once."""
    return {language: translator(language) for language in LANGUAGES}


def pick_language(chosen: str | None, telegram_code: str | None, team_default: str) -> str:
    """The user's choice, else Telegram's language code, else the team's language."""
    if chosen in LANGUAGES:
        return chosen
    if telegram_code:
        base = telegram_code.split("-")[0].lower()
        if base in LANGUAGES:
            return base
    return team_default if team_default in LANGUAGES else DEFAULT_LANGUAGE
