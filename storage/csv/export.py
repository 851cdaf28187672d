"""Writing deals CSV files: the export (which imports back unchanged) and the rejected rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel.numbers import get_currency_precision

from storage.actors import Actor
from storage.cards import deal_with_names
from storage.csv.imports import RowProblem
from storage.csv.table import COLUMNS, HEADERS, escape_cell
from storage.csv.xlsx import deals_xlsx
from storage.models import (
    Opportunity,
    Result,
)
from storage.permissions import visible
from storage.text import fold
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class ExportFilter:
    """Which of the visible deals to export; every field None exports them all."""

    owner_id: int | None = None
    result: Result | None = None
    close_from: date | None = None
    close_to: date | None = None
    text: str | None = None


def amount_text(minor_units: int, currency: str) -> str:
    """Plain digits with a "." before the currency's decimals ("1234.50", "50000000"): the
    one spelling every language's amount reader takes the same way."""
    return f"{Decimal(minor_units).scaleb(-get_currency_precision(currency)):f}"


async def export_rows(
    uow: UnitOfWork, actor: Actor, wanted: ExportFilter | None = None
) -> list[list[str]]:
    """One row of cells per deal the actor may see, in ``COLUMNS`` order, oldest first."""
    wanted = wanted or ExportFilter()
    statement = (
        deal_with_names()
        .where(visible(Opportunity, actor), Opportunity.team_id == actor.team_id)
        .order_by(Opportunity.id)
    )
    if wanted.owner_id is not None:
        statement = statement.where(Opportunity.owner_id == wanted.owner_id)
    if wanted.result is not None:
        statement = statement.where(Opportunity.result == wanted.result)
    # "Won this month" means won this month: closed deals are dated by the day they closed.
    closed = wanted.result in (Result.WON, Result.LOST)
    day = Opportunity.closed_on if closed else Opportunity.close_date
    if wanted.close_from is not None:
        statement = statement.where(day >= wanted.close_from)
    if wanted.close_to is not None:
        statement = statement.where(day <= wanted.close_to)
    if wanted.text:
        statement = statement.where(
            Opportunity.search_name.contains(fold(wanted.text), autoescape=True)
        )
    rows = []
    # Streamed in batches: 200,000 deals never sit in memory as ORM objects at once.
    result = await uow.session.stream(statement.execution_options(yield_per=2000))
    async for row in result:
        deal, names = row[0], row._mapping
        values = {
            "id": str(deal.id),
            "name": deal.name,
            "amount": amount_text(deal.amount, deal.currency),
            "currency": deal.currency,
            "close_date": deal.close_date.isoformat(),
            "stage": names["stage_name"],
            "probability": str(deal.probability),
            "owner": names["owner_name"],
            "account": names["account_name"],
            "contact": names["contact_name"],
            "campaign": names["campaign_name"],
            "source": names["source_name"],
            "rating": deal.rating.value if deal.rating else None,
            "type": deal.deal_type.value if deal.deal_type else None,
            "lost_reason": deal.lost_reason,
            "description": deal.description,
        }
        rows.append([escape_cell(values[column] or "") for column in COLUMNS])
    return rows


def _csv_bytes(header: list[str], rows: Iterable[list[str]], delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    # The byte-order mark makes spreadsheets read the file as UTF-8 (Vietnamese, Thai).
    return buffer.getvalue().encode("utf-8-sig")


def deals_csv(rows: Iterable[list[str]], language: str) -> bytes:
    """The export file: headers in ``language`` (en, vi or th), UTF-8 with a BOM."""
    headers = HEADERS.get(language, HEADERS["en"])
    return _csv_bytes([headers[column] for column in COLUMNS], rows)


def deals_workbook(rows: Iterable[list[str]], language: str) -> bytes:
    """The export file as an Excel workbook, headers in ``language``."""
    headers = HEADERS.get(language, HEADERS["en"])
    return deals_xlsx([headers[column] for column in COLUMNS], COLUMNS, rows)


async def export_csv(
    uow: UnitOfWork,
    actor: Actor,
    language: str,
    wanted: ExportFilter | None = None,
    *,
    xlsx: bool = False,
) -> tuple[bytes, int]:
    """The deals the actor may see as a CSV file (or a workbook), and how many rows."""
    rows = await export_rows(uow, actor, wanted)
    if xlsx:
        return deals_workbook(rows, language), len(rows)
    return deals_csv(rows, language), len(rows)


def rejected_csv(
    header: list[str],
    problems: Iterable[RowProblem],
    *,
    delimiter: str,
    reason_title: str,
    reason_text: Callable[[RowProblem], str],
) -> bytes:
    """The rows that were not imported, as written, with a last column saying why.

    Sent back ready to fix and import again: the reason column is not one the importer
    knows, so it is ignored then.
    """
    rows = []
    for problem in sorted(problems, key=lambda p: p.line):
        cells = list(problem.cells) + [""] * (len(header) - len(problem.cells))
        rows.append([*cells, reason_text(problem)])
    return _csv_bytes([*header, reason_title], rows, delimiter)
