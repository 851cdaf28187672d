"""The guided deal form (/new alone), through the whole bot, in Vietnamese, Thai and English."""

from __future__ import annotations

import json
from datetime import date, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from bot.conversations.deals.form_view import add_from_contact_data
from bot.formatting import format_date, format_money
from bot.i18n import translator
from storage.directory import new_account, new_contact
from storage.models import (
    Account,
    Campaign,
    Contact,
    DealType,
    Draft,
    Opportunity,
    OpportunityLine,
    Product,
    Rating,
    Source,
    Stage,
)
from storage.text import fold

# Monday 23 November 2026, 09:00 in Ho Chi Minh City.
NOW = datetime.fromisoformat("2026-11-23T02:00:00+00:00")
NAMES = {"vi": "Tủ lạnh Daikin", "th": "ระบบ POS สาขา", "en": "Acme ERP"}


@pytest.fixture
async def form_app(make_app):
    return await make_app(clock=lambda: NOW)


@pytest.fixture
async def catalog(seed, uow_factory):
    """An account, a contact of each rep, products in two currencies and a campaign."""
    async with uow_factory() as uow:
        account = new_account(seed.rep, "Công ty Minh Phát")
        uow.session.add(account)
        await uow.session.flush()
        rows = {
            "contact": new_contact(seed.rep, "Lan Nguyễn", account=account),
            "others_contact": new_contact(seed.rep2, "Bình Trần"),
            "router": Product(
                team_id=seed.team.id, name="Router Wi-Fi", unit_price=1_500_000, currency="VND"
            ),
            "dollars": Product(
                team_id=seed.team.id, name="Cloud plan", unit_price=900, currency="USD"
            ),
            "foreign": Product(
                team_id=seed.other_team.id, name="Bangkok kit", unit_price=100, currency="VND"
            ),
            "campaign": Campaign(
                team_id=seed.team.id, name="Tết 2027", search_name=fold("Tết 2027")
            ),
        }
        uow.session.add_all(rows.values())
        await uow.session.commit()
        ids = SimpleNamespace(account=account.id, **{name: row.id for name, row in rows.items()})
    return ids


async def _user(fake, language, telegram_id=101):
    user = fake.user(telegram_id, "An", language_code=language)
    await user.send(f"/language {language}")
    return user, translator(language)


async def _draft(uow_factory):
    async with uow_factory() as uow:
        return (await uow.session.execute(select(Draft))).scalar_one_or_none()


async def _deals(uow_factory):
    async with uow_factory() as uow:
        return list(
            (await uow.session.execute(select(Opportunity).order_by(Opportunity.id))).scalars()
        )


async def _id_of(uow_factory, model, **where):
    async with uow_factory() as uow:
        statement = select(model.id).filter_by(**where)
        return (await uow.session.execute(statement)).scalar_one()


def _button_data(user, label):
    """The data of the button labelled ``label`` (exactly, else as a part) in the last keyboard."""
    for message in reversed(user.messages):
        rows = (message.get("reply_markup") or {}).get("inline_keyboard")
        if rows:
            buttons = [b for row in rows for b in row]
            found = [b for b in buttons if b["text"] == label] or [
                b for b in buttons if label in b["text"]
            ]
            return message["message_id"], found[0]["callback_data"]
    raise AssertionError("no keyboard")


async def _walk_required(user, t, name="Acme ERP"):
    await user.send("/new")
    await user.send(name)
    await user.send("50000000")
    await user.click(t._("End of next month"))
    await user.click(t._("Proposal"))


@pytest.mark.parametrize("language", ["vi", "th", "en"])
async def test_a_full_guided_deal_is_saved_exactly_as_entered(
    fake, form_app, seed, catalog, uow_factory, language
):
    user, t = await _user(fake, language)
    await user.send("/new")
    assert t._("New deal. What is it called? For example: Acme ERP.") in user.last_text()
    await user.send(NAMES[language])
    await user.send("50000000")
    await user.click(t._("End of next month"))
    await user.click(t._("Proposal"))
    await user.send("minh")
    await user.click("Minh Phát")
    await user.click(t._("Skip"))  # contact
    await user.send("tet")
    await user.click("Tết 2027")
    await user.click(t._("Hot"))
    await user.click(t._("Existing customer"))
    await user.click(t._("Referral"))
    await user.send("70")
    await user.click("Router Wi-Fi")
    await user.send("3")
    await user.click(t._("Continue"))
    await user.send("Gọi lại thứ Hai <sớm>")
    summary = user.last_text()
    assert NAMES[language] in summary
    assert format_money(4_500_000, "VND", language) in summary  # the lines' sum
    assert format_money(3_150_000, "VND", language) in summary  # expected revenue at 70 %
    assert "Gọi lại thứ Hai <sớm>" in summary
    await user.click(t._("Save"))
    assert t._("Deal saved.") in user.last_text()

    [deal] = await _deals(uow_factory)
    proposal = await _id_of(uow_factory, Stage, team_id=seed.team.id, code="proposal")
    referral = await _id_of(uow_factory, Source, team_id=seed.team.id, code="referral")
    assert (deal.name, deal.amount, deal.currency, deal.close_date) == (
        NAMES[language],
        4_500_000,
        "VND",
        date(2026, 12, 31),
    )
    assert (deal.stage_id, deal.probability, deal.probability_overridden) == (proposal, 70, True)
    assert (deal.account_id, deal.contact_id, deal.campaign_id) == (
        catalog.account,
        None,
        catalog.campaign,
    )
    assert (deal.rating, deal.deal_type, deal.source_id) == (
        Rating.HOT,
        DealType.EXISTING_CUSTOMER,
        referral,
    )
    assert deal.description == "Gọi lại thứ Hai <sớm>"
    assert deal.owner_id == seed.rep.id
    async with uow_factory() as uow:
        lines = (await uow.session.execute(select(OpportunityLine))).scalars().all()
    assert [(line.product_id, line.quantity, line.unit_price) for line in lines] == [
        (catalog.router, 3, 1_500_000)
    ]
    assert await _draft(uow_factory) is None


@pytest.mark.parametrize("language", ["vi", "th", "en"])
async def test_an_invalid_answer_at_every_step_is_explained_and_the_draft_kept(
    fake, form_app, seed, catalog, uow_factory, language
):
    user, t = await _user(fake, language)

    async def refused(answer, explanation, step):
        await user.send(answer)
        assert explanation in user.last_text(), user.last_text()
        draft = await _draft(uow_factory)
        assert draft.step == step
        return draft.data

    await user.send("/new")
    deal_name = t._("The deal needs a name of 1 to 200 characters.")
    await refused("   ", deal_name, "NAME")
    await refused("x" * 201, deal_name, "NAME")
    await user.send("Acme ERP")
    data = await refused(
        "abc",
        t._("I could not read that amount. Write it like 50000000, 50tr or $5,000."),
        "AMOUNT",
    )
    assert data["name"] == "Acme ERP"
    await refused("-5", t._("The amount cannot be negative."), "AMOUNT")
    await refused("99999999999999999999", t._("That amount is too large."), "AMOUNT")
    await user.send("$5,000" if language == "en" else "5000 USD")
    await refused(
        "31/02/2027", t._("{text} is not a real date.").format(text="31/02/2027"), "CLOSE_DATE"
    )
    await refused("hello", t._("I could not read that date."), "CLOSE_DATE")
    past = t._("{date} is already past. Did you mean a later date?")
    data = await refused(
        "2026-01-01", past.format(date=format_date(date(2026, 1, 1), language)), "CLOSE_DATE"
    )
    assert (data["name"], data["amount"], data["currency"]) == ("Acme ERP", 500_000, "USD")
    await user.send("31/12")
    await refused("Proposal", t._("Please choose one of the buttons."), "STAGE")
    await user.click(t._("Negotiation"))
    await refused("y" * 201, t._("The account name must be 1 to 200 characters."), "ACCOUNT")
    await user.click(t._("Skip"))
    await refused("z" * 201, t._("The contact name must be 1 to 200 characters."), "CONTACT")
    await user.click(t._("Skip"))
    await user.click(t._("Skip"))  # campaign
    await refused("hot", t._("Please choose one of the buttons."), "RATING")
    await user.click(t._("Warm"))
    await refused("new", t._("Please choose one of the buttons."), "DEAL_TYPE")
    await user.click(t._("New customer"))
    await user.click(t._("Skip"))  # source
    out_of_range = t._("The probability must be between 0 and 100.")
    await refused("150", out_of_range, "PROBABILITY")
    await refused("-3", out_of_range, "PROBABILITY")
    await user.click(t._("Skip"))
    await user.click("Cloud plan")  # priced in USD like the deal
    quantity = t._("The quantity must be a whole number from 1 to 1,000,000.")
    await refused("0", quantity, "QUANTITY")
    await refused("lots", quantity, "QUANTITY")
    await user.send("2")
    await user.click(t._("Continue"))
    too_long = t._("The description can be at most {max} characters; this one has {n}.")
    data = await refused("d" * 4001, too_long.format(max=4000, n=4001), "DESCRIPTION")
    assert data["lines"] == [[catalog.dollars, 2]]
    await user.send("Demo next week")
    draft = await _draft(uow_factory)
    assert draft.step == "SUMMARY"
    assert {key: draft.data[key] for key in ("name", "close_date", "rating", "deal_type")} == {
        "name": "Acme ERP",
        "close_date": "2026-12-31",
        "rating": "warm",
        "deal_type": "new_customer",
    }
    await user.click(t._("Save"))
    [deal] = await _deals(uow_factory)
    assert (deal.amount, deal.currency, deal.probability) == (1_800, "USD", 80)


async def test_an_ambiguous_amount_or_date_offers_its_readings_as_buttons(
    fake, form_app, seed, uow_factory
):
    user, t = await _user(fake, "vi")
    await user.send("/new")
    await user.send("Phần mềm")
    await user.send("1.234 tr")
    assert format_money(1_234_000_000, "VND", "vi") in user.last_text()
    await user.click(format_money(1_234_000, "VND", "vi"))
    assert (await _draft(uow_factory)).data["amount"] == 1_234_000
    await user.click(t._("End of quarter"))
    assert (await _draft(uow_factory)).data["close_date"] == "2026-12-31"


async def test_a_button_from_a_cancelled_draft_changes_nothing(
    fake, form_app, seed, catalog, uow_factory
):
    user, t = await _user(fake, "en")
    await _walk_required(user, t, "First try")
    old_message, old_skip = _button_data(user, "Skip")
    await user.send("/cancel")
    assert user.last_text() == "Cancelled a new deal (First try). Nothing of it was saved."
    await user.send("/new")
    await user.send("Second try")
    await user.click_data(old_message, old_skip)
    assert "no longer open" in user.last_text()
    assert "How much is the deal worth?" in user.last_text()  # the open question, again
    draft = await _draft(uow_factory)
    assert (draft.step, draft.data["name"]) == ("AMOUNT", "Second try")
    assert await _deals(uow_factory) == []


async def test_forged_buttons_for_another_reps_contact_or_another_teams_records_are_not_found(
    fake, form_app, seed, catalog, uow_factory
):
    user, t = await _user(fake, "en")
    await user.send("/language en")
    message = user.last_message()["message_id"]
    await user.click_data(message, add_from_contact_data(catalog.others_contact))
    assert "That contact was not found." in user.last_text()
    assert await _draft(uow_factory) is None

    await _walk_required(user, t)
    await user.click(t._("Skip"))  # account
    nonce = (await _draft(uow_factory)).data["_nonce"]
    for data, explanation in [
        (f"nd:{nonce}:6:p:{catalog.others_contact}", "That contact was not found."),
        (f"nd:{nonce}:6:p:999999", "That contact was not found."),
    ]:
        await user.click_data(message, data)
        assert explanation in user.last_text()
        draft = await _draft(uow_factory)
        assert draft.step == "CONTACT" and draft.data.get("contact_id") is None
    # The contact card's button naming another rep's contact, pressed mid-form.
    await user.click_data(message, add_from_contact_data(catalog.others_contact))
    assert "That contact was not found." in user.last_text()
    await user.send("lan")
    assert "Lan Nguyễn" in user.buttons()
    assert (await _draft(uow_factory)).data["_nonce"] == nonce
    await user.click(t._("Skip"))
    await user.click(t._("I'm done"))
    await user.click(t._("Edit a field"))
    await user.click(t._("Products"))
    await user.click_data(message, f"nd:{nonce}:12:pr:{catalog.foreign}")
    assert "That product was not found." in user.last_text()
    other_stage = await _id_of(uow_factory, Stage, team_id=seed.other_team.id, code="proposal")
    await user.click(t._("I'm done"))
    await user.click(t._("Edit a field"))
    await user.click(t._("Stage"))
    await user.click_data(message, f"nd:{nonce}:4:st:{other_stage}")
    assert "That stage is not in your team's pipeline." in user.last_text()
    assert (await _draft(uow_factory)).data["stage_id"] != other_stage


async def test_long_thai_names_and_html_characters_render_and_every_button_fits_64_bytes(
    fake, form_app, seed, uow_factory
):
    user, t = await _user(fake, "th")
    thai_name = ("ระบบบัญชีสำหรับร้านค้า" * 10)[:200]
    async with uow_factory() as uow:
        uow.session.add(new_account(seed.rep, "<Acme> & Sons " + "ก" * 150))
        await uow.session.commit()
    await user.send("/new")
    await user.send(thai_name)
    await user.send("5 แสน")
    await user.click(t._("End of this month"))
    await user.click(t._("Prospecting"))
    await user.send("acme")
    await user.click("<Acme> & Sons")
    await user.click(t._("I'm done"))
    assert thai_name in user.last_text()
    assert "<Acme> & Sons" in user.last_text()
    await user.click(t._("Edit a field"))
    await user.click(t._("Name"))
    await user.send("Bình <Boss> & Co")
    assert "Bình <Boss> & Co" in user.last_text()  # back on the summary, rendered as text
    await user.click(t._("Save"))
    [deal] = await _deals(uow_factory)
    assert deal.name == "Bình <Boss> & Co"

    sent = fake.calls_of("sendMessage", user.chat_id)
    assert all(call.error is None for call in sent), [c.error for c in sent if c.error]
    datas = []
    for call in sent:
        markup = call.params.get("reply_markup") or {}
        markup = json.loads(markup) if isinstance(markup, str) else markup
        datas += [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]
    assert len(datas) > 30
    assert max(len(data.encode()) for data in datas) <= 64


async def test_a_crash_mid_form_and_a_fresh_application_continue_the_draft(
    fake, make_app, seed, catalog, uow_factory
):
    await make_app(clock=lambda: NOW)
    user, t = await _user(fake, "en")
    await user.send("/new")
    await user.send("Crash test")
    await user.send("20tr")
    # The first Application is dropped without stop(): nothing it held in memory survives.
    await make_app(clock=lambda: NOW)
    await user.send("31/12/2026")
    assert "Which stage" in user.last_text()
    await user.click(t._("Qualification"))
    await user.click(t._("I'm done"))
    await user.click(t._("Save"))
    [deal] = await _deals(uow_factory)
    assert (deal.name, deal.amount, deal.close_date) == (
        "Crash test",
        20_000_000,
        date(2026, 12, 31),
    )


async def test_new_with_text_is_still_the_one_line_create(fake, form_app, seed, uow_factory):
    user, _ = await _user(fake, "en")
    await user.send("/new Acme ERP 50tr 31/12 hot")
    assert "Deal saved." in user.last_text()
    [deal] = await _deals(uow_factory)
    assert (deal.name, deal.amount) == ("Acme ERP", 50_000_000)
    assert await _draft(uow_factory) is None


async def test_back_returns_one_step_and_edit_returns_to_the_summary(
    fake, form_app, seed, catalog, uow_factory
):
    user, t = await _user(fake, "en")
    await _walk_required(user, t)
    await user.click(t._("Back"))
    assert "Which stage" in user.last_text()
    await user.click(t._("Back"))
    assert "expected to close" in user.last_text()
    await user.send("15/01/2027")
    await user.click(t._("Negotiation"))
    await user.click(t._("I'm done"))
    await user.click(t._("Edit a field"))
    await user.click(t._("Amount"))
    await user.send("75tr")
    assert "<b>" not in user.last_text() and "75.000.000" in user.last_text().replace(",", ".")
    await user.click(t._("Edit a field"))
    await user.click(t._("Rating"))
    await user.click(t._("Cold"))
    draft = await _draft(uow_factory)
    assert draft.step == "SUMMARY"
    assert (draft.data["amount"], draft.data["rating"], draft.data["close_date"]) == (
        75_000_000,
        "cold",
        "2027-01-15",
    )
    await user.click(t._("Back"))
    assert "note about the deal" in user.last_text()


async def test_add_opportunity_on_a_contact_card_prefills_contact_and_account(
    fake, form_app, seed, catalog, uow_factory
):
    user, t = await _user(fake, "en")
    message = user.last_message()["message_id"]
    await user.click_data(message, add_from_contact_data(catalog.contact))
    assert "Lan Nguyễn" in user.last_text()
    await _walk_required_after_start(user, t)
    # Account and contact were filled in, so the next question is the campaign.
    assert "Which campaign" in user.last_text()
    await user.click(t._("I'm done"))
    await user.click(t._("Save"))
    [deal] = await _deals(uow_factory)
    assert (deal.contact_id, deal.account_id) == (catalog.contact, catalog.account)


async def _walk_required_after_start(user, t):
    await user.send("Second site")
    await user.send("10tr")
    await user.click(t._("End of next month"))
    await user.click(t._("Proposal"))


async def test_create_new_links_on_save_and_a_repeated_save_creates_one_deal(
    fake, form_app, seed, catalog, uow_factory
):
    user, t = await _user(fake, "en")
    await _walk_required(user, t)
    await user.send("Hoàng Long")
    await user.click("Create new")
    await user.send("Mr Long")
    await user.click("Create new")
    await user.send("Summer")
    assert "Create new" not in " ".join(user.buttons())  # campaigns are the managers' to add
    await user.click(t._("I'm done"))
    assert "Hoàng Long (new)" in user.last_text()
    async with uow_factory() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Account)) == 1
    await user.click(t._("Save"))
    await user.deliver_again()
    [deal] = await _deals(uow_factory)
    async with uow_factory() as uow:
        account = await uow.session.get(Account, deal.account_id)
        contact = await uow.session.get(Contact, deal.contact_id)
        accounts = await uow.session.scalar(select(func.count()).select_from(Account))
    assert (account.name, contact.name, contact.account_id, accounts) == (
        "Hoàng Long",
        "Mr Long",
        account.id,
        2,
    )


async def test_new_offers_to_continue_an_unfinished_deal(fake, form_app, seed, uow_factory):
    user, t = await _user(fake, "en")
    await user.send("/new")
    await user.send("Half done")
    await user.send("/new")
    assert "unfinished deal Half done" in user.last_text()
    await user.click(t._("Continue"))
    assert "How much is the deal worth?" in user.last_text()
    await user.send("/new")
    await user.click(t._("Start over"))
    assert "What is it called?" in user.last_text()
    assert "name" not in (await _draft(uow_factory)).data
