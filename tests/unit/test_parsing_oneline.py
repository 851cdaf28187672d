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


def deal(name: str, **fields) -> DealLineParse:
    return DealLineParse(name=name, **fields)


def ambiguous(field: str, texts: tuple[str, ...], *candidates) -> tuple[FieldAmbiguity]:
    return (FieldAmbiguity(field, texts, candidates),)


TODAY = {"wed": WEDNESDAY, "apr29": APRIL_29, "dec30": DECEMBER_30}
MONEY = {"VND": vnd, "THB": thb, "USD": usd}


def deal_cases(table: str) -> list[tuple[date, str, DealLineParse]]:
    """Cases of a deal-line table: ``today text`` on one line, the parse it expects below.

    The expected parse is indented, one or more lines of ``; ``-separated items:
    ``field=value`` for a field read, ``field?=text | text -> candidate | candidate`` for a
    field with several readings, ``field!=text -> code [value]`` for a fragment that could
    not be used. Money is ``units CUR``, dates are ISO, ``none`` is no value.
    """
    cases: list[list] = []
    for line in table.strip().splitlines():
        if line.startswith(" "):
            cases[-1][2] = f"{cases[-1][2]} {line.strip()}".lstrip()
        else:
            today, text = line.split(" ", 1)
            cases.append([TODAY[today], text, ""])
    return [(today, text, expected_deal(items)) for today, text, items in cases]


def expected_deal(items: str) -> DealLineParse:
    """The parse that ``items`` (see ``deal_cases``) describe."""
    fields, ambiguities, errors = {}, [], []
    for item in items.split("; "):
        key, _, written = item.partition("=")
        field = key.rstrip("?!")
        if key.endswith("?"):
            texts, _, candidates = written.partition(" -> ")
            readings = tuple(value(field, c) for c in candidates.split(" | "))
            ambiguities.append(FieldAmbiguity(field, tuple(texts.split(" | ")), readings))
        elif key.endswith("!"):
            text, _, outcome = written.partition(" -> ")
            code, _, found = outcome.partition(" ")
            errors.append(FieldError(field, text, code, value(field, found) if found else None))
        else:
            fields[field] = value(field, written)
    return DealLineParse(**fields, ambiguities=tuple(ambiguities), errors=tuple(errors))


def value(field: str, written: str) -> object:
    """One expected value of ``field`` as the tables write it."""
    if written == "none":
        return None
    if field == "amount":
        units, currency = written.split()
        return MONEY[currency](float(units) if "." in units else int(units))
    if field == "close_date":
        return date.fromisoformat(written)
    if field == "stage_id":
        return int(written)
    return written


VIETNAMESE = deal_cases(
    """
wed /new Acme ERP 50tr 31/12 hot @Acme +Lan #Tet2027 proposal
    name=Acme ERP; amount=50_000_000 VND; close_date=2026-12-31; rating=hot; stage_id=3;
    account=Acme; contact=Lan; campaign=Tet2027
wed /new Hệ thống ERP 1,5 tỷ cuối tháng nóng @"Công ty ABC" đề xuất
    name=Hệ thống ERP; amount=1_500_000_000 VND; close_date=2026-06-30; rating=hot; stage_id=3;
    account=Công ty ABC
wed /new Phần mềm kế toán 50.000.000đ 15/7 ấm
    name=Phần mềm kế toán; amount=50_000_000 VND; close_date=2026-07-15; rating=warm
wed /new Website Minh Long 120 triệu 2 tuần nữa lạnh
    name=Website Minh Long; amount=120_000_000 VND; close_date=2026-06-24; rating=cold
wed /new CRM Vinamilk 1 tỷ 200 triệu thứ 6 tuần sau @Vinamilk
    name=CRM Vinamilk; amount=1_200_000_000 VND; close_date=2026-06-19; account=Vinamilk
wed /new Bảo trì server 2tr5 ngày mai
    name=Bảo trì server; amount=2_500_000 VND; close_date=2026-06-11
wed /new Dự án ABC 1.5tr hôm nay
    name=Dự án ABC; amount=1_500_000 VND; close_date=2026-06-10
wed /new Lap dat camera 30 trieu cuoi thang
    name=Lap dat camera; amount=30_000_000 VND; close_date=2026-06-30
wed /new Hợp đồng bảo hiểm 1,2 ty 31/12/2026 dam phan
    name=Hợp đồng bảo hiểm; amount=1_200_000_000 VND; close_date=2026-12-31; stage_id=4
apr29 /new Đơn hàng Hòa Phát 500tr cuối tháng sau
    name=Đơn hàng Hòa Phát; amount=500_000_000 VND; close_date=2026-05-31
apr29 /new Gói tư vấn 80tr tháng sau +Hùng
    name=Gói tư vấn; amount=80_000_000 VND; close_date=2026-05-31; contact=Hùng
apr29 /new Phần mềm HR 45tr 3/5 đánh giá
    name=Phần mềm HR; amount=45_000_000 VND; close_date=2026-05-03; stage_id=2
apr29 /new In ấn tờ rơi 15tr 5 ngày nữa
    name=In ấn tờ rơi; amount=15_000_000 VND; close_date=2026-05-04
dec30 /new Gia hạn license 200tr 5/1
    name=Gia hạn license; amount=200_000_000 VND; close_date=2027-01-05
dec30 /new Triển khai ERP 3 tỷ cuối quý sau
    name=Triển khai ERP; amount=3_000_000_000 VND; close_date=2027-03-31
dec30 /new Nâng cấp mạng 75tr thứ hai tới
    name=Nâng cấp mạng; amount=75_000_000 VND; close_date=2027-01-04
dec30 /new Tủ lạnh công nghiệp 90tr 2 tuần nữa
    name=Tủ lạnh công nghiệp; amount=90_000_000 VND; close_date=2027-01-13
wed /new Máy lạnh Daikin 300 triệu 20/8 nóng
    name=Máy lạnh Daikin; amount=300_000_000 VND; close_date=2026-08-20; rating=hot
wed /new Mai Linh CRM 20tr mai
    name=Mai Linh CRM; amount=20_000_000 VND; close_date=2026-06-11
wed /new Phase 2 50000000
    name=Phase 2 50000000; amount?=2 | 50000000 -> 2 VND | 50_000_000 VND | none
wed /new Acme 50tr 60tr
    name=Acme; amount?=50tr | 60tr -> 50_000_000 VND | 60_000_000 VND
wed /new Acme 50tr 31/12 1/1
    name=Acme; amount=50_000_000 VND; close_date?=31/12 | 1/1 -> 2026-12-31 | 2027-01-01
wed /new Thiết bị y tế 1.234 tr
    name=Thiết bị y tế; amount?=1.234 tr -> 1_234_000_000 VND | 1_234_000 VND
wed /new Dự án cũ 10tr 1/1/2026
    name=Dự án cũ; amount=10_000_000 VND; close_date!=1/1/2026 -> past 2026-01-01
wed /new Hợp đồng 5tr 31/02
    name=Hợp đồng; amount=5_000_000 VND; close_date!=31/02 -> impossible_date
wed /new Hoàn tiền -5tr
    name=Hoàn tiền; amount!=-5tr -> negative
wed /new Camera 2.000 USD 15/8 thắng
    name=Camera; amount=2_000 USD; close_date=2026-08-15; stage_id=5
wed /new Server Dell 1 triệu rưỡi thứ sáu này
    name=Server Dell; amount=1_500_000 VND; close_date=2026-06-12
wed /new Phần mềm POS 500k 2 tuần nữa #KM2026
    name=Phần mềm POS; amount=500_000 VND; close_date=2026-06-24; campaign=KM2026
wed /new Đào tạo nhân viên 80 tr 31 tháng 12 ấm tìm kiếm
    name=Đào tạo nhân viên; amount=80_000_000 VND; close_date=2026-12-31; rating=warm;
    stage_id=1
wed /new Hội thảo 12 triệu ngày 15/7 @"Cty Bình Minh" +Trang
    name=Hội thảo; amount=12_000_000 VND; close_date=2026-07-15; account=Cty Bình Minh;
    contact=Trang
wed /new Xe tải Hino 1tỷ2 cuối năm nóng
    name=Xe tải Hino; amount=1_200_000_000 VND; close_date=2026-12-31; rating=hot
wed /new Thiết kế logo 5tr nóng lạnh
    name=Thiết kế logo; amount=5_000_000 VND; rating?=nóng | lạnh -> hot | cold
wed /new Bàn ghế văn phòng 25tr thua
    name=Bàn ghế văn phòng; amount=25_000_000 VND; stage_id=6
"""
)

ENGLISH = deal_cases(
    """
wed /new Acme ERP 50k 31/12 hot @Acme +John #Q4Push proposal
    name=Acme ERP; amount=50_000 USD; close_date=2026-12-31; rating=hot; stage_id=3;
    account=Acme; contact=John; campaign=Q4Push
wed /new Website redesign $5,000 next month warm
    name=Website redesign; amount=5_000 USD; close_date=2026-07-31; rating=warm
wed /new Cloud migration 1.2m end of quarter
    name=Cloud migration; amount=1_200_000 USD; close_date=2026-06-30
wed /new Security audit 25k in 2 weeks cold
    name=Security audit; amount=25_000 USD; close_date=2026-06-24; rating=cold
wed /new Data center 2bn 2026-12-31 negotiation
    name=Data center; amount=2_000_000_000 USD; close_date=2026-12-31; stage_id=4
wed /new Laptops for Globex 75,000 USD tomorrow @Globex
    name=Laptops for Globex; amount=75_000 USD; close_date=2026-06-11; account=Globex
wed /new Support renewal 12k friday next week
    name=Support renewal; amount=12_000 USD; close_date=2026-06-19
wed /new CRM licences 30k next monday qual
    name=CRM licences; amount=30_000 USD; close_date=2026-06-15; stage_id=2
wed /new Training 8k Dec 31, 2026 warm
    name=Training; amount=8_000 USD; close_date=2026-12-31; rating=warm
wed /new Printers 3 million 31 December 2026
    name=Printers; amount=3_000_000 USD; close_date=2026-12-31
wed /new Hot Pot Restaurant POS 15k 1/8
    name=Hot Pot Restaurant POS; amount=15_000 USD; close_date=2026-08-01
wed /new Cold storage 400k end of month hot
    name=Cold storage; amount=400_000 USD; close_date=2026-06-30; rating=hot
wed /new Acme pro 5k
    name=Acme; amount=5_000 USD; stage_id?=pro -> 1 | 3
wed /new Acme closed won 50k today
    name=Acme; amount=50_000 USD; close_date=2026-06-10; stage_id=5
wed /new Acme closed 50k
    name=Acme; amount=50_000 USD; stage_id?=closed -> 5 | 6
wed /new Consulting 50k 60k
    name=Consulting; amount?=50k | 60k -> 50_000 USD | 60_000 USD
wed /new Old deal 5k 1/1/2026
    name=Old deal; amount=5_000 USD; close_date!=1/1/2026 -> past 2026-01-01
wed /new Refund -500
    name=Refund; amount!=-500 -> negative
dec30 /new Annual licence 120k next month
    name=Annual licence; amount=120_000 USD; close_date=2027-01-31
dec30 /new Hardware refresh 80k in 3 days
    name=Hardware refresh; amount=80_000 USD; close_date=2027-01-02
dec30 /new Promo bundle 10k 5/1
    name=Promo bundle; amount=10_000 USD; close_date=2027-01-05
dec30 /new Network upgrade 60k next friday
    name=Network upgrade; amount=60_000 USD; close_date?=next friday -> 2027-01-01 | 2027-01-08
dec30 /new Office move 20k end of next quarter
    name=Office move; amount=20_000 USD; close_date=2027-03-31
apr29 /new Payroll system 45k end of month
    name=Payroll system; amount=45_000 USD; close_date=2026-04-30
apr29 /new Analytics 90k in 1 week
    name=Analytics; amount=90_000 USD; close_date=2026-05-06
apr29 /new Kiosk rollout 1.5m 3 May
    name=Kiosk rollout; amount=1_500_000 USD; close_date=2026-05-03
wed /new Fleet tracking THB1,234.50 tomorrow
    name=Fleet tracking; amount=1_234.50 THB; close_date=2026-06-11
wed /new Marketing 50k eom @"Acme Corp" +"Jane Doe"
    name=Marketing; amount=50_000 USD; close_date=2026-06-30; account=Acme Corp;
    contact=Jane Doe
wed /new Phone system $1,500 15/7 prospecting
    name=Phone system; amount=1_500 USD; close_date=2026-07-15; stage_id=1
wed /new ERP 2 50k
    name=ERP 2; amount=50_000 USD
wed /new Server racks 1.234m 10/10
    name=Server racks; amount=1_234_000 USD; close_date=2026-10-10
wed /new Cameras 25k 31/02
    name=Cameras; amount=25_000 USD; close_date!=31/02 -> impossible_date
wed /new Licences 5k on 20 Aug closed lost
    name=Licences; amount=5_000 USD; close_date=2026-08-20; stage_id=6
"""
)

THAI = deal_cases(
    """
wed /new ระบบ ERP 1.2 ล้าน 31 ธ.ค. 2569 ร้อน @ACME เสนอ
    name=ระบบ ERP; amount=1_200_000 THB; close_date=2026-12-31; rating=hot; stage_id=3;
    account=ACME
wed /new ซอฟต์แวร์บัญชี 5 แสน สิ้นเดือน อุ่น
    name=ซอฟต์แวร์บัญชี; amount=500_000 THB; close_date=2026-06-30; rating=warm
wed /new กล้องวงจรปิด 3 หมื่น พรุ่งนี้ เย็น
    name=กล้องวงจรปิด; amount=30_000 THB; close_date=2026-06-11; rating=cold
wed /new เว็บไซต์ 5 พัน วันนี้
    name=เว็บไซต์; amount=5_000 THB; close_date=2026-06-10
wed /new ระบบ CRM 2 ล้าน 5 แสน อีก 2 สัปดาห์ @บริษัทเอบีซี
    name=ระบบ CRM; amount=2_500_000 THB; close_date=2026-06-24; account=บริษัทเอบีซี
wed /new ที่ปรึกษา 1.5 พันล้าน สิ้นไตรมาส
    name=ที่ปรึกษา; amount=1_500_000_000 THB; close_date=2026-06-30
wed /new งานติดตั้ง 80,000 บาท 15/7
    name=งานติดตั้ง; amount=80_000 THB; close_date=2026-07-15
wed /new อบรมพนักงาน ๕ แสน ๓๑/๑๒
    name=อบรมพนักงาน; amount=500_000 THB; close_date=2026-12-31
wed /new เครื่องพิมพ์ 45,000.50 วันศุกร์สัปดาห์หน้า
    name=เครื่องพิมพ์; amount=45_000.50 THB; close_date=2026-06-19
wed /new ระบบ HR 1.2ล้านบาท วันจันทร์หน้า เจรจา
    name=ระบบ HR; amount=1_200_000 THB; close_date=2026-06-15; stage_id=4
wed /new เซิร์ฟเวอร์ 9 แสน 31 ธันวาคม 2569
    name=เซิร์ฟเวอร์; amount=900_000 THB; close_date=2026-12-31
wed /new ระบบ POS 2 ล้าน 31/12/2569 ค้นหา
    name=ระบบ POS; amount=2_000_000 THB; close_date=2026-12-31; stage_id=1
wed /new งานออกแบบ 3 หมื่น 5 ม.ค. 70
    name=งานออกแบบ; amount=30_000 THB; close_date=2027-01-05
apr29 /new ระบบบัญชี 6 แสน เดือนหน้า
    name=ระบบบัญชี; amount=600_000 THB; close_date=2026-05-31
apr29 /new ตู้เย็น 4 หมื่น สิ้นเดือนหน้า
    name=ตู้เย็น; amount=40_000 THB; close_date=2026-05-31
apr29 /new กล้อง 2 หมื่น 3/5
    name=กล้อง; amount=20_000 THB; close_date=2026-05-03
apr29 /new ระบบคลังสินค้า 1 ล้าน อีก 5 วัน
    name=ระบบคลังสินค้า; amount=1_000_000 THB; close_date=2026-05-04
dec30 /new ต่ออายุไลเซนส์ 2 แสน 5 ม.ค.
    name=ต่ออายุไลเซนส์; amount=200_000 THB; close_date=2027-01-05
dec30 /new อัปเกรดเครือข่าย 7 แสน ไตรมาสหน้า
    name=อัปเกรดเครือข่าย; amount=700_000 THB; close_date=2027-03-31
dec30 /new โปรแกรมเงินเดือน 3 แสน วันจันทร์หน้า
    name=โปรแกรมเงินเดือน; amount=300_000 THB; close_date=2027-01-04
dec30 /new ระบบบัญชี 1 ล้าน วันศุกร์หน้า
    name=ระบบบัญชี; amount=1_000_000 THB; close_date?=วันศุกร์หน้า -> 2027-01-01 | 2027-01-08
wed /new งานเก่า 5 หมื่น 1/1/2569
    name=งานเก่า; amount=50_000 THB; close_date!=1/1/2569 -> past 2026-01-01
wed /new ระบบ 2 ล้าน 3 ล้าน
    name=ระบบ; amount?=2 ล้าน | 3 ล้าน -> 2_000_000 THB | 3_000_000 THB
wed /new โครงการ 1,500 ล้าน
    name=โครงการ; amount?=1,500 ล้าน -> 1_500_000_000 THB | 1_500_000 THB
wed /new ระบบกล้อง 3 หมื่น 31/02
    name=ระบบกล้อง; amount=30_000 THB; close_date!=31/02 -> impossible_date
wed /new คืนเงิน -5 หมื่น
    name=คืนเงิน; amount!=-5 หมื่น -> negative
wed /new ห้องเย็น 8 แสน 20/8 ร้อน ปิดการขายได้
    name=ห้องเย็น; amount=800_000 THB; close_date=2026-08-20; rating=hot; stage_id=5
wed /new ระบบ ERP 1.2 ล้าน ร้อน เย็น
    name=ระบบ ERP; amount=1_200_000 THB; rating?=ร้อน | เย็น -> hot | cold
wed /new แอปมือถือ $5,000 พรุ่งนี้
    name=แอปมือถือ; amount=5_000 USD; close_date=2026-06-11
wed /new ระบบความปลอดภัย 2.5 ล้าน อีก 3 วัน #สงกรานต์ +สมชาย
    name=ระบบความปลอดภัย; amount=2_500_000 THB; close_date=2026-06-13; contact=สมชาย;
    campaign=สงกรานต์
wed /new ระบบแลกเปลี่ยน 5 แสน สิ้นปี คัดกรอง
    name=ระบบแลกเปลี่ยน; amount=500_000 THB; close_date=2026-12-31; stage_id=2
wed /new จอ LED 4.5 แสน 10 ต.ค.
    name=จอ LED; amount=450_000 THB; close_date=2026-10-10
"""
)

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
