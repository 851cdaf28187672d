"""One-line commands: "/new Acme ERP 50tr 31/12 hot @Acme +Lan #Tet2027 proposal", and leads.

How a deal line is taken apart, in this order (each step sees only what is left):

1. ``@account``, ``+contact``, ``#campaign``: one token each, or quoted
   (``@"Acme Corp"``); "+" followed by a digit is not a contact.
2. Dates (see ``bot.parsing.dates``), then amounts (``bot.parsing.amounts``). A bare
   integer ("2", "2026") stays in the name when something with a magnitude, a currency
   or a separator is there. Otherwise it is set aside until the fields below are
   taken: standing next to words of the name ("Windows 11 upgrade") it may be either,
   so it comes back as an amount ``FieldAmbiguity`` whose last candidate is None
   ("part of the name"), with the name keeping the number; anywhere else (after the
   date, behind a comma) it is the amount.
3. The name's own words are set aside: the first run of unclaimed words, except
   rating and stage words at its end ("Tủ lạnh Daikin" keeps its "lạnh", cold).
4. A rating word (hot/warm/cold, nóng/ấm/lạnh, ร้อน/อุ่น/เย็น).
5. A stage: words that are a case- and mark-insensitive prefix (3 characters at
   least) of one of a stage's names. Words that spell a whole name win over words
   that are only a prefix; those stay in the name.
6. The rest, in order, is the deal name.

Two different values for one field are never resolved by a guess: they come back
as a ``FieldAmbiguity`` with every candidate. The bot answers a doubt about bare
numbers by parsing the line again with ``bare_amount``: the Money chosen, or
``NAME`` for "they are all part of the name".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from bot.parsing.amounts import find_amounts
from bot.parsing.contacts import find_emails, find_phones
from bot.parsing.dates import find_dates
from bot.parsing.line_results import (
    NAME,
    DealLineParse,
    FieldAmbiguity,
    FieldError,
    LeadLineParse,
    StageId,
    to_json_dict,
)
from bot.parsing.results import Ambiguous, Found, Money, ParseError
from bot.parsing.words import COMPANY_MARKERS, END, RATING_OF_WORD, START, normalize
from storage.text import fold

_COMMAND = re.compile(r"\s*/[A-Za-z_]+(?:@\w+)?(?!\S)")
_TAG = re.compile(r'(?<!\S)(?P<sigil>[@+#])(?:"(?P<q1>[^"]+)"|“(?P<q2>[^”]+)”|(?P<word>[^\s"“]+))')
_COMPANY = re.compile(rf"{START}{COMPANY_MARKERS}{END}", re.IGNORECASE)
_PUNCTUATION = " ,;:.!?-–—|/()[]'\""
_MIN_STAGE_PREFIX = 3


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    text: str


class _Line:
    """The text being taken apart, and which characters are already spoken for."""

    def __init__(self, text: str) -> None:
        self.text = normalize(text)
        self.free = [True] * len(self.text)
        self.fields: dict[str, object] = {}
        self.errors: list[FieldError] = []
        self.ambiguities: list[FieldAmbiguity] = []
        if command := _COMMAND.match(self.text):
            self.take(0, command.end())

    def take(self, start: int, end: int) -> None:
        self.free[start:end] = [False] * (end - start)

    def masked(self) -> str:
        return "".join(ch if free else " " for ch, free in zip(self.text, self.free, strict=True))

    def tokens(self) -> list[_Token]:
        return [_Token(m.start(), m.end(), m[0]) for m in re.finditer(r"\S+", self.masked())]

    def settle(self, field: str, found: Sequence[Found[object]]) -> None:
        """Record ``field`` from what was found for it: a value, errors or an ambiguity."""
        for item in found:
            self.take(item.start, item.end)
        values: list[object] = []
        errors: list[FieldError] = []
        for item in found:
            result = item.result
            if isinstance(result, ParseError):
                errors.append(FieldError(field, item.text, result.code, result.value))
            elif isinstance(result, Ambiguous):
                values.extend(c for c in result.candidates if c not in values)
            elif result not in values:
                values.append(result)
        self.errors.extend(errors)
        single = len(found) == 1 and not isinstance(found[0].result, Ambiguous)
        if len(values) == 1 and (single or not errors):
            self.fields[field] = values[0]
        elif values:
            texts = tuple(item.text for item in found)
            self.ambiguities.append(FieldAmbiguity(field, texts, tuple(values)))

    def take_tags(self, fields: dict[str, str]) -> None:
        found: dict[str, list[Found[object]]] = {field: [] for field in fields.values()}
        for match in _TAG.finditer(self.masked()):
            value = match["q1"] or match["q2"] or (match["word"] or "").rstrip(",.;:!?")
            if match["sigil"] not in fields or not value.strip():
                continue
            if match["sigil"] == "+" and value[0].isdigit():
                continue
            field = fields[match["sigil"]]
            found[field].append(Found(match.start(), match.end(), match[0], value.strip()))
        for field, items in found.items():
            self.settle(field, items)

    def rest(self) -> str:
        """What nobody claimed, as words: tokens of punctuation alone are dropped."""
        words = [t.text for t in self.tokens() if t.text.strip(_PUNCTUATION)]
        return " ".join(words).strip(_PUNCTUATION)


def _rating(token: _Token) -> str | None:
    return RATING_OF_WORD.get(token.text.strip(_PUNCTUATION).casefold())


def _stage_phrase(run: Sequence[_Token], names: Sequence[tuple[StageId, str]]) -> str | None:
    """The folded phrase ``run`` spells, if it starts a stage name and nothing splits it."""
    phrase = " ".join(fold(t.text.strip(_PUNCTUATION)) for t in run)
    if len(phrase) < _MIN_STAGE_PREFIX or not any(name.startswith(phrase) for _, name in names):
        return None
    return phrase


def _contiguous(line: _Line, run: Sequence[_Token]) -> bool:
    return all(line.text[a.end : b.start].isspace() for a, b in pairwise(run))


def _name_words(line: _Line, names: Sequence[tuple[StageId, str]]) -> set[int]:
    """Starts of the words that are surely the deal name, whatever they spell.

    The first run of unclaimed words is the name, apart from rating and stage words
    at its end: "Tủ lạnh Daikin 50tr" sells fridges ("lạnh" is cold), while in
    "Acme ERP hot proposal 50tr" the last two words are fields.
    """
    tokens = line.tokens()
    run = tokens[:1]
    for token in tokens[1:]:
        if not _contiguous(line, [run[-1], token]):
            break
        run.append(token)
    end = len(run)
    while end > 0:
        if _rating(run[end - 1]):
            end -= 1
            continue
        start = next(
            (m for m in range(max(0, end - 4), end) if _stage_phrase(run[m:end], names)), None
        )
        if start is None:
            break
        end = start
    return {token.start for token in run[:end]}


def _take_rating(line: _Line, protected: set[int]) -> None:
    found: list[Found[object]] = []
    for token in line.tokens():
        rating = _rating(token)
        if rating and token.start not in protected:
            found.append(Found(token.start, token.end, token.text, rating))
    line.settle("rating", found)


def _take_stage(
    line: _Line,
    stages: Sequence[tuple[StageId, Sequence[str]]],
    names: Sequence[tuple[StageId, str]],
    protected: set[int],
) -> None:
    tokens = [token for token in line.tokens() if token.start not in protected]
    groups: list[tuple[list[_Token], set[StageId], set[StageId]]] = []
    i = 0
    while i < len(tokens):
        for j in range(min(len(tokens), i + 4), i, -1):
            run = tokens[i:j]
            phrase = _stage_phrase(run, names) if _contiguous(line, run) else None
            if phrase is not None:
                exact = {sid for sid, name in names if name == phrase}
                prefix = {sid for sid, name in names if name.startswith(phrase)}
                groups.append((run, exact, prefix))
                i = j
                break
        else:
            i += 1
    exact_groups = [group for group in groups if group[1]]
    chosen = exact_groups or groups
    ids = set().union(*(exact if exact_groups else prefix for _, exact, prefix in chosen))
    found = [
        Found(run[0].start, run[-1].end, line.text[run[0].start : run[-1].end], None)
        for run, _, _ in chosen
    ]
    for item in found:
        line.take(item.start, item.end)
    if len(ids) == 1:
        line.fields["stage_id"] = next(iter(ids))
    elif ids:
        order = [stage_id for stage_id, _ in stages]
        texts = tuple(item.text for item in found)
        candidates = tuple(sorted(ids, key=order.index))
        line.ambiguities.append(FieldAmbiguity("stage_id", texts, candidates))


def _next_to_name(line: _Line, item: Found[object]) -> bool:
    """Whether a word still free (so part of the name) touches ``item``, spaces apart."""
    before = line.text[: item.start].rstrip()
    after_start = len(line.text) - len(line.text[item.end :].lstrip())
    touching = [len(before) - 1, after_start]
    return any(
        0 <= i < len(line.text) and line.free[i] and line.text[i] not in _PUNCTUATION
        for i in touching
    )


def _settle_bare(line: _Line, bare: Sequence[Found[object]], choice: Money | str | None) -> None:
    """Decide bare numbers: the amount, part of the name, or a question (see above)."""
    readable = [item for item in bare if isinstance(item.result, Money)]
    line.settle("amount", [item for item in bare if item not in readable])
    if choice is not None:
        chosen = next((item for item in readable if item.result == choice), None)
        for item in bare:
            if item is not chosen:
                line.free[item.start : item.end] = [True] * (item.end - item.start)
        if chosen is not None:
            line.fields["amount"] = chosen.result
        return
    if not readable:
        return
    doubtful = any(_next_to_name(line, item) for item in readable)
    if len(readable) == 1 and not doubtful:
        line.settle("amount", readable)
        return
    for item in readable:
        line.free[item.start : item.end] = [True] * (item.end - item.start)
    values: list[object] = []
    for item in readable:
        if item.result not in values:
            values.append(item.result)
    if doubtful:
        values.append(None)
    texts = tuple(item.text for item in readable)
    line.ambiguities.append(FieldAmbiguity("amount", texts, tuple(values)))


def parse_deal_line(
    text: str,
    lang: str,
    today: date,
    default_currency: str,
    stages: Sequence[tuple[StageId, Sequence[str]]] = (),
    bare_amount: Money | str | None = None,
) -> DealLineParse:
    """Take a quick-create line apart (see the module docstring for the order).

    Args:
        text: the message, with or without its leading "/new".
        lang: "vi", "th" or "en": decimal marks and two-digit years.
        today: the user's local date, for relative and year-less dates.
        default_currency: the team's ISO currency.
        stages: the team's stages as ``(stage_id, [names in every language])``.
        bare_amount: the answer to a doubt about the amount: the Money that is the
            amount (of several amounts, or the first bare number worth it), or
            ``NAME``; None to ask.

    Returns:
        The fields found, plus errors and ambiguities for the bot to ask about.
        Never raises.
    """
    line = _Line(text)
    line.take_tags({"@": "account", "+": "contact", "#": "campaign"})
    line.settle("close_date", find_dates(line.masked(), lang, today))
    amounts = find_amounts(line.masked(), lang, default_currency)
    explicit = [a for a in amounts if a.explicit]
    bare = [] if explicit else amounts
    line.settle("amount", explicit)
    if isinstance(bare_amount, Money):
        # The answer to "which of 50tr, 20tr is the amount?" names one of them.
        for doubt in [a for a in line.ambiguities if a.field == "amount"]:
            if bare_amount in doubt.candidates:
                line.ambiguities.remove(doubt)
                line.fields["amount"] = bare_amount
    # Bare numbers are kept out of the way of the name, rating and stage words, then
    # given back or settled once it is known which of their neighbours are the name.
    for item in bare:
        line.take(item.start, item.end)
    names = [(stage_id, fold(name)) for stage_id, stage_names in stages for name in stage_names]
    protected = _name_words(line, names)
    _take_rating(line, protected)
    _take_stage(line, stages, names, protected)
    _settle_bare(line, bare, bare_amount)
    return DealLineParse(
        name=line.rest(),
        **line.fields,  # type: ignore[arg-type]
        errors=tuple(line.errors),
        ambiguities=tuple(line.ambiguities),
    )


def parse_lead_line(text: str, lang: str, region: str | None = None) -> LeadLineParse:
    """Take a lead line apart: "Nguyễn Văn An 0901 234 567 an@abc.vn cty ABC".

    The company is ``@Company`` (quoted if several words) or the words after a marker
    (cty, công ty, company, co., บริษัท) up to the next phone, e-mail or tag; the
    rest is the person's name. ``region`` ("VN"/"TH") reads national phone numbers.
    """
    line = _Line(text)
    line.take_tags({"@": "company", "#": "campaign"})
    line.settle("email", find_emails(line.masked()))
    line.settle("phone", find_phones(line.masked(), lang, region))
    companies: list[Found[object]] = []
    if "company" in line.fields:
        company = line.fields.pop("company")
        companies.append(Found(0, 0, f"@{company}", company))
    for match in _COMPANY.finditer(line.masked()):
        end = match.end()
        while end < len(line.text) and line.free[end]:
            end += 1
        name = line.text[match.end() : end].strip(_PUNCTUATION)
        if name:
            companies.append(Found(match.start(), end, line.text[match.start() : end], name))
    line.settle("company", companies)
    return LeadLineParse(
        person=line.rest(),
        **line.fields,  # type: ignore[arg-type]
        errors=tuple(line.errors),
        ambiguities=tuple(line.ambiguities),
    )


__all__ = [
    "NAME",
    "DealLineParse",
    "FieldAmbiguity",
    "FieldError",
    "LeadLineParse",
    "StageId",
    "parse_deal_line",
    "parse_lead_line",
    "to_json_dict",
]
