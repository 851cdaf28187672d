"""Moving a deal's stage through the whole bot: buttons, /stage, won, lost, conflicts."""

from datetime import date

import pytest

from bot.formatting import format_money
from bot.i18n import translator
from storage.models import Opportunity, Result, Team
from storage.opportunities import update_opportunity
from storage.stages import move_stage
from tests.e2e.deal_helpers import (
    GROUP_ID,
    LONG_THAI_NAME,
    TRICKY_NAME,
    add_group,
    audit_of,
    button_data,
    group_texts,
    last_button_data,
    load_deal,
    make_deal,
    moves_of,
    refused_calls,
    send_in_group,
    stage_by_code,
    stage_of,
)
from tests.e2e.people import manager_speaking, rep_speaking

LANGUAGES = ["vi", "th", "en"]


async def move(chat, deal, stage: str) -> None:
    """Move ``deal`` as a user does: /stage with its id, then the stage's button."""
    await chat.send(f"/stage {deal.id}")
    await chat.click(stage)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_move_to_won_updates_the_card_congratulates_and_tells_the_group(
    t, fake, now_app, seed, uow_factory, language
):
    manager = fake.user(100, "Mai", language_code=language)
    add_group(fake)
    await send_in_group(fake, manager, "/setgroup")
    deal = await make_deal(uow_factory, seed.rep, "Acme ERP")
    rep = await rep_speaking(fake, language)
    await rep.send(f"/deal {deal.id}")
    card_id = rep.last_message()["message_id"]
    await rep.click(t._("Move stage"))
    assert t._("Which stage should it move to?") in rep.last_text()
    await rep.click(t._("Closed won"))

    card = rep.last_message()
    assert card["message_id"] == card_id  # the card itself was updated
    assert t._("Congratulations on the win! 🎉") in card["text"]
    assert t._("Won") in card["text"]
    assert t._("Move stage") in rep.buttons()
    [announcement] = group_texts(fake)[1:]
    assert "Acme ERP" in announcement and "An Rep" in announcement
    assert "50.000.000" in announcement  # the team's language (vi) and currency
    won = await load_deal(uow_factory, deal.id)
    assert (won.result, won.probability, won.version, won.lost_reason) == (
        Result.WON,
        100,
        2,
        None,
    )
    assert (await stage_of(uow_factory, deal.id)).code == "won"
    creation, move = await moves_of(uow_factory, deal.id)
    assert (move.changed_by_id, move.from_stage_id, move.probability) == (
        seed.rep.id,
        creation.to_stage_id,
        100,
    )
    assert refused_calls(fake) == []


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_move_to_lost_asks_why_and_stores_a_reason_button_or_free_text(
    rep, t, fake, seed, uow_factory, language
):
    priced_out = await make_deal(uow_factory, seed.rep, "Alpha POS")
    silent = await make_deal(uow_factory, seed.rep, "Beta CRM")

    await rep.send(f"/deal {priced_out.id}")
    await rep.click(t._("Move stage"))
    await rep.click(t._("Closed lost"))
    assert "Alpha POS" in rep.last_text()
    assert t._("Price too high") in rep.buttons()
    await rep.click(t._("Price too high"))
    assert t._("Marked as lost. Better luck next time.") in rep.last_text()

    await move(rep, silent, t._("Closed lost"))
    await rep.send("Khách chọn <bên khác> & rẻ hơn")
    assert t._("Marked as lost. Better luck next time.") in rep.last_text()
    assert "Khách chọn <bên khác> & rẻ hơn" in rep.last_text()

    first = await load_deal(uow_factory, priced_out.id)
    second = await load_deal(uow_factory, silent.id)
    assert (first.result, first.probability, first.lost_reason) == (
        Result.LOST,
        0,
        t._("Price too high"),
    )
    assert (second.result, second.lost_reason) == (Result.LOST, "Khách chọn <bên khác> & rẻ hơn")
    for deal in (priced_out, silent):
        assert len(await moves_of(uow_factory, deal.id)) == 2
        reasons = [a for a in await audit_of(uow_factory, deal.id) if a.field == "lost_reason"]
        assert [a.user_id for a in reasons] == [seed.rep.id]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_history_shows_the_win_and_the_loss_with_who_made_them(
    rep, t, fake, seed, uow_factory, language
):
    won = await make_deal(uow_factory, seed.rep, "Gamma ERP")
    await move(rep, won, t._("Closed won"))
    lost = await make_deal(uow_factory, seed.rep, "Delta CRM")
    manager = await manager_speaking(fake, language)
    await move(manager, lost, t._("Closed lost"))
    await manager.click(t._("No budget"))

    await rep.send(f"/deal {won.id}")
    await rep.click(t._("History"))
    history = rep.last_text()
    assert t._("Closed won") in history and t._("Prospecting") in history
    assert history.count("An Rep") == 2  # created it, won it

    await rep.send(f"/deal {lost.id}")
    await rep.click(t._("History"))
    history = rep.last_text()
    assert t._("Closed lost") in history
    assert "Mai Manager" in history  # the manager moved it
    assert t._("Lost reason") in history and t._("No budget") in history


async def test_a_manager_winning_a_reps_deal_congratulates_the_owner_in_their_language(
    fake, now_app, seed, uow_factory
):
    deal = await make_deal(uow_factory, seed.rep, "Omega POS")
    rep = await rep_speaking(fake, "th")
    manager = await manager_speaking(fake)
    await move(manager, deal, "Closed won")
    assert "Moved to" in manager.last_text()
    th = translator("th")
    expected = th._("🎉 Congratulations! {who} marked your deal {name} ({amount}) as won.")
    amount = format_money(50_000_000, "VND", "th")
    assert rep.last_text() == expected.format(who="Mai Manager", name="Omega POS", amount=amount)


async def test_no_group_set_means_no_announcement(fake, now_app, seed, uow_factory):
    add_group(fake)
    deal = await make_deal(uow_factory, seed.rep)
    rep = await rep_speaking(fake)
    await rep.send(f"/won {deal.id}")
    assert "Congratulations" in rep.last_text()
    assert group_texts(fake) == []


async def test_won_by_command_also_announces_in_the_group(fake, now_app, seed, uow_factory):
    manager = fake.user(100, "Mai", language_code="en")
    add_group(fake)
    await send_in_group(fake, manager, "/setgroup")
    deal = await make_deal(uow_factory, seed.rep, "Zeta ERP")
    rep = await rep_speaking(fake)
    await rep.send("/stage zeta closed won")
    assert "Zeta ERP" in group_texts(fake)[-1]
    assert (await load_deal(uow_factory, deal.id)).result is Result.WON


async def test_setgroup_is_for_managers_in_a_group(fake, now_app, seed, uow_factory):
    add_group(fake)
    rep = fake.user(101, "An", language_code="en")
    manager = await manager_speaking(fake)
    await send_in_group(fake, rep, "/setgroup")
    assert "Only a manager" in group_texts(fake)[-1]
    await manager.send("/setgroup")
    assert "group chat" in manager.last_text()
    async with uow_factory() as uow:
        assert (await uow.session.get(Team, seed.team.id)).group_chat_id is None
    await send_in_group(fake, manager, "/setgroup")
    async with uow_factory() as uow:
        assert (await uow.session.get(Team, seed.team.id)).group_chat_id == GROUP_ID
    await manager.send("/setgroup off")
    async with uow_factory() as uow:
        assert (await uow.session.get(Team, seed.team.id)).group_chat_id is None


async def test_a_group_that_removed_the_bot_does_not_break_the_win(
    fake, now_app, seed, uow_factory
):
    async with uow_factory() as uow:
        team = await uow.session.get(Team, seed.team.id)
        team.group_chat_id = -100999  # a chat the bot is no longer in
        await uow.commit()
    deal = await make_deal(uow_factory, seed.rep)
    rep = await rep_speaking(fake)
    await move(rep, deal, "Closed won")
    assert "Congratulations" in rep.last_text()
    assert (await load_deal(uow_factory, deal.id)).result is Result.WON


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_move_from_a_stale_card_says_it_changed_and_overwrites_nothing(
    rep, t, seed, uow_factory
):
    deal = await make_deal(uow_factory, seed.rep, "Sigma ERP")
    await rep.send(f"/deal {deal.id}")
    await rep.click(t._("Move stage"))
    # Meanwhile the manager changes the amount and the stage.
    proposal = await stage_by_code(uow_factory, seed.team.id, "proposal")
    async with uow_factory() as uow:
        await update_opportunity(
            uow, seed.manager, deal.id, {"amount": 70_000_000}, expected_version=1
        )
    async with uow_factory() as uow:
        await move_stage(uow, seed.manager, deal.id, proposal.id, expected_version=2)
    await rep.click(t._("Closed won"))

    changed = t._("This deal changed meanwhile; nothing was overwritten. Here it is now:")
    assert changed in rep.last_text()
    assert "70.000.000" in rep.last_text() or "70,000,000" in rep.last_text()
    after = await load_deal(uow_factory, deal.id)
    assert (after.result, after.amount, after.version) == (Result.OPEN, 70_000_000, 3)
    assert (await stage_of(uow_factory, deal.id)).code == "proposal"
    # The fresh card's buttons carry the new version: the move now goes through.
    await rep.click(t._("Move stage"))
    await rep.click(t._("Closed won"))
    assert (await load_deal(uow_factory, deal.id)).result is Result.WON


async def test_a_lost_reason_given_after_someone_else_moved_the_deal_overwrites_nothing(
    rep, seed, uow_factory
):
    deal = await make_deal(uow_factory, seed.rep, "Kappa POS")
    await move(rep, deal, "Closed lost")
    won = await stage_by_code(uow_factory, seed.team.id, "won")
    async with uow_factory() as uow:
        await move_stage(uow, seed.manager, deal.id, won.id)
    await rep.send("too expensive")
    assert "changed meanwhile" in rep.last_text()
    after = await load_deal(uow_factory, deal.id)
    assert (after.result, after.lost_reason) == (Result.WON, None)
    await rep.send("anything")
    assert (await load_deal(uow_factory, deal.id)).lost_reason is None


async def test_a_forged_stage_button_for_another_reps_deal_is_not_found(
    fake, now_app, seed, uow_factory
):
    theirs = await make_deal(uow_factory, seed.rep2, "Secret deal")
    mine = await make_deal(uow_factory, seed.rep, "My deal")
    won = await stage_by_code(uow_factory, seed.team.id, "won")
    lost = await stage_by_code(uow_factory, seed.team.id, "lost")
    foreign = await stage_by_code(uow_factory, seed.other_team.id, "won")
    rep = await rep_speaking(fake)
    await rep.send("/mydeals")
    message_id = rep.last_message()["message_id"]
    for data in (
        f"sp:{theirs.id}:1:{won.id}",
        f"sp:{theirs.id}:1:{lost.id}",
        f"dc:mv:{theirs.id}:1",
        f"dc:mv:{theirs.id}",
        f"sp:{theirs.id}:x:{won.id}",
        "sp:1",
    ):
        await rep.click_data(message_id, data)
        assert rep.last_text() == "That deal was not found.", data
        assert "Secret" not in rep.last_text()
    await rep.click_data(message_id, f"sp:{mine.id}:1:{foreign.id}")
    assert "not in your team's pipeline" in rep.last_text()
    for deal in (theirs, mine):
        unchanged = await load_deal(uow_factory, deal.id)
        assert (unchanged.result, unchanged.version) == (Result.OPEN, 1)


async def test_stage_alone_lists_my_open_deals_most_urgent_first_in_pages(
    fake, now_app, seed, uow_factory
):
    for day in range(10, 0, -1):
        close = date(2026, 11, 15 + day)
        await make_deal(uow_factory, seed.rep, f"Deal {day:02d}", close_date=close)
    await make_deal(uow_factory, seed.rep2, "Not mine", close_date=date(2026, 11, 1))
    rep = await rep_speaking(fake)
    await rep.send("/stage")
    labels = rep.buttons()
    names = [label.split(" · ")[0].split(" ")[-1] for label in labels[:8]]
    assert names == [f"{d:02d}" for d in range(1, 9)]
    assert labels[0].startswith("1. ⚠️")  # closed on 16 November: overdue
    assert "Not mine" not in rep.last_text()
    await rep.click("Next")
    assert [label.split(" · ")[0].split(" ")[-1] for label in rep.buttons()[:2]] == ["09", "10"]
    await rep.click("Deal 10")
    assert "Which stage should it move to?" in rep.last_text()
    assert "✓ Prospecting (10%)" in rep.buttons()
    assert "Negotiation (80%)" in rep.buttons()


async def test_stage_with_a_deal_and_a_stage_still_moves_it_at_once(rep, seed, uow_factory):
    deal = await make_deal(uow_factory, seed.rep, "Theta ERP")
    await rep.send("/stage theta negot")
    assert "Moved to Negotiation" in rep.last_text()
    assert (await stage_of(uow_factory, deal.id)).code == "negotiation"
    await rep.send("/stage theta closed lost")
    await rep.click("No budget")
    after = await load_deal(uow_factory, deal.id)
    assert (after.result, after.lost_reason) == (Result.LOST, "No budget")


async def test_cancel_while_a_lost_reason_is_asked_changes_nothing(rep, seed, uow_factory):
    deal = await make_deal(uow_factory, seed.rep)
    await move(rep, deal, "Closed lost")
    await rep.send("/cancel")
    assert "Cancelled" in rep.last_text()
    await rep.send("price")
    assert (await load_deal(uow_factory, deal.id)).result is Result.OPEN
    assert "did not understand" in rep.last_text()


async def test_a_too_long_reason_is_asked_again_and_the_deal_stays_open(rep, seed, uow_factory):
    deal = await make_deal(uow_factory, seed.rep)
    await move(rep, deal, "Closed lost")
    await rep.send("x" * 501)
    assert "at most 500" in rep.last_text()
    assert (await load_deal(uow_factory, deal.id)).result is Result.OPEN
    await rep.send("competitor was faster")
    assert (await load_deal(uow_factory, deal.id)).lost_reason == "competitor was faster"


@pytest.mark.parametrize("name", [TRICKY_NAME, LONG_THAI_NAME])
async def test_awkward_names_render_through_the_whole_move_and_buttons_fit(
    fake, now_app, seed, uow_factory, name
):
    manager = fake.user(100, "Mai", language_code="th")
    add_group(fake)
    await send_in_group(fake, manager, "/setgroup")
    first = await make_deal(uow_factory, seed.rep, name)
    second = await make_deal(uow_factory, seed.rep, name + "!" if len(name) < 200 else name[:199])
    t = translator("th")
    rep = await rep_speaking(fake, "th")
    await rep.send("/stage")
    await rep.click_data(rep.last_message()["message_id"], f"dc:mv:{first.id}")
    assert name in rep.last_text()
    await rep.click(t._("Closed won"))
    assert name in rep.last_text()
    assert name in group_texts(fake)[-1]
    await rep.send(f"/deal {second.id}")
    await rep.click(t._("Move stage"))
    await rep.click(t._("Closed lost"))
    assert name[:100] in rep.last_text()
    await rep.send(name)
    assert (await load_deal(uow_factory, second.id)).result is Result.LOST
    await rep.click(t._("History"))
    assert refused_calls(fake) == []
    data = button_data(fake)
    assert data and all(len(item.encode()) <= 64 for item in data)
    assert last_button_data(rep, t._("Move stage")).startswith("dc:mv:")


async def test_a_redelivered_stage_button_moves_once(rep, seed, uow_factory):
    deal = await make_deal(uow_factory, seed.rep)
    await move(rep, deal, "Qualification")
    await rep.deliver_again()
    assert len(await moves_of(uow_factory, deal.id)) == 2
    assert isinstance(await load_deal(uow_factory, deal.id), Opportunity)
