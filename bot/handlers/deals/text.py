"""Reading which deal, stage or date a command's words name, and explaining parse problems."""

from __future__ import annotations

import html
from datetime import date

from bot.formatting import format_date, format_money
from bot.i18n import Translator
from bot.invalid import already_past
from bot.parsing import DealLineParse, Money
from storage.models import Stage
from storage.queries import AmbiguousDeal
from storage.text import fold


def match_stage(
    words: list[str], stages: list[Stage], aliases: dict[int, list[str]]
) -> tuple[Stage | None, list[str]]:
    """A stage named by the last one to three words (any unambiguous prefix of a name)."""
    for size in (3, 2, 1):
        if len(words) <= size:
            continue
        wanted = fold(" ".join(words[-size:]))
        hits = {
            stage.id: stage
            for stage in stages
            for alias in aliases[stage.id]
            if len(wanted) >= 3 and fold(alias).startswith(wanted)
        }
        if len(hits) == 1:
            return next(iter(hits.values())), words[:-size]
    return None, words


def _value(t: Translator, value: object, *, gregorian: bool = False) -> str:
    if isinstance(value, Money):
        return format_money(value.minor_units, value.currency, t.language)
    if isinstance(value, date):
        return format_date(value, t.language, gregorian=gregorian)
    return html.escape(str(value))


def field_name(t: Translator, field: str) -> str:
    names = {
        "amount": t._("amount"),
        "close_date": t._("close date"),
        "stage_id": t._("stage"),
        "account": t._("account"),
        "contact": t._("contact"),
        "campaign": t._("campaign"),
        "rating": t._("rating"),
    }
    return names.get(field, field)


def explain_problems(
    t: Translator,
    parse: DealLineParse,
    stage_names: dict[object, str],
    *,
    gregorian: bool = False,
) -> str:
    """Localized lines for every error and ambiguity in a parsed line ("" when none)."""
    lines = []
    for ambiguity in parse.ambiguities:
        if ambiguity.field == "stage_id":
            options = [stage_names.get(c, str(c)) for c in ambiguity.candidates]
        else:
            options = [_value(t, c, gregorian=gregorian) for c in ambiguity.candidates]
        lines.append(
            t._("I can read the {field} as: {options}. Which one did you mean?").format(
                field=field_name(t, ambiguity.field), options=" / ".join(options)
            )
        )
    for error in parse.errors:
        text = html.escape(error.text)
        if error.code == "past" and isinstance(error.value, date):
            lines.append(already_past(t, error.value, gregorian=gregorian))
        elif error.code == "impossible_date":
            lines.append(t._("{text} is not a real date.").format(text=text))
        elif error.code == "negative":
            lines.append(t._("The amount cannot be negative."))
        elif error.code == "too_large":
            lines.append(t._("{text} is too large for an amount.").format(text=text))
        else:
            lines.append(
                t._("I could not read the {field} in “{text}”.").format(
                    field=field_name(t, error.field), text=text
                )
            )
    return "\n".join(lines)


__all__ = ["AmbiguousDeal", "explain_problems", "match_stage"]
