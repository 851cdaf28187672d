"""Reports a manager can trust: one warning for one problem, money to scan, /fx that checks."""

from datetime import date

import pytest

from bot.i18n import translator
from storage.opportunities import OpportunityInput, create_opportunity
from tests.e2e.report_seed import NOW

REPORTS = ("/pipeline", "/forecast", "/campaigns", "/sources")


@pytest.fixture
async def words_app(make_app):
    return await make_app(clock=lambda: NOW)


async def _deal(uow_factory, actor, name, amount, currency, close):
    async with uow_factory() as uow:
        await create_opportunity(
            uow,
            actor,
            OpportunityInput(name=name, close_date=close, amount=amount, currency=currency),
        )


async def _thai_deals(uow_factory, seed):
    await _deal(uow_factory, seed.rep, "Hà Nội ERP", 19_090_600_000, "VND", date(2026, 12, 20))
    await _deal(uow_factory, seed.rep, "Bangkok POS", 50_000_000, "THB", date(2026, 12, 10))
    await _deal(uow_factory, seed.rep2, "Chiang Mai", 5_000_000, "THB", date(2026, 11, 30))


async def _member(fake, telegram_id, name, language):
    user = fake.user(telegram_id, name, language_code=language)
    await user.send(f"/language {language}")
    return user


def _warning(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("⚠️") and "THB" in line)


@pytest.mark.parametrize("language", ["vi", "th", "en"])
async def test_every_report_gives_the_same_warning_naming_the_deals_and_the_fix(
    fake, words_app, seed, uow_factory, language
):
    await _thai_deals(uow_factory, seed)
    manager = await _member(fake, 100, "Mai", language)
    warnings = []
    for command in REPORTS:
        await manager.send(command)
        warnings.append(_warning(manager.last_text()))
    assert len(set(warnings)) == 1, warnings
    warning = warnings[0]
    assert "THB" in warning and "/fx THB 710" in warning
    assert {"vi": "550 nghìn ฿", "th": "฿5.5 แสน", "en": "THB550K"}[language] in warning
    assert translator(language).n_("{n} deal", "{n} deals", 2).format(n=2).split()[0] in warning


@pytest.mark.parametrize("language", ["vi", "th"])
async def test_summaries_are_compact_and_every_line_says_what_it_is(
    fake, words_app, seed, uow_factory, language
):
    t = translator(language)
    await _thai_deals(uow_factory, seed)
    admin = await _member(fake, 1, "Admin", language)
    await admin.send("/fx THB 735")
    manager = await _member(fake, 100, "Mai", language)
    await manager.send("/pipeline")
    text = manager.last_text()
    assert {"vi": "19,1 tỷ ₫", "th": "₫19,091 ล้าน"}[language] in text
    assert ",00" not in text and ".00" not in text
    own = t._("In their own currencies: {amounts}").split("{")[0]
    assert all(own in line for line in text.splitlines() if "฿" in line and "·" in line)
    await manager.send("/forecast")
    forecast = manager.last_text()
    assert t.n_("{n} deal", "{n} deals", 0).format(n=0) not in forecast
    # December and November have deals; the four months after them do not.
    assert len([line for line in forecast.splitlines() if "(" in line and ":" in line]) <= 4


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_fx_takes_only_iso_codes_and_positive_rates(fake, words_app, seed, language):
    t = translator(language)
    admin = await _member(fake, 1, "Admin", language)
    for command in ("/fx XYZ 10", "/fx THB 0", "/fx THB -5", "/fx THB NaN", "/fx THB inf"):
        await admin.send(command)
        assert t._("Exchange rate saved.") not in admin.last_text(), command
    await admin.send("/fx XYZ 10")
    assert "XYZ" in admin.last_text()
    await admin.send("/fx thb 735")
    assert t._("Exchange rate saved.") in admin.last_text()


@pytest.mark.parametrize("language", ["th", "vi", "en"])
async def test_fx_examples_use_a_rate_of_the_right_order_for_the_teams_currency(
    fake, words_app, seed, language
):
    admin = await _member(fake, 1, "Admin", language)
    await admin.send("/fx USD")
    assert "/fx USD 25000" in admin.last_text()
    assert "/fx USD 36" not in admin.last_text()
    await admin.send("/fx")
    assert "/fx USD 25000" in admin.last_text()
    await admin.send("/fx USD 25400")
    await admin.send("/fx USD")
    assert "/fx USD 25400" in admin.last_text()


@pytest.mark.parametrize(("language", "full"), [("th", "฿500,000"), ("en", "THB 500,000")])
async def test_cards_show_the_full_figure_without_cents_when_it_is_whole(
    fake, words_app, seed, uow_factory, language, full
):
    await _thai_deals(uow_factory, seed)
    rep = await _member(fake, 101, "An", language)
    await rep.send("/deal Bangkok POS")
    card = rep.last_text()
    assert ".00" not in card
    assert full.replace("THB ", "THB") in card.replace("\xa0", "")
