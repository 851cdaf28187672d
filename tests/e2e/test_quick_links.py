"""``@account`` and ``+contact`` in a one-line deal link what exists; several matches are asked."""

import pytest

from storage.models import Account, Contact, Opportunity
from tests.e2e.directory_helpers import add_accounts, add_contacts, count_of, name_of, only_deal
from tests.e2e.people import rep_speaking


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
    await add_accounts(uow_factory, seed.rep, "Bangkok Dental Clinic", "Saigon Coffee Roasters")
    rep = await rep_speaking(fake, language)
    await rep.send(f"/new Implant chairs 10tr 31/12 {tag}")
    deal = await only_deal(uow_factory)
    assert await name_of(uow_factory, Account, deal.account_id) == account
    assert await count_of(uow_factory, Account) == 2


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_several_matching_accounts_are_asked_and_only_new_creates_one(
    t, fake, now_app, seed, uow_factory, language
):
    await add_accounts(uow_factory, seed.rep, "Bangkok Dental Clinic", "Bangkok Bank")
    rep = await rep_speaking(fake, language)
    await rep.send("/new Chairs 10tr 31/12 @Bangkok")
    assert await count_of(uow_factory, Opportunity) == 0
    assert rep.buttons()[:2] == ["Bangkok Bank", "Bangkok Dental Clinic"]
    await rep.click("Bangkok Bank")
    deal = await only_deal(uow_factory)
    assert await name_of(uow_factory, Account, deal.account_id) == "Bangkok Bank"
    await rep.send("/new Loans 10tr 31/12 @Bangkok")
    await rep.click(t._("New account “{name}”").format(name="Bangkok"))
    assert await count_of(uow_factory, Account) == 3


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_several_matching_contacts_are_asked(fake, now_app, seed, uow_factory, language):
    await add_contacts(uow_factory, seed.rep, "Lan Phạm", "Lan Anh")
    rep = await rep_speaking(fake, language)
    await rep.send("/new Chairs 10tr 31/12 +lan")
    assert await count_of(uow_factory, Opportunity) == 0
    await rep.click("Lan Phạm")
    deal = await only_deal(uow_factory)
    assert await name_of(uow_factory, Contact, deal.contact_id) == "Lan Phạm"
    assert await count_of(uow_factory, Contact) == 2
