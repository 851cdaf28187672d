"""Quick input never guesses: a doubt in a one-line command is a question with buttons."""

from datetime import date

import pytest

from tests.e2e.deal_helpers import all_deals
from tests.e2e.people import rep_speaking


@pytest.mark.parametrize(
    ("language", "line", "name", "question"),
    [
        ("en", "/new Windows 11 upgrade 31/12", "Windows 11 upgrade", "Is 11 the amount"),
        ("vi", "/new Nâng cấp Windows 11 31/12", "Nâng cấp Windows 11", "11"),
    ],
)
async def test_a_number_in_the_name_is_asked_about_and_kept_in_the_name(
    rep, seed, uow_factory, line, name, question
):
    await rep.send(line)
    assert question in rep.last_text()
    assert await all_deals(uow_factory) == []
    labels = rep.buttons()
    assert len(labels) == 3  # ₫11, part of the name, Cancel
    await rep.click(labels[1])
    [deal] = await all_deals(uow_factory)
    assert (deal.name, deal.amount, deal.close_date) == (name, 0, date(2026, 12, 31))


async def test_a_number_chosen_as_the_amount_leaves_the_name(fake, now_app, seed, uow_factory):
    rep = await rep_speaking(fake, "en")
    await rep.send("/new Zone 3 fit-out 31/12")
    labels = rep.buttons()
    await rep.click(labels[0])
    [deal] = await all_deals(uow_factory)
    assert (deal.name, deal.amount) == ("Zone fit-out", 3)


async def test_the_amount_answer_is_kept_while_the_close_date_is_asked(
    fake, now_app, seed, uow_factory
):
    rep = await rep_speaking(fake, "th")
    await rep.send("/new ตกแต่งโซน 3")
    labels = rep.buttons()
    await rep.click(labels[1])
    await rep.send("31/12")
    [deal] = await all_deals(uow_factory)
    assert (deal.name, deal.amount, deal.close_date) == ("ตกแต่งโซน 3", 0, date(2026, 12, 31))


@pytest.mark.parametrize(
    ("language", "line"),
    [("en", "/new Acme ERP 50tr 32/12"), ("th", "/new ระบบ POS 5 แสน 30 ก.พ.")],
)
async def test_a_date_that_does_not_exist_is_refused_not_saved_in_the_name(
    rep, seed, uow_factory, line
):
    await rep.send(line)
    assert await all_deals(uow_factory) == []
    assert "32/12" in rep.last_text() or "30 ก.พ." in rep.last_text()


@pytest.mark.parametrize(
    ("language", "line"),
    [("en", "/new Acme ERP 50tr next wed"), ("vi", "/new Phần mềm 50tr thứ 4 tới")],
)
async def test_a_one_line_date_read_two_ways_offers_both_as_buttons(rep, seed, uow_factory, line):
    # Monday: "next Wednesday" is this week's or next week's.
    await rep.send(line)
    labels = rep.buttons()
    assert len(labels) == 3  # two dates and Cancel
    await rep.click(labels[1])
    [deal] = await all_deals(uow_factory)
    assert deal.close_date == date(2026, 12, 2)


HUGE = "99999999999999999999999"


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize(
    "command",
    [
        f"/deal {HUGE}",
        f"/won {HUGE}",
        f"/stage {HUGE} negot",
        f"/close {HUGE} 31/12",
        f"/lost {HUGE}",
    ],
)
async def test_an_id_out_of_range_is_not_found(rep, seed, command):
    await rep.send("/deal 1")
    not_found = rep.last_text().replace("1", HUGE)
    await rep.send(command)
    assert rep.last_text() == not_found


async def test_a_forged_button_with_an_id_out_of_range_is_not_found(fake, now_app, seed):
    rep = await rep_speaking(fake, "en")
    await rep.send("/new Acme ERP 50tr 31/12")
    message_id = rep.last_message()["message_id"]
    for data in (f"deal:undo:{HUGE}", f"dc:hist:{HUGE}", f"deal:edit:{HUGE}", f"dc:mv:{HUGE}"):
        await rep.click_data(message_id, data)
        assert "not found" in rep.last_text()
