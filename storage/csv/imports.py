"""Importing deals from CSV, step one: every row checked, and matched against existing deals.

Nothing is written here: ``prepare_import`` returns a plan to preview, and
``storage.csv.apply.run_import`` carries it out.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from sqlalchemy import select

from storage import validation
from storage.actors import Actor
from storage.csv.table import Record, Table, read_table, unescape_cell
from storage.csv.vocabulary import Vocabulary, lenient_match, load_vocabulary
from storage.errors import Forbidden, InvalidInput
from storage.models import Account, DealType, Opportunity, Rating
from storage.people import match_person
from storage.permissions import visible
from storage.text import company_key, fold
from storage.uow import UnitOfWork

_MATCH_CHUNK = 500


class CellReader(Protocol):
    """Reads cells the way the importing member types: their language's amounts and dates.

    The bot supplies one built on its quick-input parser; storage knows no language.
    """

    def amount(self, text: str, currency: str) -> tuple[int, str] | str:
        """(minor units, currency), or why not: a reason code such as ``negative``."""
        ...

    def date(self, text: str) -> date | str:
        """The date (past dates included), or a reason code such as ``impossible_date``."""
        ...

    def names(self, kind: str, code: str) -> Sequence[str]:
        """Every language's name of a coded value: kind is stage, source, rating or type."""
        ...


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why one row cannot be imported; ``detail`` names what was wrong when that helps."""

    line: int
    cells: tuple[str, ...]
    field: str
    reason: str
    detail: str | None = None
    # A warning: the row is imported, without the value this names.
    warning: bool = False


@dataclass(slots=True)
class ImportRow:
    """One valid row; optional fields are None where the cell was empty."""

    line: int
    cells: tuple[str, ...]
    name: str
    close_date: date
    currency: str
    amount: int | None = None
    deal_id: int | None = None
    stage_id: int | None = None
    probability: int | None = None
    owner_id: int | None = None
    account: str | None = None
    contact: str | None = None
    campaign: str | None = None
    source_id: int | None = None
    rating: Rating | None = None
    deal_type: DealType | None = None
    lost_reason: str | None = None
    description: str | None = None
    # Names the team has no source or campaign for: added only if the manager asks.
    missing_source: str | None = None
    missing_campaign: str | None = None

    @property
    def identity(self) -> tuple[str, str, date]:
        """Name, account and close date: what makes two rows the same deal."""
        account = company_key(self.account)[:200] if self.account else ""
        return fold(self.name), account, self.close_date


@dataclass
class ImportPlan:
    header: list[str]
    delimiter: str
    ignored_columns: list[str]
    rows_read: int
    valid: list[ImportRow]
    problems: list[RowProblem]
    # Line -> id of the deal the row already is.
    existing: dict[int, int] = field(default_factory=dict)
    # Rows imported without a value the team does not know: say so, do not drop them.
    warnings: list[RowProblem] = field(default_factory=list)

    @property
    def missing_names(self) -> tuple[list[str], list[str]]:
        """The sources and the campaigns rows name that the team has not got, each once."""
        sources = {fold(r.missing_source): r.missing_source for r in self.valid if r.missing_source}
        campaigns = {
            fold(r.missing_campaign): r.missing_campaign for r in self.valid if r.missing_campaign
        }
        return sorted(sources.values()), sorted(campaigns.values())

    @property
    def new_rows(self) -> list[ImportRow]:
        return [row for row in self.valid if row.line not in self.existing]

    @property
    def existing_rows(self) -> list[ImportRow]:
        return [row for row in self.valid if row.line in self.existing]


class _Bad(Exception):
    def __init__(self, column: str, reason: str, detail: str | None = None) -> None:
        super().__init__(column, reason)
        self.column, self.reason, self.detail = column, reason, detail


def _text(column: str, value: str, max_length: int) -> str | None:
    if len(value) > max_length:
        raise _Bad(column, "too_long")
    return value or None


def _check(
    record: Record,
    table: Table,
    vocab: Vocabulary,
    reader: CellReader,
    warnings: list[RowProblem],
) -> ImportRow:
    """One row read into an ImportRow; the first problem found raises ``_Bad``."""
    if record.broken:
        raise _Bad("row", "broken_quote")
    if any(cell.strip() for cell in record.cells[len(table.header) :]):
        raise _Bad("row", "too_many_columns")

    def cell(column: str) -> str:
        position = table.columns.get(column)
        if position is None or position >= len(record.cells):
            return ""
        return unescape_cell(record.cells[position].strip())

    name = cell("name")
    if not name:
        raise _Bad("name", "missing")
    if len(name) > 200:
        raise _Bad("name", "too_long")
    currency = None
    if cell("currency"):
        try:
            currency = validation.currency(cell("currency"))
        except InvalidInput as error:
            raise _Bad("currency", "unknown", cell("currency")) from error
    amount = None
    if cell("amount"):
        read = reader.amount(cell("amount"), currency or vocab.base_currency)
        if isinstance(read, str):
            raise _Bad("amount", read, cell("amount"))
        amount, read_currency = read
        if currency is not None and read_currency != currency:
            raise _Bad("currency", "conflict", read_currency)
        currency = read_currency
        try:
            validation.amount(amount)
        except InvalidInput as error:
            raise _Bad("amount", error.reason, cell("amount")) from error
    if not cell("close_date"):
        raise _Bad("close_date", "missing")
    close = reader.date(cell("close_date"))
    if isinstance(close, str):
        raise _Bad("close_date", close, cell("close_date"))
    try:
        validation.close_date(close)
    except InvalidInput as error:
        raise _Bad("close_date", "out_of_range", cell("close_date")) from error
    row = ImportRow(
        record.line, tuple(record.cells), name, close, currency or vocab.base_currency, amount
    )
    if cell("id"):
        digits = cell("id").lstrip("#")
        if not digits.isdigit() or len(digits) > 18:
            raise _Bad("id", "invalid", cell("id"))
        row.deal_id = int(digits)
    stage = vocab.default_stage
    if cell("stage"):
        found = vocab.stages.get(fold(cell("stage")))
        if found is None:
            raise _Bad("stage", "unknown", cell("stage"))
        row.stage_id, stage = found.id, found
    if cell("probability"):
        text = cell("probability").rstrip("%").strip()
        if not text.isdigit() or not 0 <= int(text) <= 100:
            raise _Bad("probability", "invalid", cell("probability"))
        # The stage's own probability is no override: the deal keeps following its stage.
        row.probability = None if int(text) == stage.probability else int(text)
    if cell("owner"):
        people = match_person(vocab.people, cell("owner"))
        if len(people) != 1:
            raise _Bad("owner", "unknown" if not people else "ambiguous", cell("owner"))
        row.owner_id = people[0].id
    row.account = _text("account", cell("account"), 200)
    row.contact = _text("contact", cell("contact"), 200)
    row.lost_reason = _text("lost_reason", cell("lost_reason"), 500)
    row.description = _text("description", cell("description"), 4000)
    _optional(row, record, vocab, cell, warnings)
    return row


def _optional(
    row: ImportRow,
    record: Record,
    vocab: Vocabulary,
    cell: Callable[[str], str],
    warnings: list[RowProblem],
) -> None:
    """Source, campaign, rating and type: matched leniently, else left out with a warning."""

    def unknown(column: str) -> None:
        warnings.append(
            RowProblem(record.line, tuple(record.cells), column, "unknown", cell(column), True)
        )

    if cell("source"):
        row.source_id = lenient_match(vocab.sources, cell("source"))
        if row.source_id is None:
            row.missing_source = _text("source", cell("source"), 200)
            unknown("source")
    if cell("campaign"):
        row.campaign = lenient_match(vocab.campaigns, cell("campaign"))
        if row.campaign is None:
            row.missing_campaign = _text("campaign", cell("campaign"), 200)
            unknown("campaign")
    if cell("rating"):
        row.rating = lenient_match(vocab.ratings, cell("rating"))
        if row.rating is None:
            unknown("rating")
    if cell("type"):
        row.deal_type = lenient_match(vocab.deal_types, cell("type"))
        if row.deal_type is None:
            unknown("type")


def check_rows(
    data: bytes, vocab: Vocabulary, reader: CellReader
) -> tuple[Table, list[ImportRow], list[RowProblem], list[RowProblem]]:
    """Read the file and check every row; pure, so it can run off the event loop.

    Returns the table, the valid rows, the rows' problems and the warnings about values
    left out of rows that are imported anyway.
    """
    table = read_table(data)
    rows: list[ImportRow] = []
    problems: list[RowProblem] = []
    warnings: list[RowProblem] = []
    seen: dict[object, int] = {}
    for record in table.records:
        row_warnings: list[RowProblem] = []
        try:
            row = _check(record, table, vocab, reader, row_warnings)
        except _Bad as bad:
            problems.append(
                RowProblem(record.line, tuple(record.cells), bad.column, bad.reason, bad.detail)
            )
            continue
        keys = [row.identity] + ([("id", row.deal_id)] if row.deal_id is not None else [])
        first = next((seen[key] for key in keys if key in seen), None)
        if first is not None:
            problems.append(RowProblem(row.line, row.cells, "row", "duplicate", str(first)))
            continue
        for key in keys:
            seen[key] = row.line
        rows.append(row)
        warnings += row_warnings
    return table, rows, problems, warnings


async def match_existing(uow: UnitOfWork, actor: Actor, rows: list[ImportRow]) -> dict[int, int]:
    """Line -> deal id for rows that are deals the actor can already see.

    A row is its ``id`` column's deal when that deal exists here; otherwise the deal with
    the same name, account and close date. Looked up a chunk of names at a time.
    """
    found: dict[int, int] = {}
    ids = [row.deal_id for row in rows if row.deal_id is not None]
    known: set[int] = set()
    for start in range(0, len(ids), _MATCH_CHUNK):
        chunk = ids[start : start + _MATCH_CHUNK]
        statement = select(Opportunity.id).where(
            Opportunity.id.in_(chunk),
            Opportunity.team_id == actor.team_id,
            visible(Opportunity, actor),
        )
        known.update((await uow.session.execute(statement)).scalars())
    rest = []
    for row in rows:
        if row.deal_id is not None and row.deal_id in known:
            found[row.line] = row.deal_id
        else:
            rest.append(row)
    names = sorted({row.identity[0] for row in rest})
    by_identity: dict[tuple[str, str, date], int] = {}
    for start in range(0, len(names), _MATCH_CHUNK):
        statement = (
            select(
                Opportunity.id,
                Opportunity.search_name,
                Account.search_name,
                Opportunity.close_date,
            )
            .outerjoin(Account, Account.id == Opportunity.account_id)
            .where(
                Opportunity.team_id == actor.team_id,
                visible(Opportunity, actor),
                Opportunity.search_name.in_(names[start : start + _MATCH_CHUNK]),
            )
            .order_by(Opportunity.id)
        )
        for ident, name, account, close in await uow.session.execute(statement):
            by_identity.setdefault((name, account or "", close), ident)
    for row in rest:
        if row.identity in by_identity:
            found[row.line] = by_identity[row.identity]
    return found


async def prepare_import(
    uow: UnitOfWork, actor: Actor, data: bytes, reader: CellReader
) -> ImportPlan:
    """Check every row of a deals CSV and find the rows that are deals already.

    Reading and checking run in a worker thread: a 10,000-row file must not hold up
    the other members' messages.

    Raises:
        Forbidden: the actor is not a manager.
        InvalidInput: the file as a whole cannot be read (``file``: ``encoding``,
            ``empty``, ``no_header``, ``missing_columns``).
    """
    if not actor.is_manager:
        raise Forbidden("import")
    vocab = await load_vocabulary(uow, actor, reader)
    # A big file takes seconds to check: no transaction stays open meanwhile.
    await uow.end_reading()
    table, rows, problems, warnings = await asyncio.to_thread(check_rows, data, vocab, reader)
    existing = await match_existing(uow, actor, rows)
    return ImportPlan(
        header=table.header,
        delimiter=table.delimiter,
        ignored_columns=table.ignored,
        rows_read=len(table.records),
        valid=rows,
        problems=sorted(problems, key=lambda problem: problem.line),
        existing=existing,
        warnings=warnings,
    )
