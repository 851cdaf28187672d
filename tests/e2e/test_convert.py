"""Converting a lead into an account, a contact and a deal, through the whole bot."""

from datetime import date

import pytest
from sqlalchemy import func, select

from bot.i18n import translator
from bot.labels import STAGE_NAMES
from storage.directory import create_account, create_contact
from storage.leads import LeadInput, create_lead
from storage.models import Account, Contact, Draft, Lead, LeadStatus, Opportunity, Stage
from tests.e2e.deal_helpers import (
    LONG_THAI_NAME,
    NOW,
    TRICKY_NAME,
    button_data,
    data_of_button,
    refused_calls,
)
from tests.e2e.people import click_for, rep_speaking, reply_to


async def _lead(uow_factory, actor, person="Lan Phạm", company="Minh Phát", **fields):
    async with uow_factory() as uow:
        return await create_lead(
            uow, actor, LeadInput(person_name=person, company_name=company, **fields)
        )


async def _all(uow_factory, model):
    async with uow_factory() as uow:
        return list((await uow.session.execute(select(model).order_by(model.id))).scalars())


async def _counts(uow_factory):
    async with uow_factory() as uow:
        return tuple(
            [
                await uow.session.scalar(select(func.count()).select_from(model))
                for model in (Account, Contact, Opportunity, Draft)
            ]
        )


def _stage_label(language: str, code: str, probability: int) -> str:
    t = translator(language)
    return t._("{stage} ({probability}%)").format(
        stage=t._(STAGE_NAMES[code]), probability=probability
    )


def _assert_clean(fake):
    assert refused_calls(fake) == []
    assert all(len(data.encode()) <= 64 for data in button_data(fake))


@pytest.mark.parametrize(
    ("language", "amount", "close", "stage", "stored"),
    [
        ("vi", "50tr", "31/12", ("proposal", 50), (50_000_000, "VND", date(2026, 12, 31))),
        (
            "th",
            "1.2 ล้าน",
            "31 ธ.ค. 2569",
            ("negotiation", 80),
            (1_200_000, "VND", date(2026, 12, 31)),
        ),
        (
            "en",
            "$5,000",
            "end of month",
            ("qualification", 20),
            (500_000, "USD", date(2026, 11, 30)),
        ),
    ],
)
async def test_a_lead_conversion_links_the_existing_account_and_says_what_it_did(
    fake, now_app, seed, uow_factory, language, amount, close, stage, stored
):
    async with uow_factory() as uow:
        account = await create_account(uow, seed.rep2, "Cty TNHH Minh Phát")
    lead = await _lead(uow_factory, seed.rep, phone="0901 234 567", email="lan@minhphat.vn")
    t = translator(language)
    rep = await rep_speaking(fake, language)
    await rep.send("/convert lan")
    assert "Lan Phạm" in rep.last_text() and "Cty TNHH Minh Phát" in rep.last_text()
    await rep.click(t._("Link existing"))
    await rep.click(t._("Use “{name}”").format(name="Minh Phát – Lan Phạm"))
    await rep.send(amount)
    await rep.send(close)
    await rep.click(_stage_label(language, *stage))

    [deal] = await _all(uow_factory, Opportunity)
    [contact] = await _all(uow_factory, Contact)
    [stored_lead] = await _all(uow_factory, Lead)
    [stage_row] = [s for s in await _all(uow_factory, Stage) if s.id == deal.stage_id]
    assert (deal.name, deal.amount, deal.currency, deal.close_date) == (
        "Minh Phát – Lan Phạm",
        *stored,
    )
    assert (stage_row.code, deal.probability) == stage
    assert (deal.account_id, deal.contact_id, deal.lead_id, deal.owner_id) == (
        account.id,
        contact.id,
        lead.id,
        seed.rep.id,
    )
    assert (contact.name, contact.phone, contact.email, contact.account_id) == (
        "Lan Phạm",
        "0901234567",
        "lan@minhphat.vn",
        account.id,
    )
    assert (stored_lead.status, stored_lead.account_id, stored_lead.contact_id) == (
        LeadStatus.CONVERTED,
        account.id,
        contact.id,
    )
    answer = rep.last_text()
    assert t._("Linked the existing account {name}.").format(name="Cty TNHH Minh Phát") in answer
    assert t._("Created the contact {name}.").format(name="Lan Phạm") in answer
    assert (
        t._("Created the deal {name} (#{id}).").format(name="Minh Phát – Lan Phạm", id=deal.id)
        in answer
    )

    assert t._("This lead was already converted.") in await reply_to(rep, f"/convert {lead.id}")
    assert await _counts(uow_factory) == (1, 1, 1, 0)
    _assert_clean(fake)


async def test_a_conversion_can_create_new_records_instead_of_linking_the_matches(
    fake, now_app, seed, uow_factory
):
    async with uow_factory() as uow:
        await create_account(uow, seed.rep, "ACME Co., Ltd")
    async with uow_factory() as uow:
        await create_contact(uow, seed.rep, "Old Lan", phone="+84 901 234 567")
    lead = await _lead(uow_factory, seed.rep, person="Lan", company="Acme", phone="0901234567")
    rep = await rep_speaking(fake)
    assert "ACME Co., Ltd" in await reply_to(rep, f"/convert #{lead.id}")
    assert "Old Lan" in await click_for(rep, "Create new")
    await rep.click("Create new")
    await rep.send("Acme ERP")
    await rep.click("Skip")
    await rep.click("End of next month")
    await rep.click(_stage_label("en", "prospecting", 10))
    accounts, contacts = await _all(uow_factory, Account), await _all(uow_factory, Contact)
    [deal] = await _all(uow_factory, Opportunity)
    assert [a.name for a in accounts] == ["ACME Co., Ltd", "Acme"]
    assert [c.name for c in contacts] == ["Old Lan", "Lan"]
    assert (deal.name, deal.amount, deal.close_date) == ("Acme ERP", 0, date(2026, 12, 31))
    assert (deal.account_id, deal.contact_id) == (accounts[1].id, contacts[1].id)
    answer = rep.last_text()
    assert "Created the account Acme." in answer and "Created the contact Lan." in answer


async def test_the_cards_convert_button_converts_and_the_card_then_shows_what_it_became(
    fake, now_app, seed, uow_factory
):
    t = translator("vi")
    rep = await rep_speaking(fake, "vi")
    await rep.send("/lead Trần Bình 0912 345 678 cty Hoà Phát")
    card = rep.last_message()
    await rep.click(t._("Convert"))
    plan = rep.last_text()
    assert t._("A new account {name} will be created.").format(name="Hoà Phát") in plan
    assert t._("A new contact {name} will be created.").format(name="Trần Bình") in plan
    await rep.send("Thép Hoà Phát")
    await rep.send("1,5 tỷ")
    await rep.send("cuối tháng")
    await rep.click(_stage_label("vi", "prospecting", 10))
    [deal] = await _all(uow_factory, Opportunity)
    assert (deal.name, deal.amount, deal.close_date) == (
        "Thép Hoà Phát",
        1_500_000_000,
        date(2026, 11, 30),
    )
    assert t._("Created the account {name}.").format(name="Hoà Phát") in rep.last_text()

    # The old card's Convert button: refused, and the answer is the converted card.
    convert = data_of_button(card, lambda button: button["text"] == t._("Convert"))
    await rep.click_data(card["message_id"], convert)
    answer = rep.last_text()
    assert t._("This lead was already converted.") in answer
    assert "Thép Hoà Phát" in answer and "Hoà Phát" in answer and "Trần Bình" in answer
    assert t._("Open deal") in rep.buttons()
    assert await _counts(uow_factory) == (1, 1, 1, 0)


async def test_a_rep_gets_not_found_converting_another_reps_lead_and_nothing_changes(
    fake, now_app, seed, uow_factory
):
    lead = await _lead(uow_factory, seed.rep2, person="Binh's lead")
    rep = await rep_speaking(fake)
    await rep.send("/leads")
    await rep.click_data(rep.last_message()["message_id"], f"ld:cv:{lead.id}")
    assert rep.last_text() == "That lead was not found."
    for text in (f"/convert {lead.id}", f"/convert #{lead.id}", "/convert Binh"):
        await rep.send(text)
        assert rep.last_text() == "That lead was not found."
    other = await rep_speaking(fake, telegram_id=200)
    await other.send(f"/convert {lead.id}")
    assert other.last_text() == "That lead was not found."
    [stored] = await _all(uow_factory, Lead)
    assert stored.status is LeadStatus.NEW
    assert await _counts(uow_factory) == (0, 0, 0, 0)


async def test_a_wrong_answer_is_explained_and_every_earlier_answer_is_kept(
    fake, now_app, seed, uow_factory
):
    lead = await _lead(uow_factory, seed.rep, company=None)
    rep = await rep_speaking(fake)
    assert "no account will be linked" in await reply_to(rep, f"/convert {lead.id}")
    assert "1 to 200 characters" in await reply_to(rep, "x" * 201)
    await rep.send("Lan's order")
    assert "could not read that amount" in await reply_to(rep, "lots of money")
    await rep.send("-5")
    await rep.send("50k")
    await rep.send("31/02")
    assert "could not read that date" in rep.last_text() or "not a real date" in rep.last_text()
    assert "could not read that date" in await reply_to(rep, "Proposal")
    [draft] = await _all(uow_factory, Draft)
    assert draft.step == "CLOSE_DATE"
    assert (draft.data["name"], draft.data["amount"]) == ("Lan's order", 50_000)
    assert "How much" in await click_for(rep, "Back")
    await rep.send("/cancel")
    assert await _counts(uow_factory) == (0, 0, 0, 0)
    [stored] = await _all(uow_factory, Lead)
    assert stored.status is LeadStatus.NEW


async def test_a_conversion_continues_after_a_restart_and_a_redelivered_click_converts_once(
    fake, make_app, seed, uow_factory
):
    await make_app(clock=lambda: NOW)
    lead = await _lead(uow_factory, seed.rep, company=None)
    rep = await rep_speaking(fake)
    await rep.send(f"/convert {lead.id}")
    await rep.click("Use")
    await make_app(clock=lambda: NOW)
    await rep.send("20tr")
    await rep.send("15/01/2027")
    await rep.click(_stage_label("en", "proposal", 50))
    await rep.deliver_again()
    [deal] = await _all(uow_factory, Opportunity)
    assert (deal.name, deal.amount, deal.close_date) == ("Lan Phạm", 20_000_000, date(2027, 1, 15))
    assert await _counts(uow_factory) == (0, 1, 1, 0)


async def test_markup_and_long_thai_names_render_through_a_conversion(
    fake, now_app, seed, uow_factory
):
    lead = await _lead(uow_factory, seed.rep, person=TRICKY_NAME, company=LONG_THAI_NAME)
    t = translator("th")
    rep = await rep_speaking(fake, "th")
    await rep.send(f"/convert {lead.id}")
    assert TRICKY_NAME in rep.last_text() and LONG_THAI_NAME in rep.last_text()
    proposed = f"{LONG_THAI_NAME} – {TRICKY_NAME}"[:200]
    # The button's label is cut to fit a phone: its start is what the rep sees.
    await rep.click(t._("Use “{name}”").format(name=proposed)[:30])
    await rep.click(t._("Skip"))
    await rep.send("31/12")
    await rep.click(_stage_label("th", "proposal", 50))
    [deal] = await _all(uow_factory, Opportunity)
    assert deal.name == proposed
    answer = rep.last_text()
    assert LONG_THAI_NAME in answer and TRICKY_NAME in answer
    _assert_clean(fake)
