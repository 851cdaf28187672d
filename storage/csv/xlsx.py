"""Excel workbooks: read as the CSV the importer knows, and the export written as one."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from storage.errors import InvalidInput

ZIP_MAGIC = b"PK\x03\x04"
# Column name -> how the export writes it: numbers and dates as the cell types they are.
_INTEGERS = ("id", "probability")
_AMOUNTS = ("amount",)
_DATES = ("close_date",)


def is_xlsx(data: bytes) -> bool:
    """An Excel workbook (a zip holding xl/workbook.xml), not a CSV."""
    if not data.startswith(ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _text(value: object) -> str:
    """A cell's value as the CSV importer reads it: dates ISO, numbers plain digits."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, datetime):
        # A close date typed with a time (or a time zone's midnight) is still that day.
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        number = Decimal(repr(value))
        return (
            f"{number.quantize(Decimal(1)):f}"
            if number == number.to_integral_value()
            else f"{number:f}"
        )
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def xlsx_to_csv(data: bytes) -> bytes:
    """The first sheet as UTF-8 CSV: formulas as their last computed values, formatted
    cells as the values under the format. Read-only, so a big sheet is streamed.

    Raises:
        InvalidInput: (``file``, ``encoding``) when the workbook cannot be opened.
    """
    # openpyxl (with numpy and Pillow when present) costs the bot about 25 MB: it is
    # loaded only when a workbook arrives or is asked for.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise InvalidInput("file", "encoding") from error
    try:
        sheet = workbook.worksheets[0]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for row in sheet.iter_rows(values_only=True):
            cells = [_text(value) for value in row]
            while cells and not cells[-1].strip():
                cells.pop()
            writer.writerow(cells)
    finally:
        workbook.close()
    return buffer.getvalue().encode("utf-8")


def _typed(column: str, text: str) -> object:
    if not text:
        return None
    if column in _INTEGERS and text.isdigit():
        return int(text)
    if column in _AMOUNTS:
        number = Decimal(text)
        return int(number) if number == number.to_integral_value() else number
    if column in _DATES:
        return date.fromisoformat(text)
    return text


def deals_xlsx(header: list[str], columns: Iterable[str], rows: Iterable[list[str]]) -> bytes:
    """The export as a workbook: amounts as numbers, close dates as dates."""
    from openpyxl import Workbook

    columns = list(columns)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Deals")
    sheet.append(header)
    for row in rows:
        sheet.append([_typed(column, text) for column, text in zip(columns, row, strict=False)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
