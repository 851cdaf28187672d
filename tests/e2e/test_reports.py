"""Manager views through the whole bot: /pipeline, /forecast, /campaigns, /fx and charts."""

import struct
import zlib

import pytest

from bot.formatting import format_compact_money
from bot.handlers.reports.charts import SIZE
from storage.opportunities import OpportunityInput, create_opportunity
from tests.e2e.people import reply_to
from tests.e2e.report_seed import TODAY, seed_forty_deals


def vnd(amount: int) -> str:
    """Summaries show money compact: "₫739M"."""
    return format_compact_money(amount, "VND", "en")


@pytest.fixture
async def seeded(uow_factory, seed):
    return await seed_forty_deals(uow_factory, seed)


async def _member(fake, telegram_id, name):
    user = fake.user(telegram_id, name, language_code="en")
    await user.send("/language en")
    return user


async def _set_usd_rate(fake):
    admin = await _member(fake, 1, "Admin")
    assert "Exchange rate saved" in await reply_to(admin, "/fx USD 25400")
    assert "1 USD = ₫25,400" in admin.last_text()


def decode_png(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and raw scanlines of a PNG: header, IHDR, and the inflated IDAT."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks = 8, {}
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        assert zlib.crc32(kind + body) == struct.unpack(">I", data[position + 8 + length :][:4])[0]
        chunks[kind] = chunks.get(kind, b"") + body
        position += 12 + length
    width, height, depth, color = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert depth == 8 and color in (2, 6)
    pixels = zlib.decompress(chunks[b"IDAT"])
    assert len(pixels) == height * (1 + width * (4 if color == 6 else 3))
    return width, height, pixels


async def test_a_managers_pipeline_totals_equal_the_hand_computed_total(fake, now_app, seeded):
    await _set_usd_rate(fake)
    manager = await _member(fake, 100, "Mai")
    await manager.send("/pipeline")
    text = manager.last_text()
    open_deals = [deal for deal in seeded.deals if deal.is_open]
    total = sum(deal.in_vnd for deal in open_deals)
    weighted = sum(deal.weighted_vnd for deal in open_deals)
    usd_cents = sum(deal.amount for deal in open_deals if deal.currency == "USD")
    total_section = text.split("Total")[1]
    assert f"{len(open_deals)} deals" in total_section
    assert f"Amount {vnd(total)} · weighted {vnd(weighted)}" in total_section
    assert format_compact_money(usd_cents, "USD", "en") in total_section
    for stage in ("Prospecting", "Qualification", "Proposal", "Negotiation"):
        in_stage = [d for d in open_deals if d.stage == stage.lower()]
        block = text.split(stage)[1].split("\n\n")[0]
        assert f"{len(in_stage)} deals" in block
        assert vnd(sum(d.in_vnd for d in in_stage)) in block
    assert "Closed won" not in text
    assert manager.buttons() == ["By rep", "Chart"]


async def test_a_reps_pipeline_covers_only_their_own_deals(fake, now_app, seeded):
    await _set_usd_rate(fake)
    rep = await _member(fake, 101, "An")
    await rep.send("/pipeline team")
    mine = [d for d in seeded.deals if d.is_open and d.owner == seeded.reps[0]]
    text = rep.last_text()
    assert "You see your own deals" not in text
    total_section = text.split("Total")[1]
    assert f"{len(mine)} deals" in total_section
    assert vnd(sum(d.in_vnd for d in mine)) in total_section
    assert rep.buttons() == ["Chart"]
    await rep.send("/pipeline Binh")
    assert "You see your own deals" in rep.messages[-2]["text"]


async def test_the_by_rep_button_breaks_the_team_down(fake, now_app, seeded):
    await _set_usd_rate(fake)
    manager = await _member(fake, 100, "Mai")
    await manager.send("/pipeline")
    await manager.click("By rep")
    text = manager.last_text()
    for rep, name in zip(seeded.reps, ("An Rep", "Binh Rep", "Chi Rep"), strict=True):
        theirs = [d for d in seeded.deals if d.is_open and d.owner == rep]
        block = text.split(name)[1].split("\n\n")[0]
        assert vnd(sum(d.in_vnd for d in theirs)) in block
    assert manager.buttons() == ["By stage", "Chart"]


async def test_a_period_narrows_the_pipeline_to_its_close_dates(fake, now_app, seeded):
    await _set_usd_rate(fake)
    manager = await _member(fake, 100, "Mai")
    await manager.send("/pipeline team this month")
    november = [
        d for d in seeded.deals if d.is_open and (d.close.year, d.close.month) == (2026, 11)
    ]
    assert "closing this month" in manager.last_text()
    total_section = manager.last_text().split("Total")[1]
    assert f"— {len(november)} deal" in total_section
    assert vnd(sum(d.in_vnd for d in november)) in total_section


async def test_deals_in_a_currency_without_a_rate_are_counted_and_flagged(
    fake, now_app, seeded, seed, uow_factory
):
    async with uow_factory() as uow:
        await create_opportunity(
            uow,
            seed.rep,
            OpportunityInput(name="Euro deal", close_date=TODAY, amount=123_400, currency="EUR"),
        )
    await _set_usd_rate(fake)
    manager = await _member(fake, 100, "Mai")
    await manager.send("/pipeline")
    text = manager.last_text()
    open_deals = [deal for deal in seeded.deals if deal.is_open]
    total_section = text.split("Total")[1]
    # Counted, shown in its own currency, never added to the converted total.
    assert f"{len(open_deals) + 1} deals" in total_section
    assert f"Amount {vnd(sum(d.in_vnd for d in open_deals))}" in total_section
    assert "€1.2K" in total_section
    assert "1 deal in EUR (€1.2K) has no exchange rate" in text
    assert "/fx EUR 28000" in text


async def test_without_a_rate_usd_deals_are_flagged_not_added(fake, now_app, seeded):
    manager = await _member(fake, 100, "Mai")
    await manager.send("/pipeline")
    text = manager.last_text()
    open_vnd = [d for d in seeded.deals if d.is_open and d.currency == "VND"]
    open_usd = [d for d in seeded.deals if d.is_open and d.currency == "USD"]
    assert f"Amount {vnd(sum(d.amount for d in open_vnd))}" in text.split("Total")[1]
    usd = format_compact_money(sum(d.amount for d in open_usd), "USD", "en")
    assert f"{len(open_usd)} deals in USD ({usd}) have no exchange rate" in text
    assert "<code>/fx USD 25000</code>" in manager.last_message()["text"] or "/fx USD 25000" in text


async def test_the_chart_button_sends_a_png_of_the_expected_size(fake, now_app, seeded):
    await _set_usd_rate(fake)
    manager = await _member(fake, 100, "Mai")
    await manager.send("/pipeline")
    await manager.click("Chart")
    photo = manager.last_message()["photo"][-1]
    content = fake.files.get(photo["file_id"]).content
    width, height, pixels = decode_png(content)
    assert (width, height) == SIZE
    assert len(set(pixels)) > 2  # something was drawn
    assert "Pipeline" in manager.last_message()["caption"]


@pytest.mark.parametrize("language", ["vi", "th"])
async def test_charts_render_vietnamese_and_thai_labels(fake, now_app, seeded, language):
    manager = fake.user(100, "Mai")
    await manager.send(f"/language {language}")
    for command in ("/pipeline", "/forecast", "/campaigns"):
        await manager.send(command)
        await manager.click(manager.buttons()[-1])
        photo = manager.last_message()["photo"][-1]
        assert decode_png(fake.files.get(photo["file_id"]).content)[:2] == SIZE


async def test_campaign_counts_match_the_seed(fake, now_app, seeded):
    await _set_usd_rate(fake)
    manager = await _member(fake, 100, "Mai")
    await manager.send("/campaigns")
    text = manager.last_text()
    for name in ("Tet 2027", "Summer Sale", "No campaign"):
        wanted = None if name == "No campaign" else name
        deals = [d for d in seeded.deals if d.campaign == wanted]
        won = [d for d in deals if d.stage == "won"]
        lost = [d for d in deals if d.stage == "lost"]
        block = text.split(name)[1].split("\n\n")[0].split("\n")
        assert f"{len(deals)} deals" in block[0]
        assert f"Won {len(won)} ({vnd(sum(d.in_vnd for d in won))})" in block[1]
        assert f"lost {len(lost)}" in block[1]
        open_amount = sum(d.in_vnd for d in deals if d.is_open)
        assert f"Open pipeline {vnd(open_amount)}" in block[2]
    await manager.click("Chart")
    assert "photo" in manager.last_message()


async def test_sources_are_named_in_the_readers_language(fake, now_app, seeded):
    manager = await _member(fake, 100, "Mai")
    assert "Referral — 20 deals" in await reply_to(manager, "/sources")
    assert "No source — 20 deals" in manager.last_text()


async def test_the_forecast_weighs_the_next_six_months_and_counts_wins(fake, now_app, seeded):
    await _set_usd_rate(fake)
    manager = await _member(fake, 100, "Mai")
    await manager.send("/forecast")
    text = manager.last_text()
    december = [
        d for d in seeded.deals if d.is_open and (d.close.year, d.close.month) == (2026, 12)
    ]
    assert f"Dec 2026: {vnd(sum(d.weighted_vnd for d in december))}" in text
    ahead = text.split("Closed won")[0]
    assert "Nov 2026" in ahead and "Apr 2027" in ahead and "May 2027" not in ahead
    # A deal entered as closed was closed on its close date, or today if that was ahead.
    past = [d for d in seeded.deals if date_in_last_six_months(min(d.close, TODAY))]
    won = [d for d in past if d.stage == "won"]
    lost = [d for d in past if d.stage == "lost"]
    assert f"({len(won)} won of {len(won) + len(lost)} closed)" in text
    overdue = [d for d in seeded.deals if d.is_open and d.close < TODAY.replace(day=1)]
    assert f"Overdue, still open: {len(overdue)} deal" in text


def date_in_last_six_months(day) -> bool:
    return (2026, 6) <= (day.year, day.month) <= (2026, 11)


async def test_only_an_admin_sets_exchange_rates(fake, now_app, seed):
    manager = await _member(fake, 100, "Mai")
    assert "Only an admin" in await reply_to(manager, "/fx USD 25400")
    admin = await _member(fake, 1, "Admin")
    assert "team's own currency" in await reply_to(admin, "/fx VND 2")
    assert "1 THB = 735.5 VND" in await reply_to(admin, "/fx THB 735.5 01/11/2026")
    assert "Totals are shown in VND" in await reply_to(manager, "/fx")
    assert "1 THB = 735.5 VND" in manager.last_text()


async def test_a_forged_report_button_shows_nothing_of_another_team(fake, now_app, seeded, seed):
    other_manager = await _member(fake, 201, "Niran")
    await other_manager.send("/pipeline")
    message_id = other_manager.last_message()["message_id"]
    await other_manager.click_data(message_id, f"rp:p:s:{seed.rep.id}:a")
    assert "That report is not available" in other_manager.last_text()
