"""The guided form skips a step that cannot apply: no products, no Products question."""

from datetime import datetime

import pytest
from sqlalchemy import select

from bot.i18n import translator
from storage.models import Opportunity, Product

NOW = datetime.fromisoformat("2026-11-23T02:00:00+00:00")


@pytest.fixture
async def form_app(make_app):
    return await make_app(clock=lambda: NOW)


async def _walk_to_description(user, t):
    await user.send("/new")
    await user.send("Acme ERP")
    await user.send("50000000")
    await user.click(t._("End of next month"))
    await user.click(t._("Proposal"))
    for _ in range(7):  # account, contact, campaign, rating, type, source, probability
        await user.click(t._("Skip"))


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_a_team_without_products_is_never_asked_for_them(
    fake, form_app, seed, uow_factory, language
):
    t = translator(language)
    user = fake.user(101, "An", language_code=language)
    await user.send(f"/language {language}")
    await _walk_to_description(user, t)
    assert t._("Anything to note about the deal? Type a short description.") in user.last_text()
    await user.send("Router")
    await user.click(t._("Save"))
    async with uow_factory() as uow:
        [deal] = (await uow.session.execute(select(Opportunity))).scalars().all()
    assert deal.description == "Router"


@pytest.mark.parametrize("language", ["th", "en"])
async def test_a_team_with_products_is_asked_for_them(fake, form_app, seed, uow_factory, language):
    async with uow_factory() as uow:
        uow.session.add(
            Product(team_id=seed.team.id, name="Router", unit_price=1_500_000, currency="VND")
        )
        await uow.commit()
    t = translator(language)
    user = fake.user(101, "An", language_code=language)
    await user.send(f"/language {language}")
    await _walk_to_description(user, t)
    assert any(label.startswith("Router") for label in user.buttons())
