"""Every "which one?" is a set of buttons whose labels tell the candidates apart."""

from datetime import date

import pytest

from bot.i18n import translator
from storage.models import Result
from tests.e2e.deal_helpers import NOW, load_deal, make_deal, speak


@pytest.fixture
async def pick_app(make_app):
    return await make_app(clock=lambda: NOW)


NAME = "Cloud backup – Hanoi Logistics JSC"


async def _six_deals(uow_factory, seed):
    deals = []
    for amount, day in [
        (10_000_000, date(2026, 12, 31)),
        (20_000_000, date(2026, 12, 31)),
        (10_000_000, date(2027, 1, 15)),
        (30_000_000, date(2027, 2, 1)),
        (40_000_000, date(2027, 3, 1)),
        (50_000_000, date(2027, 4, 1)),
    ]:
        deals.append(await make_deal(uow_factory, seed.rep, NAME, amount=amount, close_date=day))
    return deals


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_won_with_several_matches_offers_distinct_buttons(
    fake, pick_app, seed, uow_factory, language
):
    t = translator(language)
    deals = await _six_deals(uow_factory, seed)
    rep = fake.user(101, "An", language_code=language)
    await speak(rep, language)
    await rep.send(f"/lost #{deals[0].id} no budget")
    await rep.send("/won Hanoi")
    labels = rep.buttons()
    assert len(labels) == 6 and len(set(labels)) == 6
    closed = [label for label in labels if f"#{deals[0].id} " in label]
    assert t._("Lost") in closed[0]
    target = next(label for label in labels if f"#{deals[3].id} " in label)
    await rep.click(target)
    assert (await load_deal(uow_factory, deals[3].id)).result is Result.WON
    assert (await load_deal(uow_factory, deals[4].id)).result is Result.OPEN


@pytest.mark.parametrize("language", ["en", "th"])
async def test_more_than_eight_matches_page_with_more(fake, pick_app, seed, uow_factory, language):
    t = translator(language)
    deals = [
        await make_deal(uow_factory, seed.rep, f"ERP {index}", amount=index * 1_000_000)
        for index in range(1, 11)
    ]
    rep = fake.user(101, "An", language_code=language)
    await speak(rep, language)
    await rep.send("/close erp 15/01/2027")
    labels = rep.buttons()
    assert len(labels) == 9 and labels[-1].startswith(t._("More"))
    await rep.click(labels[-1])
    labels = rep.buttons()
    assert len(labels) == 2
    await rep.click(labels[0])
    picked = next(d for d in deals if f"#{d.id} " in labels[0])
    assert (await load_deal(uow_factory, picked.id)).close_date == date(2027, 1, 15)


async def test_a_managers_picker_names_the_owner_and_my_deals_tell_same_names_apart(
    fake, pick_app, seed, uow_factory
):
    await make_deal(uow_factory, seed.rep, "ERP – Công ty TNHH Minh Phát", amount=10_000_000)
    await make_deal(uow_factory, seed.rep2, "ERP – Công ty TNHH Minh Phát", amount=20_000_000)
    manager = fake.user(100, "Mai", language_code="vi")
    await speak(manager, "vi")
    await manager.send("/deal minh phat")
    labels = manager.buttons()
    assert any("An Rep" in label for label in labels)
    assert any("Binh Rep" in label for label in labels)
    for index in range(3):
        await make_deal(uow_factory, seed.rep, "ERP – Công ty TNHH Minh Phát", amount=index + 1)
    rep = fake.user(101, "An", language_code="vi")
    await speak(rep, "vi")
    await rep.send("/mydeals")
    labels = rep.buttons()
    assert len(labels) == 4 and len(set(labels)) == 4


@pytest.mark.parametrize(("language", "when"), [("en", "next wed"), ("vi", "thứ 4 tới")])
async def test_close_with_a_date_read_two_ways_offers_both_as_buttons(
    fake, pick_app, seed, uow_factory, language, when
):
    deal = await make_deal(uow_factory, seed.rep, "Acme ERP")
    rep = fake.user(101, "An", language_code=language)
    await speak(rep, language)
    await rep.send(f"/close #{deal.id} {when}")
    labels = rep.buttons()
    assert len(labels) == 2
    await rep.click(labels[1])
    assert (await load_deal(uow_factory, deal.id)).close_date == date(2026, 12, 2)
