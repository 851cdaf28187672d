"""``@account`` and ``+contact`` in a one-line deal link what exists; several matches are asked."""

import pytest
from sqlalchemy import func, select

from bot.i18n import translator
from storage.directory import create_account, create_contact
from storage.models import Account, Contact, Opportunity
from tests.e2e.people import rep_speaking


async def _deal(uow_factory) -> Opportunity:
    async with uow_factory() as uow:
        return (await uow.session.execute(select(Opportunity))).scalar_one()


async def _count(uow_factory, model) -> int:
    async with uow_factory() as uow:
        return await uow.session.scalar(select(func.count(model.id)))


@pytest.mark.parametrize("language", ["en", "th"])
@pytest.mark.parametrize(
    ("tag", "account"),
    [
        ("@Bangkok", "Bangkok Dental Clinic"),
        ('@"Bangkok Dental"', "Bangkok Dental Clinic"),
        ("@saigon", "Saigon Coffee Roasters"),
        ("@dental", "Bangkok Dental Clinic"),
    ],
)
async def test_a_unique_prefix_or_word_links_the_existing_account(
    fake, now_app, seed, uow_factory, language, tag, account
):
    async with uow_factory() as uow:
        await create_account(uow, seed.rep, "Bangkok Dental Clinic")
    async with uow_factory() as uow:
        await create_account(uow, seed.rep, "Saigon Coffee Roasters")
    rep = await rep_speaking(fake, language)
    await rep.send(f"/new Implant chairs 10tr 31/12 {tag}")
    deal = await _deal(uow_factory)
    async with uow_factory() as uow:
        linked = await uow.session.get(Account, deal.account_id)
    assert linked.name == account
    assert await _count(uow_factory, Account) == 2


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_several_matching_accounts_are_asked_and_only_new_creates_one(
    fake, now_app, seed, uow_factory, language
):
    t = translator(language)
    async with uow_factory() as uow:
        await create_account(uow, seed.rep, "Bangkok Dental Clinic")
    async with uow_factory() as uow:
        await create_account(uow, seed.rep, "Bangkok Bank")
    rep = await rep_speaking(fake, language)
    await rep.send("/new Chairs 10tr 31/12 @Bangkok")
    assert await _count(uow_factory, Opportunity) == 0
    assert rep.buttons()[:2] == ["Bangkok Bank", "Bangkok Dental Clinic"]
    await rep.click("Bangkok Bank")
    deal = await _deal(uow_factory)
    async with uow_factory() as uow:
        assert (await uow.session.get(Account, deal.account_id)).name == "Bangkok Bank"
    await rep.send("/new Loans 10tr 31/12 @Bangkok")
    await rep.click(t._("New account “{name}”").format(name="Bangkok"))
    assert await _count(uow_factory, Account) == 3


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_several_matching_contacts_are_asked(fake, now_app, seed, uow_factory, language):
    async with uow_factory() as uow:
        await create_contact(uow, seed.rep, "Lan Phạm")
    async with uow_factory() as uow:
        await create_contact(uow, seed.rep, "Lan Anh")
    rep = await rep_speaking(fake, language)
    await rep.send("/new Chairs 10tr 31/12 +lan")
    assert await _count(uow_factory, Opportunity) == 0
    await rep.click("Lan Phạm")
    deal = await _deal(uow_factory)
    async with uow_factory() as uow:
        assert (await uow.session.get(Contact, deal.contact_id)).name == "Lan Phạm"
    assert await _count(uow_factory, Contact) == 2
