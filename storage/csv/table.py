"""Reading a deals CSV: encoding, separator, records line by line, headers in en, vi or th."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from storage.csv.xlsx import is_xlsx, xlsx_to_csv
from storage.errors import InvalidInput
from storage.text import fold

# The columns a deals file may have, in the order an export writes them.
COLUMNS = (
    "id",
    "name",
    "amount",
    "currency",
    "close_date",
    "stage",
    "probability",
    "owner",
    "account",
    "contact",
    "campaign",
    "source",
    "rating",
    "type",
    "lost_reason",
    "description",
)
REQUIRED = ("name", "close_date")

# What an export writes in each language; also read back on import.
HEADERS: dict[str, dict[str, str]] = {
    "en": {
        "id": "ID",
        "name": "Name",
        "amount": "Amount",
        "currency": "Currency",
        "close_date": "Close date",
        "stage": "Stage",
        "probability": "Probability",
        "owner": "Owner",
        "account": "Account",
        "contact": "Contact",
        "campaign": "Campaign",
        "source": "Source",
        "rating": "Rating",
        "type": "Type",
        "lost_reason": "Lost reason",
        "description": "Description",
    },
    "vi": {
        "id": "Mã",
        "name": "Tên cơ hội",
        "amount": "Số tiền",
        "currency": "Tiền tệ",
        "close_date": "Ngày chốt dự kiến",
        "stage": "Giai đoạn",
        "probability": "Xác suất",
        "owner": "Người phụ trách",
        "account": "Công ty",
        "contact": "Người liên hệ",
        "campaign": "Chiến dịch",
        "source": "Nguồn",
        "rating": "Độ nóng",
        "type": "Loại khách hàng",
        "lost_reason": "Lý do thua",
        "description": "Mô tả",
    },
    "th": {
        "id": "รหัส",
        "name": "ชื่อโอกาสขาย",
        "amount": "จำนวนเงิน",
        "currency": "สกุลเงิน",
        "close_date": "วันที่คาดว่าจะปิด",
        "stage": "ขั้นตอน",
        "probability": "ความน่าจะเป็น",
        "owner": "ผู้รับผิดชอบ",
        "account": "บริษัท",
        "contact": "ผู้ติดต่อ",
        "campaign": "แคมเปญ",
        "source": "แหล่งที่มา",
        "rating": "ระดับความสนใจ",
        "type": "ประเภท",
        "lost_reason": "เหตุผลที่แพ้",
        "description": "รายละเอียด",
    },
}
# Other headers people write for the same columns.
_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("deal id", "opportunity id", "#", "mã cơ hội", "id cơ hội", "รหัสดีล"),
    "name": (
        "deal",
        "deal name",
        "opportunity",
        "opportunity name",
        "tên",
        "cơ hội",
        "tên deal",
        "ชื่อ",
        "ชื่อดีล",
        "ดีล",
        "โอกาสขาย",
    ),
    "amount": ("value", "deal value", "giá trị", "mức tiền", "มูลค่า", "ยอดเงิน"),
    "currency": ("loại tiền", "đơn vị tiền", "สกุล"),
    "close_date": (
        "close",
        "expected close",
        "expected close date",
        "closing date",
        "ngày chốt",
        "ngày đóng",
        "ngày dự kiến",
        "วันปิด",
        "วันปิดการขาย",
        "วันที่ปิด",
    ),
    "stage": ("pipeline stage", "sales stage", "trạng thái", "ขั้น"),
    "probability": ("probability %", "%", "tỷ lệ", "tỉ lệ", "โอกาส %"),
    "owner": ("rep", "sales rep", "assigned to", "phụ trách", "nhân viên", "เจ้าของ", "พนักงานขาย"),
    "account": ("company", "account name", "khách hàng", "tài khoản", "ลูกค้า", "บัญชี"),
    "contact": ("contact name", "liên hệ", "ติดต่อ"),
    "campaign": ("marketing campaign", "ชื่อแคมเปญ"),
    "source": ("lead source", "nguồn khách", "ที่มา"),
    "rating": ("mức độ", "đánh giá", "ระดับ"),
    "type": ("deal type", "loại", "loại cơ hội", "ประเภทดีล"),
    "lost_reason": ("reason lost", "loss reason", "lý do mất", "เหตุผลที่เสีย"),
    "description": ("notes", "note", "ghi chú", "หมายเหตุ"),
}
# A quoted field spanning more lines than this is taken for a quote left open.
MAX_RECORD_LINES = 50
# The csv module refuses a cell over 131,072 characters with an error that reads like a
# broken quote. Any cell of a file the bot accepts may be read whole (the limit is
# per process, and nothing else here reads CSV), so a too-long cell is reported as
# too long by the column's own check.
csv.field_size_limit(max(csv.field_size_limit(), 32 * 1024 * 1024))
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_NOT_WORD = re.compile(r"[\W_]+")


# Spreadsheets run a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@")


def escape_cell(text: str) -> str:
    """Keep a spreadsheet from running a name like "=HYPERLINK(...)" as a formula.

    A text that already looks escaped ("'=x") gets one more quote, so that
    ``unescape_cell`` gives back exactly what was written.
    """
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    if text.startswith("'") and text[1:2] and text[1:2] in (*_FORMULA_START, "'"):
        return "'" + text
    return text


def unescape_cell(text: str) -> str:
    """Undo ``escape_cell``, so an export reads back as it was."""
    if text.startswith("'") and text[1:2] and text[1:2] in (*_FORMULA_START, "'"):
        return text[1:]
    return text


def _is_number(text: str) -> bool:
    return re.fullmatch(r"[-+]?\d+(?:[.,]\d+)*", text) is not None


def header_key(text: str) -> str:
    """What two spellings of one header share: "Close date", "close_date", "CLOSE-DATE"."""
    folded = fold(text)
    return _NOT_WORD.sub("", folded) or folded.replace(" ", "")


def _header_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for column in COLUMNS:
        names = [HEADERS[lang][column] for lang in HEADERS] + [column, *_ALIASES.get(column, ())]
        for name in names:
            key = header_key(name)
            if table.setdefault(key, column) != column:
                raise RuntimeError(f"header {name!r} names both {table[key]} and {column}")
    return table


HEADER_TABLE = _header_table()


@dataclass(frozen=True, slots=True)
class Record:
    """One row of the file: the line it starts on and its cells as written."""

    line: int
    cells: list[str]
    broken: bool = False  # a quote left open or misplaced: ``cells`` is the raw line, split


@dataclass
class Table:
    header: list[str]
    delimiter: str
    # Column name -> position in a row.
    columns: dict[str, int]
    ignored: list[str]
    records: list[Record] = field(default_factory=list)


def decode(data: bytes) -> str:
    """UTF-8, with or without a byte-order mark.

    Raises:
        InvalidInput: (``file``, ``encoding``) or (``file``, ``empty``).
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput("file", "encoding") from error
    if "\x00" in text:
        raise InvalidInput("file", "encoding")
    if not text.strip():
        raise InvalidInput("file", "empty")
    return text


def _delimiter(first_line: str) -> str:
    outside_quotes = re.sub(r'"[^"]*"', "", first_line)
    counts = {mark: outside_quotes.count(mark) for mark in (",", ";", "\t")}
    best = max(counts, key=lambda mark: counts[mark])
    return best if counts[best] else ","


def _parse(text: str, delimiter: str) -> tuple[list[str] | None, bool]:
    """(cells, open_quote): cells None when the text is not one well-formed record."""
    try:
        return next(csv.reader([text], delimiter=delimiter, strict=True), []), False
    except csv.Error as error:
        return None, "unexpected end of data" in str(error)


def _records(lines: list[str], delimiter: str, width: int | None) -> Iterator[Record]:
    """Records line by line, so that one stray quote spoils its own line and no other."""
    index = 0
    while index < len(lines):
        start = index
        text = lines[index]
        cells, open_quote = _parse(text, delimiter)
        while cells is None and open_quote and index + 1 < len(lines):
            if index - start + 1 >= MAX_RECORD_LINES:
                break
            index += 1
            text += "\n" + lines[index]
            cells, open_quote = _parse(text, delimiter)
        spans = index > start
        # A quote left open swallows rows until a quote is misplaced; a real multi-line
        # field closes cleanly and leaves no more cells than the header has.
        if cells is not None and (not spans or width is None or len(cells) <= width):
            if any(cell.strip() for cell in cells):
                yield Record(start + 1, cells)
            index += 1
            continue
        raw = lines[start]
        yield Record(start + 1, raw.replace('"', "").split(delimiter), broken=True)
        index = start + 1


def read_table(data: bytes) -> Table:
    """Split a CSV file (or an Excel workbook's first sheet) into its header and records,
    and say which column is which.

    Raises:
        InvalidInput: (``file``, ``encoding`` | ``empty`` | ``no_header``) or
            (``file``, ``missing_columns``, columns=[...]) when name or close date is absent.
    """
    if is_xlsx(data):
        data = xlsx_to_csv(data)
    lines = _LINE_BREAK.split(decode(data))
    skipped = 0
    while lines and not lines[0].strip():
        lines.pop(0)
        skipped += 1
    delimiter = _delimiter(lines[0])
    header, _ = _parse(lines[0], delimiter)
    if not header:
        raise InvalidInput("file", "no_header")
    columns: dict[str, int] = {}
    ignored = []
    for position, title in enumerate(header):
        column = HEADER_TABLE.get(header_key(title))
        if column is None or column in columns:
            if title.strip():
                ignored.append(title.strip())
            continue
        columns[column] = position
    missing = [column for column in REQUIRED if column not in columns]
    if missing:
        raise InvalidInput("file", "missing_columns", columns=missing)
    records = [
        Record(record.line + 1 + skipped, record.cells, record.broken)
        for record in _records(lines[1:], delimiter, len(header))
    ]
    return Table(header, delimiter, columns, ignored, records)
