"""Quick-create and one-line deal commands, through the whole bot."""

from datetime import date

import pytest
from sqlalchemy import func, select

from storage.models import (
    Account,
    Activity,
    Contact,
    Opportunity,
    Rating,
    Result,
    Stage,
    StageChange,
)
from storage.opportunities import OpportunityInput, create_opportunity
from tests.e2e.deal_helpers import all_deals
from tests.e2e.people import reply_to


@pytest.mark.parametrize(
    ("language", "line", "name", "amount", "currency", "close", "rating"),
    [
        (
            "vi",
            '/new Tủ lạnh Daikin 50tr 31/12 nóng @"Minh Phát"',
            "Tủ lạnh Daikin",
            50_000_000,
            "VND",
            date(2026, 12, 31),
            Rating.HOT,
        ),
        (
            "vi",
            "/new Phần mềm kế toán 1,5 tỷ cuối tháng",
            "Phần mềm kế toán",
            1_500_000_000,
            "VND",
            date(2026, 11, 30),
            None,
        ),
        (
            "th",
            "/new ระบบ POS 1.2 ล้าน 31 ธ.ค. 2569 ร้อน",
            "ระบบ POS",
            1_200_000,
            "VND",
            date(2026, 12, 31),
            Rating.HOT,
        ),
        (
            "th",
            "/new เครื่องถ่ายเอกสาร 5 แสน บาท สิ้นเดือน",
            "เครื่องถ่ายเอกสาร",
            50_000_000,
            "THB",
            date(2026, 11, 30),
            None,
        ),
        (
            "en",
            "/new Acme ERP $5,000 15/01 warm @Acme",
            "Acme ERP",
            500_000,
            "USD",
            date(2027, 1, 15),
            Rating.WARM,
        ),
        (
            "en",
            "/new Website revamp 50k end of quarter cold",
            "Website revamp",
            50_000,
            "VND",
            date(2026, 12, 31),
            Rating.COLD,
        ),
    ],
)
async def test_a_one_line_new_creates_the_right_deal_in_each_language(
    rep, seed, uow_factory, line, name, amount, currency, close, rating
):
    await rep.send(line)
    [deal] = await all_deals(uow_factory)
    assert (deal.name, deal.amount, deal.currency, deal.close_date, deal.rating) == (
        name,
        amount,
        currency,
        close,
        rating,
    )
    assert deal.owner_id == seed.rep.id
    assert f"#{deal.id}" in rep.last_text()
    assert rep.buttons()[:2] != []


async def test_account_and_contact_named_in_the_line_are_linked_or_created(rep, seed, uow_factory):
    await rep.send("/new Acme ERP 50tr 31/12 @Acme +Lan")
    await rep.send("/new Acme CRM 20tr 31/12 @ACME +Lan")
    async with uow_factory() as uow:
        accounts = await uow.session.scalar(select(func.count(Account.id)))
        contacts = await uow.session.scalar(select(func.count(Contact.id)))
    deals = await all_deals(uow_factory)
    assert (accounts, contacts) == (1, 1)
    assert deals[0].account_id == deals[1].account_id
    assert deals[0].contact_id == deals[1].contact_id


async def test_undo_removes_the_deal(rep, seed, uow_factory):
    await rep.send("/new Acme ERP 50tr 31/12")
    assert len(await all_deals(uow_factory)) == 1
    await rep.click("Undo")
    await rep.click("Delete")
    assert await all_deals(uow_factory) == []
    assert "Undone" in rep.last_text()


async def test_a_duplicate_delivery_creates_nothing_new(fake, now_app, seed, uow_factory):
    rep = fake.user(101, "An", language_code="en")
    await rep.send("/new Acme ERP 50tr 31/12")
    await rep.deliver_again()
    assert len(await all_deals(uow_factory)) == 1


async def test_a_missing_close_date_is_asked_once_and_earlier_fields_kept(rep, seed, uow_factory):
    assert "expected to close" in await reply_to(rep, "/new Acme ERP 50tr hot")
    assert "expected to close" in await reply_to(rep, "31/02")
    assert await all_deals(uow_factory) == []
    await rep.send("15/12")
    [deal] = await all_deals(uow_factory)
    assert (deal.name, deal.amount, deal.rating, deal.close_date) == (
        "Acme ERP",
        50_000_000,
        Rating.HOT,
        date(2026, 12, 15),
    )


async def test_the_close_date_buttons_offer_month_and_quarter_ends(rep, seed, uow_factory):
    await rep.send("/new Acme ERP 50tr")
    await rep.click("End of next month")
    [deal] = await all_deals(uow_factory)
    assert deal.close_date == date(2026, 12, 31)


async def test_ambiguous_amounts_are_asked_about_not_guessed(rep, seed, uow_factory):
    assert "Which of 50tr, 20tr is the amount?" in await reply_to(
        rep, "/new Acme ERP 50tr 20tr 31/12"
    )
    assert await all_deals(uow_factory) == []
    await rep.click("₫20,000,000")
    [deal] = await all_deals(uow_factory)
    assert (deal.name, deal.amount) == ("Acme ERP", 20_000_000)


async def test_won_and_lost_move_the_stage_with_history(rep, seed, uow_factory):
    await rep.send("/new Alpha ERP 50tr 31/12")
    await rep.send("/new Beta CRM 20tr 31/12")
    assert "Congratulations" in await reply_to(rep, "/won alpha")
    assert "why it was lost" in await reply_to(rep, "/lost beta")
    await rep.send("/lost beta price too high")
    alpha, beta = await all_deals(uow_factory)
    assert (alpha.result, alpha.probability) == (Result.WON, 100)
    assert (beta.result, beta.lost_reason) == (Result.LOST, "price too high")
    async with uow_factory() as uow:
        moves = await uow.session.scalar(select(func.count(StageChange.id)))
    assert moves == 4


async def test_stage_close_and_note_commands(rep, seed, uow_factory):
    await rep.send("/new Gamma POS 10tr 31/12")
    await rep.send("/stage gamma negot")
    await rep.send("/close gamma 15/01/2027")
    await rep.send("/note gamma called, wants a demo")
    [deal] = await all_deals(uow_factory)
    async with uow_factory() as uow:
        stage = await uow.session.get(Stage, deal.stage_id)
        activity = (await uow.session.execute(select(Activity))).scalar_one()
    assert (stage.code, deal.probability, deal.close_date) == ("negotiation", 80, date(2027, 1, 15))
    assert activity.text == "called, wants a demo"


@pytest.fixture
async def theirs(uow_factory, seed) -> Opportunity:
    """A deal of the other rep, which An may neither see nor change."""
    async with uow_factory() as uow:
        return await create_opportunity(
            uow, seed.rep2, OpportunityInput(name="Secret deal", close_date=date(2026, 12, 31))
        )


async def test_a_rep_cannot_act_on_another_reps_deal_by_id_or_name(rep, seed, uow_factory, theirs):
    for text in (f"/won {theirs.id}", "/won secret", f"/deal {theirs.id}", "/find secret"):
        assert "Secret deal" not in await reply_to(rep, text)
    async with uow_factory() as uow:
        unchanged = await uow.session.get(Opportunity, theirs.id)
    assert unchanged.result is Result.OPEN and unchanged.version == 1


async def test_a_forged_undo_button_for_another_reps_deal_changes_nothing(
    rep, seed, uow_factory, theirs
):
    await rep.send("/new Mine 1tr 31/12")
    await rep.click_data(rep.last_message()["message_id"], f"deal:undo:{theirs.id}")
    assert "not found" in rep.last_text()
    assert len(await all_deals(uow_factory)) == 2


async def test_edit_applies_only_what_the_corrected_line_says(rep, seed, uow_factory):
    await rep.send("/new Acme ERP 50tr 31/12 hot")
    await rep.click("Edit")
    await rep.send("60tr 15/01")
    [deal] = await all_deals(uow_factory)
    assert (deal.name, deal.amount, deal.close_date, deal.rating) == (
        "Acme ERP",
        60_000_000,
        date(2027, 1, 15),
        Rating.HOT,
    )
    assert "Deal updated" in rep.last_text()
