"""A won or lost deal keeps the day it closed: cards show it and reports count by it."""

from datetime import date

import pytest

from bot.formatting import format_date
from tests.e2e.deal_helpers import TODAY, load_deal, make_deal
from tests.e2e.people import manager_speaking, rep_speaking

LANGUAGES = ["vi", "th", "en"]
MARCH = date(2027, 3, 19)


async def _win_through_the_card(fake, t, deal_id: int, language: str):
    rep = await rep_speaking(fake, language)
    await rep.send(f"/deal {deal_id}")
    await rep.click(t._("Move stage"))
    await rep.click(t._("Closed won"))
    return rep


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_won_deals_card_shows_the_day_it_was_won_not_its_expected_close(
    t, fake, now_app, seed, uow_factory, language
):
    deal = await make_deal(uow_factory, seed.rep, "Acme ERP", close_date=MARCH)
    rep = await _win_through_the_card(fake, t, deal.id, language)
    assert (await load_deal(uow_factory, deal.id)).closed_on == TODAY
    await rep.send(f"/deal {deal.id}")
    card = rep.last_text()
    assert f"{t._('Won on')}: {format_date(TODAY, language)}" in card
    assert format_date(MARCH, language) not in card
    assert t._("Expected close") not in card


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_a_deal_won_today_counts_in_this_months_wins_whatever_it_expected(
    t, fake, now_app, seed, uow_factory, language
):
    deal = await make_deal(uow_factory, seed.rep, "Acme ERP", close_date=MARCH)
    await _win_through_the_card(fake, t, deal.id, language)
    manager = await manager_speaking(fake, language)
    await manager.send("/forecast")
    text = manager.last_text()
    won = text.split(t._("Closed won by month"))[1].split("\n\n")[0]
    this_month = format_date(TODAY, language, fmt="MMM y")
    line = next(line for line in won.splitlines() if line.startswith(this_month))
    assert t.n_("{n} deal", "{n} deals", 1).format(n=1) in line
    assert format_date(MARCH, language, fmt="MMM y") not in won


async def test_a_deal_lost_today_counts_in_the_win_rate_of_these_months(
    fake, now_app, seed, uow_factory
):
    deal = await make_deal(uow_factory, seed.rep, "Acme ERP", close_date=MARCH)
    rep = await rep_speaking(fake, "vi")
    await rep.send(f"/lost {deal.id} giá cao")
    assert (await load_deal(uow_factory, deal.id)).closed_on == TODAY
    manager = await manager_speaking(fake, "vi")
    await manager.send("/forecast")
    assert "(0 thành công trên 1 đã kết thúc)" in manager.last_text()


@pytest.mark.parametrize(
    ("language", "command", "heading"),
    [("vi", "/campaigns tháng này", "Không có chiến dịch"), ("en", "/sources this month", None)],
)
async def test_campaigns_and_sources_count_a_win_in_the_month_it_happened(
    t, fake, now_app, seed, uow_factory, language, command, heading
):
    deal = await make_deal(uow_factory, seed.rep, "Acme ERP", close_date=MARCH)
    await _win_through_the_card(fake, t, deal.id, language)
    manager = await manager_speaking(fake, language)
    await manager.send(command)
    text = manager.last_text()
    assert t._("No deals here yet.") not in text
    block = text.split(heading or t._("No source"))[1]
    assert t.n_("{n} deal", "{n} deals", 1).format(n=1) in block


@pytest.mark.parametrize(
    ("language", "command"), [("vi", "/export thành công tháng này"), ("th", "/export ชนะ เดือนนี้")]
)
async def test_exporting_this_months_wins_includes_a_deal_won_today(
    t, fake, now_app, seed, uow_factory, language, command
):
    deal = await make_deal(uow_factory, seed.rep, "Acme ERP", close_date=MARCH)
    await _win_through_the_card(fake, t, deal.id, language)
    manager = await manager_speaking(fake, language)
    await manager.send(command)
    document = manager.last_message()["document"]
    assert "Acme ERP" in fake.files.get(document["file_id"]).content.decode("utf-8-sig")
