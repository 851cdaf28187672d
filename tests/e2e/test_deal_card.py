"""The deal card and its buttons, /deal and /mydeals, through the whole bot."""

from datetime import date

import pytest
from sqlalchemy import select

from bot.formatting import format_money
from bot.i18n import translator
from storage.directory import create_account
from storage.models import Activity, ActivityKind, Opportunity
from storage.opportunities import update_opportunity
from tests.e2e.deal_helpers import (
    LONG_THAI_NAME,
    TRICKY_NAME,
    button_data,
    load_deal,
    make_deal,
    refused_calls,
)
from tests.e2e.people import manager_speaking, rep_speaking

LANGUAGES = ["vi", "th", "en"]


async def _activities(uow_factory) -> list[Activity]:
    async with uow_factory() as uow:
        return list((await uow.session.execute(select(Activity).order_by(Activity.id))).scalars())


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_card_offers_move_edit_log_and_history_and_undo_only_when_fresh(
    rep, t, seed, uow_factory, language
):
    await rep.send("/new Acme ERP 50tr 31/12")
    fresh = rep.buttons()
    assert t._("Undo") in fresh
    [deal] = await _deals(uow_factory)
    await rep.send("/deal acme")
    card = rep.last_text()
    assert rep.buttons() == [t._("Move stage"), t._("Edit"), t._("Log activity"), t._("History")]
    for field in ("Amount", "Stage", "Expected revenue", "Expected close", "Owner"):
        assert t._(field) in card
    assert format_money(5_000_000, "VND", language) in card  # expected revenue at 10 %
    assert f"#{deal.id}" in card


async def _deals(uow_factory) -> list[Opportunity]:
    async with uow_factory() as uow:
        return list(
            (await uow.session.execute(select(Opportunity).order_by(Opportunity.id))).scalars()
        )


@pytest.mark.parametrize("language", LANGUAGES)
async def test_log_activity_stores_a_call_a_meeting_and_a_note_with_their_author(
    rep, t, fake, seed, uow_factory
):
    deal = await make_deal(uow_factory, seed.rep, "Acme ERP")
    texts = {
        t.p_("activity", "Call"): "Gọi anh Lâm, hẹn demo thứ Sáu",
        t.p_("activity", "Meeting"): "ประชุมกับฝ่ายจัดซื้อ <สรุปราคา> & ส่วนลด",
        t.p_("activity", "Note"): "Budget approved",
    }
    for label, text in texts.items():
        await rep.send(f"/deal {deal.id}")
        await rep.click(t._("Log activity"))
        await rep.click(label)
        await rep.send(text)
        assert t._("{activity} logged on {name}.").format(activity=label, name="Acme ERP") in (
            rep.last_text()
        )
        assert t._("Move stage") in rep.buttons()  # the card comes back with its buttons
    stored = await _activities(uow_factory)
    assert [(a.kind, a.text, a.author_id, a.opportunity_id) for a in stored] == [
        (ActivityKind.CALL, texts[t.p_("activity", "Call")], seed.rep.id, deal.id),
        (ActivityKind.MEETING, texts[t.p_("activity", "Meeting")], seed.rep.id, deal.id),
        (ActivityKind.NOTE, texts[t.p_("activity", "Note")], seed.rep.id, deal.id),
    ]
    await rep.click(t._("History"))
    history = rep.last_text()
    assert t._("Latest activities") in history
    assert all(text in history for text in texts.values())
    assert refused_calls(fake) == []


async def _start_logging(rep, deal, kind: str) -> None:
    await rep.send(f"/deal {deal.id}")
    await rep.click("Log activity")
    await rep.click(kind)


async def test_cancel_while_writing_an_activity_stores_nothing(rep, seed, uow_factory):
    await _start_logging(rep, await make_deal(uow_factory, seed.rep), "Note")
    await rep.click("Cancel")
    assert "Cancelled" in rep.last_text()
    await rep.send("this is not a note")
    assert await _activities(uow_factory) == []


async def test_an_empty_activity_is_asked_again(rep, seed, uow_factory):
    await _start_logging(rep, await make_deal(uow_factory, seed.rep), "Call")
    await rep.send("   ")
    assert "1 to 4000 characters" in rep.last_text()
    await rep.send("Called, no answer")
    [activity] = await _activities(uow_factory)
    assert activity.text == "Called, no answer"


@pytest.mark.parametrize("language", LANGUAGES)
async def test_history_shows_field_changes_with_who_and_when_in_the_readers_language(
    t, fake, now_app, seed, uow_factory, language
):
    deal = await make_deal(uow_factory, seed.rep, "Acme ERP")
    async with uow_factory() as uow:
        account = await create_account(uow, seed.manager, "Công ty <Minh> & Phát")
    async with uow_factory() as uow:
        await update_opportunity(
            uow,
            seed.manager,
            deal.id,
            {"amount": 60_000_000, "close_date": date(2027, 1, 15), "account_id": account.id},
            expected_version=1,
        )
    rep = await rep_speaking(fake, language)
    await rep.send(f"/deal {deal.id}")
    await rep.click(t._("History"))
    history = rep.last_text()
    assert t._("History of {name}").format(name="Acme ERP") in history
    assert "Mai Manager" in history and "An Rep" in history
    assert format_money(60_000_000, "VND", language) in history
    assert t._("Expected close") in history
    assert ("2570" if language == "th" else "2027") in history
    assert "Công ty <Minh> & Phát" in history  # the account's name, not its id
    assert refused_calls(fake) == []


async def test_mydeals_pages_my_open_deals_soonest_first_and_opens_their_cards(
    fake, now_app, seed, uow_factory
):
    for day in (30, 5, 20, 1, 25, 10, 15, 28, 3, 12):
        await make_deal(uow_factory, seed.rep, f"Deal {day:02d}", close_date=date(2026, 12, day))
    await make_deal(uow_factory, seed.rep, "Late one", close_date=date(2026, 11, 20))
    await make_deal(uow_factory, seed.rep2, "Not mine", close_date=date(2026, 11, 1))
    rep = await rep_speaking(fake)
    await rep.send("/mydeals")
    page = rep.last_text()
    assert "Not mine" not in page
    assert page.index("Late one") < page.index("Deal 01") < page.index("Deal 03")
    assert "⚠️ Late one" in page and "overdue by 3 days" in page
    assert "⚠️ Deal" not in page
    assert len(rep.buttons()) == 9  # eight deals and Next
    await rep.click("Next")
    assert "Deal 28" in rep.last_text() and "Deal 30" in rep.last_text()
    assert "Deal 01" not in rep.last_text()
    await rep.click("Previous")
    assert "Late one" in rep.last_text()
    await rep.click("Deal 05")
    assert "Deal 05" in rep.last_text()
    assert "Move stage" in rep.buttons()


async def test_mydeals_without_deals_says_how_to_make_one(rep, seed):
    await rep.send("/mydeals")
    assert "/new" in rep.last_text()


async def test_forged_card_buttons_for_another_reps_deal_are_not_found(
    fake, now_app, seed, uow_factory
):
    theirs = await make_deal(uow_factory, seed.rep2, "Secret deal")
    rep = await rep_speaking(fake)
    await rep.send("/mydeals")
    message_id = rep.last_message()["message_id"]
    for action in ("open", "card", "act", "hist", "ak", "zz"):
        data = f"dc:{action}:{theirs.id}" + (":call" if action == "ak" else "")
        await rep.click_data(message_id, data)
        assert rep.last_text() == "That deal was not found.", data
    await rep.click_data(message_id, "dc:hist:abc")
    assert rep.last_text() == "That deal was not found."
    await rep.send("a note that must not land")
    assert await _activities(uow_factory) == []
    assert (await load_deal(uow_factory, theirs.id)).version == 1


async def test_a_manager_sees_and_works_a_reps_deal_card(fake, now_app, seed, uow_factory):
    deal = await make_deal(uow_factory, seed.rep, "Team deal")
    manager = await manager_speaking(fake)
    await manager.send(f"/deal {deal.id}")
    await manager.click("Log activity")
    await manager.click("Meeting")
    await manager.send("Met the director")
    [activity] = await _activities(uow_factory)
    assert (activity.author_id, activity.kind) == (seed.manager.id, ActivityKind.MEETING)


async def test_back_returns_the_card_to_itself(rep, seed, uow_factory):
    deal = await make_deal(uow_factory, seed.rep, "Acme ERP")
    await rep.send(f"/deal {deal.id}")
    card = rep.last_text()
    await rep.click("Log activity")
    await rep.click("Back")
    assert rep.last_text() == card
    await rep.click("Move stage")
    await rep.click("Back")
    assert rep.last_text() == card
    assert len(rep.messages) == 2  # /language's answer and the one card, edited in place


@pytest.mark.parametrize("name", [TRICKY_NAME, LONG_THAI_NAME])
async def test_awkward_names_render_on_the_card_lists_activity_and_history(
    fake, now_app, seed, uow_factory, name
):
    deal = await make_deal(uow_factory, seed.rep, name)
    t = translator("th")
    rep = await rep_speaking(fake, "th")
    await rep.send(f"/deal {deal.id}")
    assert name in rep.last_text()
    await rep.send("/mydeals")
    assert name[:79] in rep.last_text()
    await rep.click(name[:20])
    assert name in rep.last_text()
    await rep.click(t._("Log activity"))
    await rep.click(t.p_("activity", "Note"))
    await rep.send(name)
    await rep.click(t._("History"))
    assert name[:100] in rep.last_text()
    assert refused_calls(fake) == []
    data = button_data(fake)
    assert data and all(len(item.encode()) <= 64 for item in data)
