"""Excel workbooks wherever a CSV is accepted, and /export xlsx."""

import io
import re
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from bot.i18n import translator
from storage.models import Opportunity, Source
from tests.e2e.people import manager_speaking

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEETS = {
    "vi": [
        ["Tên cơ hội", "Số tiền", "Ngày chốt dự kiến", "Nguồn"],
        ["Tủ lạnh Daikin", 50_000_000, datetime(2026, 12, 31), "Giới thiệu"],
        ["Máy lạnh", 1234, date(2027, 1, 15), "Không rõ"],
        ["", 100, date(2027, 1, 15), ""],
    ],
    "th": [
        ["ชื่อโอกาสขาย", "จำนวนเงิน", "สกุลเงิน", "วันที่คาดว่าจะปิด", "ที่มา"],
        ["ระบบ POS", 1234, "THB", datetime(2026, 12, 31, 9, 30), "referral"],
        ["แอร์", 750.5, "THB", date(2027, 3, 1), ""],
        ["", 100, "THB", date(2027, 1, 15), ""],
    ],
}


def workbook_bytes(rows, formula_at: str | None = None, formula: str = "") -> bytes:
    """A workbook as Excel saves it; ``formula_at`` ("B2") becomes a formula whose cached
    value is the number written there, as in a file saved by Excel."""
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if formula_at is None:
        return data
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                text = re.sub(
                    rf'(<c r="{formula_at}"[^>]*>)<v>',
                    rf"\1<f>{formula}</f><v>",
                    text,
                )
                content = text.encode()
            target.writestr(item, content)
    return out.getvalue()


async def _deals(uow_factory):
    async with uow_factory() as uow:
        statement = select(Opportunity, Source.name).outerjoin(
            Source, Source.id == Opportunity.source_id
        )
        return {deal.name: (deal, source) for deal, source in await uow.session.execute(statement)}


@pytest.mark.parametrize("language", ["vi", "th"])
async def test_a_workbook_imports_like_a_csv_with_preview_rejects_and_leniency(
    fake, now_app, seed, uow_factory, language
):
    t = translator(language)
    manager = await manager_speaking(fake, language)
    data = workbook_bytes(SHEETS[language], "B2", "B3*0+1234" if language == "th" else "25000000*2")
    await manager.send_document("deals.xlsx", data, XLSX_MIME)
    preview = manager.last_text()
    assert t._("Import preview") in preview
    assert t._("Rows that will not be imported") in preview  # the row without a name
    assert manager.messages[-2]["document"]["file_name"] == "rejected-rows.csv"
    assert await _deals(uow_factory) == {}
    await manager.click(t._("Import"))
    deals = await _deals(uow_factory)
    first, second = (SHEETS[language][1][0], SHEETS[language][2][0])
    assert set(deals) == {first, second}
    if language == "vi":
        assert (deals[first][0].amount, deals[first][0].close_date) == (
            50_000_000,
            date(2026, 12, 31),
        )
        assert deals[first][1] == "Referral" and deals[second][1] is None
    else:
        assert (deals[first][0].amount, deals[first][0].currency) == (123_400, "THB")
        assert deals[first][0].close_date == date(2026, 12, 31)
        assert deals[second][0].amount == 75_050


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_export_xlsx_writes_amounts_as_numbers_and_dates_as_dates(
    fake, now_app, seed, uow_factory, language
):
    manager = await manager_speaking(fake, language)
    await manager.send_document("deals.xlsx", workbook_bytes(SHEETS["vi"]), XLSX_MIME)
    await manager.click(translator(language)._("Import"))
    await manager.send("/export xlsx")
    document = manager.last_message()["document"]
    assert document["file_name"].endswith(".xlsx")
    book = load_workbook(io.BytesIO(fake.files.get(document["file_id"]).content))
    rows = list(book.active.iter_rows(values_only=True))
    header = rows[0]
    daikin = next(row for row in rows if row[header.index(rows[0][1])] == "Tủ lạnh Daikin")
    amount = daikin[2]
    close = daikin[4]
    assert amount == 50_000_000 and isinstance(amount, int)
    assert isinstance(close, datetime) and close.date() == date(2026, 12, 31)
    # The workbook reads back as nothing new.
    await manager.send_document(
        "export.xlsx", fake.files.get(document["file_id"]).content, XLSX_MIME
    )
    assert (
        translator(language)
        .n_(
            "{n} valid row is a deal that is already here: skip it or update it.",
            "{n} valid rows are deals that are already here: skip them or update them.",
            2,
        )
        .format(n=2)
        in manager.last_text()
    )
