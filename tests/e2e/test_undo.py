"""Undo under a fresh deal card: the creator's newest deal, asked once, within ten minutes."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.i18n import translator
from storage.models import Opportunity

# Monday 23 November 2026, 09:00 in Ho Chi Minh City.
START = datetime.fromisoformat("2026-11-23T02:00:00+00:00")


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def undo_app(make_app, clock):
    return await make_app(clock=clock)


async def _ids(uow_factory) -> list[int]:
    async with uow_factory() as uow:
        return list(
            (await uow.session.execute(select(Opportunity.id).order_by(Opportunity.id))).scalars()
        )


async def _speaker(fake, language, user_id=101, name="An"):
    rep = fake.user(user_id, name, language_code=language)
    await rep.send(f"/language {language}")
    return rep


@pytest.mark.parametrize("language", ["en", "th"])
async def test_undo_asks_once_then_deletes(fake, undo_app, seed, uow_factory, language):
    t = translator(language)
    rep = await _speaker(fake, language)
    await rep.send("/new Acme ERP 50tr 31/12")
    [deal_id] = await _ids(uow_factory)
    await rep.click(t._("Undo"))
    assert f"#{deal_id} Acme ERP" in rep.last_text()
    assert await _ids(uow_factory) == [deal_id]
    await rep.click(t._("Delete"))
    assert await _ids(uow_factory) == []


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_an_older_cards_undo_is_dead_and_numbers_are_never_reused(
    fake, undo_app, seed, uow_factory, language
):
    t = translator(language)
    rep = await _speaker(fake, language)
    await rep.send("/new Alpha ERP 50tr 31/12")
    first_card = rep.last_message()["message_id"]
    await rep.send("/new Beta CRM 20tr 31/12")
    first, second = await _ids(uow_factory)
    await rep.click(t._("Undo"))
    await rep.click(t._("Delete"))
    await rep.click_data(first_card, f"deal:undo:{first}")
    await rep.click_data(first_card, f"deal:undo:{first}:y")
    assert await _ids(uow_factory) == [first]
    await rep.send("/new Gamma POS 10tr 31/12")
    assert await _ids(uow_factory) == [first, second + 1]


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("action", ["/won alpha", "/note alpha called", "/stage alpha negot"])
async def test_undo_is_refused_once_anything_happened_to_the_deal(
    fake, undo_app, seed, uow_factory, language, action
):
    rep = await _speaker(fake, language)
    await rep.send("/new Alpha ERP 50tr 31/12")
    card = rep.last_message()["message_id"]
    [deal_id] = await _ids(uow_factory)
    await rep.send(action)
    await rep.click_data(card, f"deal:undo:{deal_id}")
    await rep.click_data(card, f"deal:undo:{deal_id}:y")
    assert await _ids(uow_factory) == [deal_id]


@pytest.mark.parametrize("language", ["en", "th"])
async def test_undo_is_refused_after_ten_minutes(
    fake, undo_app, seed, uow_factory, clock, language
):
    t = translator(language)
    rep = await _speaker(fake, language)
    await rep.send("/new Alpha ERP 50tr 31/12")
    clock.now = START + timedelta(minutes=11)
    await rep.click(t._("Undo"))
    assert await _ids(uow_factory) != []
    assert "10" in rep.last_text()


async def test_a_manager_cannot_undo_a_reps_deal_with_a_forged_button(
    fake, undo_app, seed, uow_factory
):
    rep = await _speaker(fake, "en")
    await rep.send("/new Alpha ERP 50tr 31/12")
    [deal_id] = await _ids(uow_factory)
    manager = await _speaker(fake, "vi", 100, "Mai")
    await manager.send("/deal alpha")
    card = manager.last_message()["message_id"]
    await manager.click_data(card, f"deal:undo:{deal_id}:y")
    assert await _ids(uow_factory) == [deal_id]
