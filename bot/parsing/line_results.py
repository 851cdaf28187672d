"""What a one-line command is read as: its fields, what could not be used, what is in doubt."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date

from bot.parsing.results import Money

StageId = int | str
# ``bare_amount`` value for "every bare number belongs to the name".
NAME = "name"


@dataclass(frozen=True, slots=True)
class FieldError:
    """A fragment meant for ``field`` that could not be used; ``code`` as in results."""

    field: str
    text: str
    code: str
    value: object = None


@dataclass(frozen=True, slots=True)
class FieldAmbiguity:
    """Several readings for ``field``: the bot asks which one was meant."""

    field: str
    texts: tuple[str, ...]
    candidates: tuple[object, ...]


@dataclass(frozen=True, slots=True)
class _LineParse:
    """What every line parse reports besides its fields: fragments it could not use, and
    fields with several readings. Keyword-only, so each kind's own fields come first."""

    errors: tuple[FieldError, ...] = field(default=(), kw_only=True)
    ambiguities: tuple[FieldAmbiguity, ...] = field(default=(), kw_only=True)


@dataclass(frozen=True, slots=True)
class DealLineParse(_LineParse):
    name: str
    amount: Money | None = None
    close_date: date | None = None
    rating: str | None = None
    stage_id: StageId | None = None
    account: str | None = None
    contact: str | None = None
    campaign: str | None = None


@dataclass(frozen=True, slots=True)
class LeadLineParse(_LineParse):
    person: str
    company: str | None = None
    phone: str | None = None
    email: str | None = None
    campaign: str | None = None


def _jsonable(value: object) -> object:
    if isinstance(value, Money):
        return {"minor_units": value.minor_units, "currency": value.currency}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_jsonable(item) for item in value]
    return value


def to_json_dict(parse: DealLineParse | LeadLineParse) -> dict[str, object]:
    """The parse as plain JSON types, for ``dealbot parse`` and for logs of tests."""
    fields = {
        field.name: _jsonable(getattr(parse, field.name))
        for field in dataclasses.fields(parse)
        if field.name not in ("errors", "ambiguities")
    }
    return {
        "fields": fields,
        "errors": [
            {"field": e.field, "text": e.text, "code": e.code, "value": _jsonable(e.value)}
            for e in parse.errors
        ],
        "ambiguities": [
            {"field": a.field, "texts": list(a.texts), "candidates": _jsonable(a.candidates)}
            for a in parse.ambiguities
        ],
    }
