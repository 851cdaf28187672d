"""Localized names of the things the team's data names by code."""

from __future__ import annotations

from bot.i18n import LANGUAGES, N_, Translator, translator

STAGE_NAMES = {
    "prospecting": N_("Prospecting"),
    "qualification": N_("Qualification"),
    "proposal": N_("Proposal"),
    "negotiation": N_("Negotiation"),
    "won": N_("Closed won"),
    "lost": N_("Closed lost"),
}
SOURCE_NAMES = {
    "call": N_("Call"),
    "email": N_("Email"),
    "seminar": N_("Seminar"),
    "referral": N_("Referral"),
    "website": N_("Website"),
    "walk_in": N_("Walk-in"),
    "other": N_("Other"),
}


def coded_name(t: Translator, table: dict[str, str], code: str | None, name: str) -> str:
    """A default row's name in the user's language; a team's own row as they typed it."""
    if code in table:
        return t._(table[code])
    return name


RATING_NAMES = {"cold": N_("Cold"), "warm": N_("Warm"), "hot": N_("Hot")}
DEAL_TYPE_NAMES = {
    "new_customer": N_("New customer"),
    "existing_customer": N_("Existing customer"),
}
RESULT_NAMES = {"open": N_("Open"), "won": N_("Won"), "lost": N_("Lost")}


def label(t: Translator, table: dict[str, str], value: object) -> str | None:
    """The localized name of an enum value (or None when there is no value)."""
    if value is None:
        return None
    key = getattr(value, "value", value)
    return t._(table[key]) if key in table else str(key)


def stage_aliases(code: str | None, name: str) -> list[str]:
    """Every name a user may type for a stage: the team's and its default in each language."""
    names = [name]
    if code in STAGE_NAMES:
        names += [translator(language)._(STAGE_NAMES[code]) for language in LANGUAGES]
    return list(dict.fromkeys(names))
