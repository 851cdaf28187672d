"""One-line quick-create and lead lines, as reps type them in each language."""

import json
from datetime import date

import pytest

from bot.parsing import (
    DealLineParse,
    FieldAmbiguity,
    FieldError,
    LeadLineParse,
    ParseError,
    parse_deal_line,
    parse_email,
    parse_lead_line,
    parse_phone,
    to_json_dict,
)
from tests.money import thb, usd, vnd

WEDNESDAY = date(2026, 6, 10)
APRIL_29 = date(2026, 4, 29)  # across a month's end
DECEMBER_30 = date(2026, 12, 30)  # across the year's end
CURRENCY = {"vi": "VND", "th": "THB", "en": "USD"}
STAGES = [
    (1, ["Prospecting", "Tìm kiếm", "ค้นหา"]),
    (2, ["Qualification", "Đánh giá", "คัดกรอง"]),
    (3, ["Proposal", "Đề xuất", "เสนอราคา"]),
    (4, ["Negotiation", "Đàm phán", "เจรจา"]),
    (5, ["Closed won", "Thắng", "ปิดการขายได้"]),
    (6, ["Closed lost", "Thua", "ปิดการขายไม่ได้"]),
]


def d(year: int, month: int, day: int) -> date:
    return date(year, month, day)


def deal(name: str, **fields) -> DealLineParse:
    return DealLineParse(name=name, **fields)


def ambiguous(field: str, texts: tuple[str, ...], *candidates) -> tuple[FieldAmbiguity]:
    return (FieldAmbiguity(field, texts, candidates),)


def error(field: str, text: str, code: str, value=None) -> tuple[FieldError]:
    return (FieldError(field, text, code, value),)


VIETNAMESE = [
    (
        WEDNESDAY,
        "/new Acme ERP 50tr 31/12 hot @Acme +Lan #Tet2027 proposal",
        deal(
            "Acme ERP",
            amount=vnd(50_000_000),
            close_date=d(2026, 12, 31),
            rating="hot",
            stage_id=3,
            account="Acme",
            contact="Lan",
            campaign="Tet2027",
        ),
    ),
    (
        WEDNESDAY,
        '/new Hệ thống ERP 1,5 tỷ cuối tháng nóng @"Công ty ABC" đề xuất',
        deal(
            "Hệ thống ERP",
            amount=vnd(1_500_000_000),
            close_date=d(2026, 6, 30),
            rating="hot",
            stage_id=3,
            account="Công ty ABC",
        ),
    ),
    (
        WEDNESDAY,
        "/new Phần mềm kế toán 50.000.000đ 15/7 ấm",
        deal("Phần mềm kế toán", amount=vnd(50_000_000), close_date=d(2026, 7, 15), rating="warm"),
    ),
    (
        WEDNESDAY,
        "/new Website Minh Long 120 triệu 2 tuần nữa lạnh",
        deal(
            "Website Minh Long",
            amount=vnd(120_000_000),
            close_date=d(2026, 6, 24),
            rating="cold",
        ),
    ),
    (
        WEDNESDAY,
        "/new CRM Vinamilk 1 tỷ 200 triệu thứ 6 tuần sau @Vinamilk",
        deal(
            "CRM Vinamilk",
            amount=vnd(1_200_000_000),
            close_date=d(2026, 6, 19),
            account="Vinamilk",
        ),
    ),
    (
        WEDNESDAY,
        "/new Bảo trì server 2tr5 ngày mai",
        deal("Bảo trì server", amount=vnd(2_500_000), close_date=d(2026, 6, 11)),
    ),
    (
        WEDNESDAY,
        "/new Dự án ABC 1.5tr hôm nay",
        deal("Dự án ABC", amount=vnd(1_500_000), close_date=WEDNESDAY),
    ),
    (
        WEDNESDAY,
        "/new Lap dat camera 30 trieu cuoi thang",
        deal("Lap dat camera", amount=vnd(30_000_000), close_date=d(2026, 6, 30)),
    ),
    (
        WEDNESDAY,
        "/new Hợp đồng bảo hiểm 1,2 ty 31/12/2026 dam phan",
        deal(
            "Hợp đồng bảo hiểm",
            amount=vnd(1_200_000_000),
            close_date=d(2026, 12, 31),
            stage_id=4,
        ),
    ),
    (
        APRIL_29,
        "/new Đơn hàng Hòa Phát 500tr cuối tháng sau",
        deal("Đơn hàng Hòa Phát", amount=vnd(500_000_000), close_date=d(2026, 5, 31)),
    ),
    (
        APRIL_29,
        "/new Gói tư vấn 80tr tháng sau +Hùng",
        deal("Gói tư vấn", amount=vnd(80_000_000), close_date=d(2026, 5, 31), contact="Hùng"),
    ),
    (
        APRIL_29,
        "/new Phần mềm HR 45tr 3/5 đánh giá",
        deal("Phần mềm HR", amount=vnd(45_000_000), close_date=d(2026, 5, 3), stage_id=2),
    ),
    (
        APRIL_29,
        "/new In ấn tờ rơi 15tr 5 ngày nữa",
        deal("In ấn tờ rơi", amount=vnd(15_000_000), close_date=d(2026, 5, 4)),
    ),
    (
        DECEMBER_30,
        "/new Gia hạn license 200tr 5/1",
        deal("Gia hạn license", amount=vnd(200_000_000), close_date=d(2027, 1, 5)),
    ),
    (
        DECEMBER_30,
        "/new Triển khai ERP 3 tỷ cuối quý sau",
        deal("Triển khai ERP", amount=vnd(3_000_000_000), close_date=d(2027, 3, 31)),
    ),
    (
        DECEMBER_30,
        "/new Nâng cấp mạng 75tr thứ hai tới",
        deal("Nâng cấp mạng", amount=vnd(75_000_000), close_date=d(2027, 1, 4)),
    ),
    (
        DECEMBER_30,
        "/new Tủ lạnh công nghiệp 90tr 2 tuần nữa",
        deal("Tủ lạnh công nghiệp", amount=vnd(90_000_000), close_date=d(2027, 1, 13)),
    ),
    (
        WEDNESDAY,
        "/new Máy lạnh Daikin 300 triệu 20/8 nóng",
        deal("Máy lạnh Daikin", amount=vnd(300_000_000), close_date=d(2026, 8, 20), rating="hot"),
    ),
    (
        WEDNESDAY,
        "/new Mai Linh CRM 20tr mai",
        deal("Mai Linh CRM", amount=vnd(20_000_000), close_date=d(2026, 6, 11)),
    ),
    (
        WEDNESDAY,
        "/new Phase 2 50000000",
        deal(
            "Phase 2 50000000",
            ambiguities=ambiguous("amount", ("2", "50000000"), vnd(2), vnd(50_000_000), None),
        ),
    ),
    (
        WEDNESDAY,
        "/new Acme 50tr 60tr",
        deal(
            "Acme",
            ambiguities=ambiguous("amount", ("50tr", "60tr"), vnd(50_000_000), vnd(60_000_000)),
        ),
    ),
    (
        WEDNESDAY,
        "/new Acme 50tr 31/12 1/1",
        deal(
            "Acme",
            amount=vnd(50_000_000),
            ambiguities=ambiguous("close_date", ("31/12", "1/1"), d(2026, 12, 31), d(2027, 1, 1)),
        ),
    ),
    (
        WEDNESDAY,
        "/new Thiết bị y tế 1.234 tr",
        deal(
            "Thiết bị y tế",
            ambiguities=ambiguous("amount", ("1.234 tr",), vnd(1_234_000_000), vnd(1_234_000)),
        ),
    ),
    (
        WEDNESDAY,
        "/new Dự án cũ 10tr 1/1/2026",
        deal(
            "Dự án cũ",
            amount=vnd(10_000_000),
            errors=error("close_date", "1/1/2026", "past", d(2026, 1, 1)),
        ),
    ),
    (
        WEDNESDAY,
        "/new Hợp đồng 5tr 31/02",
        deal(
            "Hợp đồng",
            amount=vnd(5_000_000),
            errors=error("close_date", "31/02", "impossible_date"),
        ),
    ),
    (
        WEDNESDAY,
        "/new Hoàn tiền -5tr",
        deal("Hoàn tiền", errors=error("amount", "-5tr", "negative")),
    ),
    (
        WEDNESDAY,
        "/new Camera 2.000 USD 15/8 thắng",
        deal("Camera", amount=usd(2000), close_date=d(2026, 8, 15), stage_id=5),
    ),
    (
        WEDNESDAY,
        "/new Server Dell 1 triệu rưỡi thứ sáu này",
        deal("Server Dell", amount=vnd(1_500_000), close_date=d(2026, 6, 12)),
    ),
    (
        WEDNESDAY,
        "/new Phần mềm POS 500k 2 tuần nữa #KM2026",
        deal("Phần mềm POS", amount=vnd(500_000), close_date=d(2026, 6, 24), campaign="KM2026"),
    ),
    (
        WEDNESDAY,
        "/new Đào tạo nhân viên 80 tr 31 tháng 12 ấm tìm kiếm",
        deal(
            "Đào tạo nhân viên",
            amount=vnd(80_000_000),
            close_date=d(2026, 12, 31),
            rating="warm",
            stage_id=1,
        ),
    ),
    (
        WEDNESDAY,
        '/new Hội thảo 12 triệu ngày 15/7 @"Cty Bình Minh" +Trang',
        deal(
            "Hội thảo",
            amount=vnd(12_000_000),
            close_date=d(2026, 7, 15),
            account="Cty Bình Minh",
            contact="Trang",
        ),
    ),
    (
        WEDNESDAY,
        "/new Xe tải Hino 1tỷ2 cuối năm nóng",
        deal("Xe tải Hino", amount=vnd(1_200_000_000), close_date=d(2026, 12, 31), rating="hot"),
    ),
    (
        WEDNESDAY,
        "/new Thiết kế logo 5tr nóng lạnh",
        deal(
            "Thiết kế logo",
            amount=vnd(5_000_000),
            ambiguities=ambiguous("rating", ("nóng", "lạnh"), "hot", "cold"),
        ),
    ),
    (
        WEDNESDAY,
        "/new Bàn ghế văn phòng 25tr thua",
        deal("Bàn ghế văn phòng", amount=vnd(25_000_000), stage_id=6),
    ),
]

ENGLISH = [
    (
        WEDNESDAY,
        "/new Acme ERP 50k 31/12 hot @Acme +John #Q4Push proposal",
        deal(
            "Acme ERP",
            amount=usd(50_000),
            close_date=d(2026, 12, 31),
            rating="hot",
            stage_id=3,
            account="Acme",
            contact="John",
            campaign="Q4Push",
        ),
    ),
    (
        WEDNESDAY,
        "/new Website redesign $5,000 next month warm",
        deal("Website redesign", amount=usd(5000), close_date=d(2026, 7, 31), rating="warm"),
    ),
    (
        WEDNESDAY,
        "/new Cloud migration 1.2m end of quarter",
        deal("Cloud migration", amount=usd(1_200_000), close_date=d(2026, 6, 30)),
    ),
    (
        WEDNESDAY,
        "/new Security audit 25k in 2 weeks cold",
        deal("Security audit", amount=usd(25_000), close_date=d(2026, 6, 24), rating="cold"),
    ),
    (
        WEDNESDAY,
        "/new Data center 2bn 2026-12-31 negotiation",
        deal("Data center", amount=usd(2_000_000_000), close_date=d(2026, 12, 31), stage_id=4),
    ),
    (
        WEDNESDAY,
        "/new Laptops for Globex 75,000 USD tomorrow @Globex",
        deal(
            "Laptops for Globex",
            amount=usd(75_000),
            close_date=d(2026, 6, 11),
            account="Globex",
        ),
    ),
    (
        WEDNESDAY,
        "/new Support renewal 12k friday next week",
        deal("Support renewal", amount=usd(12_000), close_date=d(2026, 6, 19)),
    ),
    (
        WEDNESDAY,
        "/new CRM licences 30k next monday qual",
        deal("CRM licences", amount=usd(30_000), close_date=d(2026, 6, 15), stage_id=2),
    ),
    (
        WEDNESDAY,
        "/new Training 8k Dec 31, 2026 warm",
        deal("Training", amount=usd(8000), close_date=d(2026, 12, 31), rating="warm"),
    ),
    (
        WEDNESDAY,
        "/new Printers 3 million 31 December 2026",
        deal("Printers", amount=usd(3_000_000), close_date=d(2026, 12, 31)),
    ),
    (
        WEDNESDAY,
        "/new Hot Pot Restaurant POS 15k 1/8",
        deal("Hot Pot Restaurant POS", amount=usd(15_000), close_date=d(2026, 8, 1)),
    ),
    (
        WEDNESDAY,
        "/new Cold storage 400k end of month hot",
        deal("Cold storage", amount=usd(400_000), close_date=d(2026, 6, 30), rating="hot"),
    ),
    (
        WEDNESDAY,
        "/new Acme pro 5k",
        deal(
            "Acme",
            amount=usd(5000),
            ambiguities=ambiguous("stage_id", ("pro",), 1, 3),
        ),
    ),
    (
        WEDNESDAY,
        "/new Acme closed won 50k today",
        deal("Acme", amount=usd(50_000), close_date=WEDNESDAY, stage_id=5),
    ),
    (
        WEDNESDAY,
        "/new Acme closed 50k",
        deal("Acme", amount=usd(50_000), ambiguities=ambiguous("stage_id", ("closed",), 5, 6)),
    ),
    (
        WEDNESDAY,
        "/new Consulting 50k 60k",
        deal(
            "Consulting",
            ambiguities=ambiguous("amount", ("50k", "60k"), usd(50_000), usd(60_000)),
        ),
    ),
    (
        WEDNESDAY,
        "/new Old deal 5k 1/1/2026",
        deal(
            "Old deal",
            amount=usd(5000),
            errors=error("close_date", "1/1/2026", "past", d(2026, 1, 1)),
        ),
    ),
    (
        WEDNESDAY,
        "/new Refund -500",
        deal("Refund", errors=error("amount", "-500", "negative")),
    ),
    (
        DECEMBER_30,
        "/new Annual licence 120k next month",
        deal("Annual licence", amount=usd(120_000), close_date=d(2027, 1, 31)),
    ),
    (
        DECEMBER_30,
        "/new Hardware refresh 80k in 3 days",
        deal("Hardware refresh", amount=usd(80_000), close_date=d(2027, 1, 2)),
    ),
    (
        DECEMBER_30,
        "/new Promo bundle 10k 5/1",
        deal("Promo bundle", amount=usd(10_000), close_date=d(2027, 1, 5)),
    ),
    (
        DECEMBER_30,
        "/new Network upgrade 60k next friday",
        deal(
            "Network upgrade",
            amount=usd(60_000),
            ambiguities=ambiguous("close_date", ("next friday",), d(2027, 1, 1), d(2027, 1, 8)),
        ),
    ),
    (
        DECEMBER_30,
        "/new Office move 20k end of next quarter",
        deal("Office move", amount=usd(20_000), close_date=d(2027, 3, 31)),
    ),
    (
        APRIL_29,
        "/new Payroll system 45k end of month",
        deal("Payroll system", amount=usd(45_000), close_date=d(2026, 4, 30)),
    ),
    (
        APRIL_29,
        "/new Analytics 90k in 1 week",
        deal("Analytics", amount=usd(90_000), close_date=d(2026, 5, 6)),
    ),
    (
        APRIL_29,
        "/new Kiosk rollout 1.5m 3 May",
        deal("Kiosk rollout", amount=usd(1_500_000), close_date=d(2026, 5, 3)),
    ),
    (
        WEDNESDAY,
        "/new Fleet tracking THB1,234.50 tomorrow",
        deal("Fleet tracking", amount=thb(1234.50), close_date=d(2026, 6, 11)),
    ),
    (
        WEDNESDAY,
        '/new Marketing 50k eom @"Acme Corp" +"Jane Doe"',
        deal(
            "Marketing",
            amount=usd(50_000),
            close_date=d(2026, 6, 30),
            account="Acme Corp",
            contact="Jane Doe",
        ),
    ),
    (
        WEDNESDAY,
        "/new Phone system $1,500 15/7 prospecting",
        deal("Phone system", amount=usd(1500), close_date=d(2026, 7, 15), stage_id=1),
    ),
    (
        WEDNESDAY,
        "/new ERP 2 50k",
        deal("ERP 2", amount=usd(50_000)),
    ),
    (
        WEDNESDAY,
        "/new Server racks 1.234m 10/10",
        deal("Server racks", amount=usd(1_234_000), close_date=d(2026, 10, 10)),
    ),
    (
        WEDNESDAY,
        "/new Cameras 25k 31/02",
        deal(
            "Cameras",
            amount=usd(25_000),
            errors=error("close_date", "31/02", "impossible_date"),
        ),
    ),
    (
        WEDNESDAY,
        "/new Licences 5k on 20 Aug closed lost",
        deal("Licences", amount=usd(5000), close_date=d(2026, 8, 20), stage_id=6),
    ),
]

THAI = [
    (
        WEDNESDAY,
        "/new ระบบ ERP 1.2 ล้าน 31 ธ.ค. 2569 ร้อน @ACME เสนอ",
        deal(
            "ระบบ ERP",
            amount=thb(1_200_000),
            close_date=d(2026, 12, 31),
            rating="hot",
            stage_id=3,
            account="ACME",
        ),
    ),
    (
        WEDNESDAY,
        "/new ซอฟต์แวร์บัญชี 5 แสน สิ้นเดือน อุ่น",
        deal("ซอฟต์แวร์บัญชี", amount=thb(500_000), close_date=d(2026, 6, 30), rating="warm"),
    ),
    (
        WEDNESDAY,
        "/new กล้องวงจรปิด 3 หมื่น พรุ่งนี้ เย็น",
        deal("กล้องวงจรปิด", amount=thb(30_000), close_date=d(2026, 6, 11), rating="cold"),
    ),
    (
        WEDNESDAY,
        "/new เว็บไซต์ 5 พัน วันนี้",
        deal("เว็บไซต์", amount=thb(5000), close_date=WEDNESDAY),
    ),
    (
        WEDNESDAY,
        "/new ระบบ CRM 2 ล้าน 5 แสน อีก 2 สัปดาห์ @บริษัทเอบีซี",
        deal(
            "ระบบ CRM",
            amount=thb(2_500_000),
            close_date=d(2026, 6, 24),
            account="บริษัทเอบีซี",
        ),
    ),
    (
        WEDNESDAY,
        "/new ที่ปรึกษา 1.5 พันล้าน สิ้นไตรมาส",
        deal("ที่ปรึกษา", amount=thb(1_500_000_000), close_date=d(2026, 6, 30)),
    ),
    (
        WEDNESDAY,
        "/new งานติดตั้ง 80,000 บาท 15/7",
        deal("งานติดตั้ง", amount=thb(80_000), close_date=d(2026, 7, 15)),
    ),
    (
        WEDNESDAY,
        "/new อบรมพนักงาน ๕ แสน ๓๑/๑๒",
        deal("อบรมพนักงาน", amount=thb(500_000), close_date=d(2026, 12, 31)),
    ),
    (
        WEDNESDAY,
        "/new เครื่องพิมพ์ 45,000.50 วันศุกร์สัปดาห์หน้า",
        deal("เครื่องพิมพ์", amount=thb(45_000.50), close_date=d(2026, 6, 19)),
    ),
    (
        WEDNESDAY,
        "/new ระบบ HR 1.2ล้านบาท วันจันทร์หน้า เจรจา",
        deal("ระบบ HR", amount=thb(1_200_000), close_date=d(2026, 6, 15), stage_id=4),
    ),
    (
        WEDNESDAY,
        "/new เซิร์ฟเวอร์ 9 แสน 31 ธันวาคม 2569",
        deal("เซิร์ฟเวอร์", amount=thb(900_000), close_date=d(2026, 12, 31)),
    ),
    (
        WEDNESDAY,
        "/new ระบบ POS 2 ล้าน 31/12/2569 ค้นหา",
        deal("ระบบ POS", amount=thb(2_000_000), close_date=d(2026, 12, 31), stage_id=1),
    ),
    (
        WEDNESDAY,
        "/new งานออกแบบ 3 หมื่น 5 ม.ค. 70",
        deal("งานออกแบบ", amount=thb(30_000), close_date=d(2027, 1, 5)),
    ),
    (
        APRIL_29,
        "/new ระบบบัญชี 6 แสน เดือนหน้า",
        deal("ระบบบัญชี", amount=thb(600_000), close_date=d(2026, 5, 31)),
    ),
    (
        APRIL_29,
        "/new ตู้เย็น 4 หมื่น สิ้นเดือนหน้า",
        deal("ตู้เย็น", amount=thb(40_000), close_date=d(2026, 5, 31)),
    ),
    (
        APRIL_29,
        "/new กล้อง 2 หมื่น 3/5",
        deal("กล้อง", amount=thb(20_000), close_date=d(2026, 5, 3)),
    ),
    (
        APRIL_29,
        "/new ระบบคลังสินค้า 1 ล้าน อีก 5 วัน",
        deal("ระบบคลังสินค้า", amount=thb(1_000_000), close_date=d(2026, 5, 4)),
    ),
    (
        DECEMBER_30,
        "/new ต่ออายุไลเซนส์ 2 แสน 5 ม.ค.",
        deal("ต่ออายุไลเซนส์", amount=thb(200_000), close_date=d(2027, 1, 5)),
    ),
    (
        DECEMBER_30,
        "/new อัปเกรดเครือข่าย 7 แสน ไตรมาสหน้า",
        deal("อัปเกรดเครือข่าย", amount=thb(700_000), close_date=d(2027, 3, 31)),
    ),
    (
        DECEMBER_30,
        "/new โปรแกรมเงินเดือน 3 แสน วันจันทร์หน้า",
        deal("โปรแกรมเงินเดือน", amount=thb(300_000), close_date=d(2027, 1, 4)),
    ),
    (
        DECEMBER_30,
        "/new ระบบบัญชี 1 ล้าน วันศุกร์หน้า",
        deal(
            "ระบบบัญชี",
            amount=thb(1_000_000),
            ambiguities=ambiguous("close_date", ("วันศุกร์หน้า",), d(2027, 1, 1), d(2027, 1, 8)),
        ),
    ),
    (
        WEDNESDAY,
        "/new งานเก่า 5 หมื่น 1/1/2569",
        deal(
            "งานเก่า",
            amount=thb(50_000),
            errors=error("close_date", "1/1/2569", "past", d(2026, 1, 1)),
        ),
    ),
    (
        WEDNESDAY,
        "/new ระบบ 2 ล้าน 3 ล้าน",
        deal(
            "ระบบ",
            ambiguities=ambiguous("amount", ("2 ล้าน", "3 ล้าน"), thb(2_000_000), thb(3_000_000)),
        ),
    ),
    (
        WEDNESDAY,
        "/new โครงการ 1,500 ล้าน",
        deal(
            "โครงการ",
            ambiguities=ambiguous("amount", ("1,500 ล้าน",), thb(1_500_000_000), thb(1_500_000)),
        ),
    ),
    (
        WEDNESDAY,
        "/new ระบบกล้อง 3 หมื่น 31/02",
        deal(
            "ระบบกล้อง",
            amount=thb(30_000),
            errors=error("close_date", "31/02", "impossible_date"),
        ),
    ),
    (
        WEDNESDAY,
        "/new คืนเงิน -5 หมื่น",
        deal("คืนเงิน", errors=error("amount", "-5 หมื่น", "negative")),
    ),
    (
        WEDNESDAY,
        "/new ห้องเย็น 8 แสน 20/8 ร้อน ปิดการขายได้",
        deal(
            "ห้องเย็น",
            amount=thb(800_000),
            close_date=d(2026, 8, 20),
            rating="hot",
            stage_id=5,
        ),
    ),
    (
        WEDNESDAY,
        "/new ระบบ ERP 1.2 ล้าน ร้อน เย็น",
        deal(
            "ระบบ ERP",
            amount=thb(1_200_000),
            ambiguities=ambiguous("rating", ("ร้อน", "เย็น"), "hot", "cold"),
        ),
    ),
    (
        WEDNESDAY,
        "/new แอปมือถือ $5,000 พรุ่งนี้",
        deal("แอปมือถือ", amount=usd(5000), close_date=d(2026, 6, 11)),
    ),
    (
        WEDNESDAY,
        "/new ระบบความปลอดภัย 2.5 ล้าน อีก 3 วัน #สงกรานต์ +สมชาย",
        deal(
            "ระบบความปลอดภัย",
            amount=thb(2_500_000),
            close_date=d(2026, 6, 13),
            campaign="สงกรานต์",
            contact="สมชาย",
        ),
    ),
    (
        WEDNESDAY,
        "/new ระบบแลกเปลี่ยน 5 แสน สิ้นปี คัดกรอง",
        deal("ระบบแลกเปลี่ยน", amount=thb(500_000), close_date=d(2026, 12, 31), stage_id=2),
    ),
    (
        WEDNESDAY,
        "/new จอ LED 4.5 แสน 10 ต.ค.",
        deal("จอ LED", amount=thb(450_000), close_date=d(2026, 10, 10)),
    ),
]

ROWS = (
    [("vi", *row) for row in VIETNAMESE]
    + [("en", *row) for row in ENGLISH]
    + [("th", *row) for row in THAI]
)


def test_the_table_has_at_least_thirty_phrasings_per_language():
    assert min(len(VIETNAMESE), len(ENGLISH), len(THAI)) >= 30
    assert len(ROWS) >= 90


@pytest.mark.parametrize(("lang", "today", "text", "expected"), ROWS, ids=[r[2] for r in ROWS])
def test_deal_line_is_taken_apart(lang, today, text, expected):
    assert parse_deal_line(text, lang, today, CURRENCY[lang], STAGES) == expected


def test_deal_line_without_a_command_reads_the_same():
    with_command = parse_deal_line("/new@dealbot Acme 50tr", "vi", WEDNESDAY, "VND", STAGES)
    without = parse_deal_line("Acme 50tr", "vi", WEDNESDAY, "VND", STAGES)
    assert with_command == without == deal("Acme", amount=vnd(50_000_000))


def test_two_accounts_are_ambiguous():
    parse = parse_deal_line("Deal 5k @Acme @Globex", "en", WEDNESDAY, "USD", STAGES)
    assert parse.ambiguities == ambiguous("account", ("@Acme", "@Globex"), "Acme", "Globex")


def test_a_whole_stage_name_wins_over_a_prefix():
    parse = parse_deal_line("Pro plan 5k proposal", "en", WEDNESDAY, "USD", STAGES)
    assert (parse.name, parse.stage_id, parse.ambiguities) == ("Pro plan", 3, ())


def test_deal_line_parse_is_json_serialisable():
    parse = parse_deal_line("/new Acme 50tr 31/12 1/1 hot @Acme", "vi", WEDNESDAY, "VND", STAGES)
    data = to_json_dict(parse)
    assert json.loads(json.dumps(data)) == {
        "fields": {
            "name": "Acme",
            "amount": {"minor_units": 50_000_000, "currency": "VND"},
            "close_date": None,
            "rating": "hot",
            "stage_id": None,
            "account": "Acme",
            "contact": None,
            "campaign": None,
        },
        "errors": [],
        "ambiguities": [
            {
                "field": "close_date",
                "texts": ["31/12", "1/1"],
                "candidates": ["2026-12-31", "2027-01-01"],
            }
        ],
    }


def test_errors_carry_their_value_into_json():
    parse = parse_deal_line("Old 5k 1/1/2026", "en", WEDNESDAY, "USD", STAGES)
    assert to_json_dict(parse)["errors"] == [
        {"field": "close_date", "text": "1/1/2026", "code": "past", "value": "2026-01-01"}
    ]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "vi",
            "Nguyễn Văn An 0901 234 567 an@abc.vn cty ABC",
            LeadLineParse("Nguyễn Văn An", "ABC", "+84901234567", "an@abc.vn"),
        ),
        (
            "vi",
            "Trần Thị Bình, +84 912 345 678, binh@xyz.com.vn, Công ty TNHH Xây dựng XYZ",
            LeadLineParse("Trần Thị Bình", "TNHH Xây dựng XYZ", "+84912345678", "binh@xyz.com.vn"),
        ),
        (
            "th",
            "สมชาย ใจดี 081-234-5678 somchai@abc.co.th บริษัท เอบีซี จำกัด",
            LeadLineParse("สมชาย ใจดี", "เอบีซี จำกัด", "+66812345678", "somchai@abc.co.th"),
        ),
        (
            "en",
            'John Smith +66 81 234 5678 John@Acme.COM @"Acme Corp" #Expo',
            LeadLineParse("John Smith", "Acme Corp", "+66812345678", "John@acme.com", "Expo"),
        ),
        ("en", "Jane Doe company Globex", LeadLineParse("Jane Doe", "Globex")),
        ("vi", "Lê Văn C 084 123 4567", LeadLineParse("Lê Văn C", phone="+84841234567")),
    ],
)
def test_lead_line_is_taken_apart(lang, text, expected):
    assert parse_lead_line(text, lang) == expected


def test_a_national_number_valid_in_both_countries_is_ambiguous_in_english():
    parse = parse_lead_line("Jane 081 234 5678", "en")
    assert parse.phone is None
    assert parse.ambiguities == ambiguous(
        "phone", ("081 234 5678",), "+84812345678", "+66812345678"
    )
    assert parse_lead_line("Jane 081 234 5678", "en", region="TH").phone == "+66812345678"


def test_lead_line_parse_is_json_serialisable():
    parse = parse_lead_line("An 0901234567 bad@", "vi")
    assert to_json_dict(parse) == {
        "fields": {
            "person": "An bad@",
            "company": None,
            "phone": "+84901234567",
            "email": None,
            "campaign": None,
        },
        "errors": [],
        "ambiguities": [],
    }


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("0901 234 567", "vi", "+84901234567"),
        ("+84 901 234 567", "en", "+84901234567"),
        ("+84 0901 234 567", "en", "+84901234567"),
        ("0084 901 234 567", "en", "+84901234567"),
        ("84901234567", "en", "+84901234567"),
        ("0841234567", "vi", "+84841234567"),
        ("0351 234 567", "en", "+84351234567"),
        ("024 3825 1234", "vi", "+842438251234"),
        ("+66 81 234 5678", "en", "+66812345678"),
        ("081-234-5678", "th", "+66812345678"),
        ("02 123 4567", "th", "+6621234567"),
        ("(081) 234.5678", "th", "+66812345678"),
        ("๐๘๑-๒๓๔-๕๖๗๘", "th", "+66812345678"),
    ],
)
def test_phone_is_normalised_to_e164(text, lang, expected):
    assert parse_phone(text, lang) == expected


@pytest.mark.parametrize("text", ["12345", "+1 212 555 01", "0123 456 789", "phone", ""])
def test_a_number_no_country_has_is_invalid(text):
    assert parse_phone(text, "vi") == ParseError("invalid_phone")


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [("+1 415 555 0100", "th", "+14155550100"), ("+44 20 7946 0958", "vi", "+442079460958")],
)
def test_an_international_number_is_kept_as_its_own_countrys(text, lang, expected):
    assert parse_phone(text, lang, "VN") == expected


@pytest.mark.parametrize("lang", ["en", "vi", "th"])
@pytest.mark.parametrize(("region", "expected"), [("VN", "+84812345678"), ("TH", "+66812345678")])
def test_a_national_number_belongs_to_the_teams_country_whatever_the_language(
    lang, region, expected
):
    assert parse_phone("0812345678", lang, region) == expected


def test_email_keeps_the_local_part_and_lowercases_the_domain():
    assert parse_email(" An.Nguyen+crm@ABC.com.vn ") == "An.Nguyen+crm@abc.com.vn"
    assert parse_email("mailto:a@b.co") == "a@b.co"
    assert parse_email("somchai@ไทย.com") == "somchai@ไทย.com"


@pytest.mark.parametrize("text", ["an@", "@abc.vn", "an@abc", "an abc@x.vn", "a@b.c", ""])
def test_malformed_email_is_an_error_code(text):
    assert parse_email(text) == ParseError("invalid_email")


@pytest.mark.parametrize(
    ("lang", "text", "number", "name"),
    [
        ("en", "/new Windows 11 upgrade 31/12", "11", "Windows 11 upgrade"),
        ("en", "/new Zone 3 fit-out 31/12", "3", "Zone 3 fit-out"),
        ("en", "/new Deal 5 abc 31/12", "5", "Deal 5 abc"),
        ("vi", "/new Nâng cấp Windows 11 31/12", "11", "Nâng cấp Windows 11"),
        ("th", "/new ตกแต่งโซน 3 31 ธ.ค.", "3", "ตกแต่งโซน 3"),
    ],
)
def test_a_bare_number_beside_name_words_is_a_question(lang, text, number, name):
    parse = parse_deal_line(text, lang, WEDNESDAY, "VND", STAGES)
    assert parse.name == name
    assert parse.amount is None
    assert parse.ambiguities == ambiguous("amount", (number,), vnd(int(number)), None)


@pytest.mark.parametrize(
    ("text", "name", "amount"),
    [
        ("/new Windows 11 upgrade 31/12", "Windows upgrade", vnd(11)),
        ("/new Deal 5 abc 31/12", "Deal abc", vnd(5)),
    ],
)
def test_the_answer_to_a_bare_number_question_is_read_back(text, name, amount):
    parse = parse_deal_line(text, "en", WEDNESDAY, "VND", STAGES, bare_amount=amount)
    assert (parse.name, parse.amount, parse.ambiguities) == (name, amount, ())
    kept = parse_deal_line(text, "en", WEDNESDAY, "VND", STAGES, bare_amount="name")
    assert (kept.amount, kept.ambiguities) == (None, ())
    assert kept.name == text.removeprefix("/new ").removesuffix(" 31/12")


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "/new Acme ERP 31/12 5000000"),
        ("en", "/new Acme ERP, 5000000, 31/12"),
        ("vi", "/new Phần mềm kế toán 31/12 nóng 50000000"),
    ],
)
def test_a_bare_number_away_from_the_name_is_the_amount(lang, text):
    parse = parse_deal_line(text, lang, WEDNESDAY, "VND", STAGES)
    assert parse.ambiguities == ()
    assert parse.amount is not None and str(parse.amount.minor_units) in text


@pytest.mark.parametrize(
    ("lang", "text", "token"),
    [
        ("en", "/new Acme ERP 50tr 32/12", "32/12"),
        ("vi", "/new Phần mềm 50tr 32/12", "32/12"),
        ("th", "/new ระบบ POS 5 แสน 30 ก.พ.", "30 ก.พ."),
    ],
)
def test_a_date_that_does_not_exist_is_an_error_not_part_of_the_name(lang, text, token):
    parse = parse_deal_line(text, lang, WEDNESDAY, "VND", STAGES)
    assert [(e.field, e.text, e.code) for e in parse.errors] == [
        ("close_date", token, "impossible_date")
    ]
    assert not any(ch.isdigit() for ch in parse.name)


def test_the_answer_to_which_amount_picks_one_of_several_written_amounts():
    text = "/new Acme ERP 50tr 20tr 31/12"
    parse = parse_deal_line(text, "vi", WEDNESDAY, "VND", STAGES, bare_amount=vnd(20_000_000))
    assert (parse.name, parse.amount, parse.ambiguities) == ("Acme ERP", vnd(20_000_000), ())
