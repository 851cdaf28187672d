"""The importer never drops a deal for an optional field it cannot match."""

import csv
import io
from datetime import date

from sqlalchemy import select

from bot.i18n import translator
from storage.models import Campaign, DealType, Opportunity, Rating, Source
from tests.e2e.people import manager_speaking

BOM = "\ufeff"
VIETNAMESE = BOM + (
    "Tên cơ hội;Số tiền;Ngày chốt dự kiến;Nguồn;Chiến dịch;Đánh giá;Loại\n"
    "Tủ lạnh Daikin;50tr;31/12/2026;Giới thiệu;;NÓNG;khách hàng mới\n"
    "Máy lạnh;120.000.000;15/01/2027;gioi thieu;Hội chợ Xuân;ấm;\n"
    "Phần mềm kế toán;1,5 tỷ;31 tháng 1 2027;Quảng cáo Zalo;;trung bình;đối tác\n"
)
ENGLISH = (
    "Name,Amount,Close date,Source,Campaign,Rating,Type\n"
    "Acme ERP,5000,31/12/2026,REFERRAL,,Hot,existing customer\n"
    "Beta CRM,1.2m,15/01/2027,Trade show,Spring fair,boiling,\n"
)


async def _deals(uow_factory):
    async with uow_factory() as uow:
        statement = (
            select(Opportunity, Source.name, Campaign.name)
            .outerjoin(Source, Source.id == Opportunity.source_id)
            .outerjoin(Campaign, Campaign.id == Opportunity.campaign_id)
        )
        return {
            deal.name: (deal, source, campaign)
            for deal, source, campaign in await uow.session.execute(statement)
        }


async def _upload(fake, language: str, filename: str, text: str):
    """The manager, speaking ``language``, having sent ``text`` as a CSV file: the preview."""
    manager = await manager_speaking(fake, language)
    await manager.send_document(filename, text.encode(), "text/csv")
    return manager, manager.last_text()


def _press(user, label):
    return user.click(label)


async def test_a_vietnamese_file_imports_every_row_with_a_name_amount_and_date(
    fake, now_app, seed, uow_factory
):
    t = translator("vi")
    manager, preview = await _upload(fake, "vi", "khach-hang.csv", VIETNAMESE)
    assert t._("Rows that will not be imported") not in preview
    assert "Quảng cáo Zalo" in preview and "Hội chợ Xuân" in preview
    rejected = manager.messages[-2]
    rows = list(
        csv.reader(
            io.StringIO(
                fake.files.get(rejected["document"]["file_id"]).content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    # Row 3's campaign, row 4's source, rating and type: warnings, not rejections.
    assert [row[0] for row in rows[1:]] == ["Máy lạnh", *["Phần mềm kế toán"] * 3]
    await manager.click(t._("Import"))
    deals = await _deals(uow_factory)
    assert set(deals) == {"Tủ lạnh Daikin", "Máy lạnh", "Phần mềm kế toán"}
    daikin, source, _ = deals["Tủ lạnh Daikin"]
    assert source == "Referral"  # the team's "Được giới thiệu", stored under its code
    assert (daikin.rating, daikin.deal_type) == (Rating.HOT, DealType.NEW_CUSTOMER)
    assert deals["Máy lạnh"][1] == "Referral" and deals["Máy lạnh"][2] is None
    software, source, _ = deals["Phần mềm kế toán"]
    assert (software.amount, software.close_date) == (1_500_000_000, date(2027, 1, 31))
    assert (source, software.rating, software.deal_type) == (None, None, None)


async def test_a_manager_may_add_the_missing_sources_and_campaigns(
    fake, now_app, seed, uow_factory
):
    t = translator("en")
    manager, preview = await _upload(fake, "en", "deals.csv", ENGLISH)
    assert "“Trade show”" in preview and "“Spring fair”" in preview
    await manager.click(t._("Import and add the missing sources and campaigns"))
    deals = await _deals(uow_factory)
    assert deals["Acme ERP"][1] == "Referral"
    assert deals["Acme ERP"][0].deal_type is DealType.EXISTING_CUSTOMER
    beta, source, campaign = deals["Beta CRM"]
    assert (source, campaign, beta.rating) == ("Trade show", "Spring fair", None)
