"""Leads, shared contacts and the contact and account cards, through the whole bot."""

from datetime import date

import pytest
from sqlalchemy import func, select

from bot.i18n import translator
from storage.directory import create_account, create_contact
from storage.leads import LeadInput, create_lead
from storage.models import Campaign, Contact, Draft, Lead, LeadStatus
from storage.opportunities import OpportunityInput, create_opportunity
from storage.text import fold
from tests.e2e.deal_helpers import (
    LONG_THAI_NAME,
    TRICKY_NAME,
    button_data,
    last_button_data,
    refused_calls,
)
from tests.e2e.directory_helpers import only_row
from tests.e2e.people import rep_speaking


async def _leads(uow_factory):
    async with uow_factory() as uow:
        return list((await uow.session.execute(select(Lead).order_by(Lead.id))).scalars())


async def _count(uow_factory, model):
    async with uow_factory() as uow:
        return await uow.session.scalar(select(func.count()).select_from(model))


async def _campaign(uow_factory, team_id, name="Tết 2027"):
    async with uow_factory() as uow:
        campaign = Campaign(team_id=team_id, name=name, search_name=fold(name))
        uow.session.add(campaign)
        await uow.commit()
        return campaign


def _assert_clean(fake):
    """Telegram accepted every call, and every button's data fits in 64 bytes."""
    assert refused_calls(fake) == []
    assert all(len(data.encode()) <= 64 for data in button_data(fake))


@pytest.mark.parametrize(
    ("language", "line", "stored"),
    [
        (
            "vi",
            "/lead Nguyễn Văn An 0901 234 567 an@abc.vn cty ABC",
            ("Nguyễn Văn An", "ABC", "+84901234567", "an@abc.vn"),
        ),
        (
            "th",
            "/lead สมชาย ใจดี 081-234-5678 somchai@abc.co.th บริษัท สยามเทค",
            # One rule whatever the language: the team (in VND) is in Vietnam.
            ("สมชาย ใจดี", "สยามเทค", "+84812345678", "somchai@abc.co.th"),
        ),
        (
            # English names no country: the team's (Vietnam, it counts in VND) reads the number.
            "en",
            "/lead John Smith 0901 234 567 john@acme.com @Acme",
            ("John Smith", "Acme", "+84901234567", "john@acme.com"),
        ),
    ],
)
async def test_a_one_line_lead_is_saved_at_once_and_answered_with_its_card(
    rep, t, fake, seed, uow_factory, line, stored
):
    await rep.send(line)
    [lead] = await _leads(uow_factory)
    assert (lead.person_name, lead.company_name, lead.phone, lead.email) == stored
    assert (lead.owner_id, lead.status) == (seed.rep.id, LeadStatus.NEW)
    answer = rep.last_text()
    assert f"#{lead.id}" in answer and stored[0] in answer and stored[2] in answer
    assert rep.buttons() == [t._("Convert"), t._("Disqualify")]
    _assert_clean(fake)


async def test_a_one_line_lead_that_cannot_be_read_is_explained_and_nothing_is_saved(
    rep, seed, uow_factory
):
    await rep.send("/lead Jane +1 202 555 01")
    assert "does not look like a phone number" in rep.last_text()
    await rep.send("/lead 0901 234 567")
    assert "needs the person's name" in rep.last_text()
    assert await _leads(uow_factory) == []


async def test_a_one_line_lead_links_the_campaign_it_names(fake, now_app, seed, uow_factory):
    campaign = await _campaign(uow_factory, seed.team.id, "Tet2027")
    rep = await rep_speaking(fake, "vi")
    await rep.send("/lead Lan Phạm 0912 345 678 #tet2027")
    [lead] = await _leads(uow_factory)
    assert (lead.person_name, lead.phone, lead.campaign_id) == (
        "Lan Phạm",
        "+84912345678",
        campaign.id,
    )
    assert "Tet2027" in rep.last_text()


async def test_the_guided_lead_asks_for_a_campaign_from_the_teams_campaigns(
    fake, now_app, seed, uow_factory
):
    campaign = await _campaign(uow_factory, seed.team.id)
    t = translator("th")
    rep = await rep_speaking(fake, "th")
    await rep.send("/lead")
    await rep.send("สมศรี")
    for _ in range(4):  # company, phone, email, source
        await rep.click(t._("Skip"))
    assert t._("Skip") in rep.buttons() and "Tết 2027" in rep.buttons()
    await rep.click("Tết 2027")
    assert "Tết 2027" in rep.last_text()
    await rep.click(t._("Save"))
    [lead] = await _leads(uow_factory)
    assert (lead.person_name, lead.campaign_id, lead.company_name) == ("สมศรี", campaign.id, None)
    assert t._("Convert") in rep.buttons()


async def test_a_forged_campaign_button_in_the_lead_form_is_refused(
    fake, now_app, seed, uow_factory
):
    await _campaign(uow_factory, seed.team.id)
    theirs = await _campaign(uow_factory, seed.other_team.id, "Songkran")
    rep = await rep_speaking(fake)
    await rep.send("/lead")
    await rep.send("Lan")
    for _ in range(4):
        await rep.click("Skip")
    mine = last_button_data(rep, "Tết 2027")
    await rep.click_data(rep.last_message()["message_id"], mine.rsplit(":", 1)[0] + f":{theirs.id}")
    assert "Which campaign" in rep.last_text()
    draft = await only_row(uow_factory, Draft)
    assert draft.step == "CAMPAIGN" and "campaign_id" not in draft.data


async def test_leads_lists_my_leads_newest_first_a_page_at_a_time(fake, now_app, seed, uow_factory):
    for number in range(10):
        async with uow_factory() as uow:
            await create_lead(uow, seed.rep, LeadInput(person_name=f"Lead {number}"))
    async with uow_factory() as uow:
        await create_lead(uow, seed.rep2, LeadInput(person_name="Binh's lead"))
    rep = await rep_speaking(fake)
    await rep.send("/leads")
    first_page = rep.last_text()
    assert "Lead 9" in first_page and "Lead 2" in first_page and "Lead 1" not in first_page
    assert first_page.index("Lead 9") < first_page.index("Lead 8")
    assert "Binh" not in first_page
    await rep.click("Next")
    assert "Lead 1" in rep.last_text() and "Lead 0" in rep.last_text()
    assert "Lead 9" not in rep.last_text()
    await rep.click("Lead 0")
    assert rep.last_text().startswith("Lead: Lead 0")


async def test_disqualify_on_the_card_changes_the_status_and_removes_the_buttons(
    fake, now_app, seed, uow_factory
):
    t = translator("vi")
    rep = await rep_speaking(fake, "vi")
    await rep.send("/lead Lan 0901 234 567")
    await rep.click(t._("Disqualify"))
    [lead] = await _leads(uow_factory)
    assert lead.status is LeadStatus.DISQUALIFIED
    assert t._("Lead disqualified.") in rep.last_text()
    assert t._("Disqualified") in rep.last_text()
    assert rep.last_message().get("reply_markup") is None


@pytest.mark.parametrize("language", ["vi", "th", "en"])
async def test_a_shared_contact_becomes_a_lead_with_its_name_and_phone(
    rep, t, fake, seed, uow_factory
):
    await rep.send_contact("84901234567", "Lan", "Phạm")
    assert "Lan Phạm" in rep.last_text() and "+84901234567" in rep.last_text()
    await rep.click(t._("New lead"))
    await rep.send("Cty Minh Phát")
    # The number came with the contact, so the form goes on to the email.
    assert t._("Their email address?") in rep.last_text()
    await rep.send("lan@minhphat.vn")
    await rep.click(t._("Skip"))  # source
    await rep.click(t._("Save"))
    [lead] = await _leads(uow_factory)
    assert (lead.person_name, lead.company_name, lead.phone, lead.email) == (
        "Lan Phạm",
        "Cty Minh Phát",
        "+84901234567",
        "lan@minhphat.vn",
    )
    _assert_clean(fake)


async def test_a_contact_shared_in_the_middle_of_a_form_leaves_the_form_as_it_was(
    rep, seed, uow_factory
):
    await rep.send("/lead")
    await rep.send("Mai")
    await rep.send_contact("84901234567", "Lan")
    await rep.click("Cancel")
    await rep.send("Cty ABC")
    assert "phone number" in rep.last_text()
    async with uow_factory() as uow:
        [draft] = (await uow.session.execute(select(Draft))).scalars()
    assert (draft.flow, draft.step, draft.data["person_name"], draft.data["company_name"]) == (
        "lead",
        "PHONE",
        "Mai",
        "Cty ABC",
    )


async def test_a_shared_contact_is_added_to_an_account_picked_by_part_of_its_name(
    fake, now_app, seed, uow_factory
):
    async with uow_factory() as uow:
        account = await create_account(uow, seed.rep2, "Cty TNHH Minh Phát")
    t = translator("th")
    rep = await rep_speaking(fake, "th")
    await rep.send_contact("+66812345678", "สมชาย")
    await rep.click(t._("Add to an account"))
    await rep.send("nothing like it")
    assert (
        t._("No account matches “{text}”. Type another part of its name.").format(
            text="nothing like it"
        )
        in rep.last_text()
    )
    await rep.send("minh phat")
    await rep.click("Cty TNHH Minh Phát")
    contact = await only_row(uow_factory, Contact)
    assert (contact.name, contact.phone, contact.account_id, contact.owner_id) == (
        "สมชาย",
        "+66812345678",
        account.id,
        seed.rep.id,
    )
    assert t._("Contact saved.") in rep.last_text()
    assert await _leads(uow_factory) == []


async def test_a_rep_gets_not_found_for_another_reps_lead_or_contact_and_nothing_changes(
    fake, now_app, seed, uow_factory
):
    async with uow_factory() as uow:
        lead = await create_lead(uow, seed.rep2, LeadInput(person_name="Binh's lead"))
    async with uow_factory() as uow:
        contact = await create_contact(uow, seed.rep2, "Binh's contact", phone="0909 999 888")
    rep = await rep_speaking(fake)
    await rep.send("/leads")
    message_id = rep.last_message()["message_id"]
    for data, answer in [
        (f"ld:dq:{lead.id}", "That lead was not found."),
        (f"ld:o:{lead.id}", "That lead was not found."),
        (f"ld:o:{2**40}", "That lead was not found."),
        (f"ct:d:{contact.id}", "That contact was not found."),
        (f"ct:o:{contact.id}", "That contact was not found."),
    ]:
        await rep.click_data(message_id, data)
        assert rep.last_text() == answer, data
    for text in (f"/contact {contact.id}", f"/contact #{contact.id}", "/contact 0909 999 888"):
        await rep.send(text)
        assert rep.last_text() == "That contact was not found."
    await rep.send("/contact Binh")
    assert rep.last_text() == "That contact was not found."
    [stored] = await _leads(uow_factory)
    assert stored.status is LeadStatus.NEW
    assert await _count(uow_factory, Draft) == 0


async def test_the_contact_card_has_details_and_opportunities_tabs_and_add_opportunity(
    fake, now_app, seed, uow_factory
):
    async with uow_factory() as uow:
        account = await create_account(uow, seed.rep, "Minh Phát")
    async with uow_factory() as uow:
        contact = await create_contact(
            uow, seed.rep, "Lan Phạm", account_id=account.id, phone="0901 234 567"
        )
    for name in ("Tủ lạnh Daikin", "Máy lạnh LG"):
        async with uow_factory() as uow:
            await create_opportunity(
                uow,
                seed.rep,
                OpportunityInput(
                    name=name,
                    close_date=date(2026, 12, 31),
                    amount=50_000_000,
                    contact_id=contact.id,
                    account_id=account.id,
                ),
            )
    t = translator("vi")
    rep = await rep_speaking(fake, "vi")
    await rep.send("/contact lan")
    card = rep.last_text()
    assert "Lan Phạm" in card and "Minh Phát" in card and "0901234567" in card
    assert last_button_data(rep, t._("Add deal")) == f"nd:c:{contact.id}"
    await rep.click(t._("Deals ({count})").format(count=2))
    tab = rep.last_text()
    assert "Tủ lạnh Daikin" in tab and "Máy lạnh LG" in tab
    # The tab replaced the card in place rather than sending another message.
    assert len([m for m in rep.messages if "Lan Phạm" in m.get("text", "")]) == 1
    assert last_button_data(rep, t._("Add deal")) == f"nd:c:{contact.id}"
    await rep.click(t._("Details"))
    assert "0901234567" in rep.last_text()
    await rep.send("/contact 0901 234 567")
    assert "Lan Phạm" in rep.last_text()


async def test_the_account_card_shows_the_contacts_and_deals_the_reader_may_see(
    fake, now_app, seed, uow_factory
):
    async with uow_factory() as uow:
        account = await create_account(uow, seed.rep, "Cty TNHH Minh Phát")
    for actor, name in ((seed.rep, "Lan Phạm"), (seed.rep2, "Binh's contact")):
        async with uow_factory() as uow:
            await create_contact(uow, actor, name, account_id=account.id)
        async with uow_factory() as uow:
            await create_opportunity(
                uow,
                actor,
                OpportunityInput(
                    name=f"Deal of {name}", close_date=date(2026, 12, 31), account_id=account.id
                ),
            )
    rep = await rep_speaking(fake)
    await rep.send("/account minh phat")
    card = rep.last_text()
    assert "Cty TNHH Minh Phát" in card and "Lan Phạm" in card and "Deal of Lan Phạm" in card
    assert "Binh" not in card
    manager = await rep_speaking(fake, telegram_id=100)
    await manager.send(f"/account #{account.id}")
    assert "Binh's contact" in manager.last_text() and "Deal of Binh" in manager.last_text()
    await rep.click("👤 Lan Phạm")
    assert rep.last_text().startswith("Lan Phạm")
    other = await rep_speaking(fake, telegram_id=200)
    await other.send(f"/account {account.id}")
    assert other.last_text() == "That account was not found."


async def test_names_with_markup_and_long_thai_names_render_on_every_card(
    fake, now_app, seed, uow_factory
):
    async with uow_factory() as uow:
        account = await create_account(uow, seed.rep, LONG_THAI_NAME)
    async with uow_factory() as uow:
        contact = await create_contact(uow, seed.rep, TRICKY_NAME, account_id=account.id)
    async with uow_factory() as uow:
        await create_lead(
            uow,
            seed.rep,
            LeadInput(person_name=LONG_THAI_NAME, company_name=TRICKY_NAME, email="a@b.co"),
        )
    async with uow_factory() as uow:
        await create_lead(uow, seed.rep, LeadInput(person_name=TRICKY_NAME))
    rep = await rep_speaking(fake, "th")
    await rep.send("/leads")
    assert TRICKY_NAME in rep.last_text()
    await rep.click(LONG_THAI_NAME[:20])
    assert LONG_THAI_NAME in rep.last_text() and TRICKY_NAME in rep.last_text()
    await rep.send(f"/contact {contact.id}")
    assert TRICKY_NAME in rep.last_text() and LONG_THAI_NAME in rep.last_text()
    await rep.send(f"/account {account.id}")
    assert LONG_THAI_NAME in rep.last_text() and TRICKY_NAME in rep.last_text()
    await rep.send(f"/lead {TRICKY_NAME} 0901 234 567")
    assert "<script>" in rep.last_text()
    _assert_clean(fake)
