"""/settings by buttons and by arguments, and the buttons under reminders and nudges."""

from __future__ import annotations

from datetime import date, time

from bot.i18n import translator
from storage.models import Opportunity, Result, User
from tests.e2e.deal_helpers import add_group, group_texts, send_in_group
from tests.e2e.digest_helpers import Clock, add_deal, days, without_job
from tests.e2e.people import click_for, rep_speaking, reply_to


async def _me(uow_factory, user_id: int) -> User:
    async with uow_factory() as uow:
        return await uow.session.get(User, user_id)


async def test_settings_buttons_change_time_days_quiet_mode_zone_and_language(
    fake, make_app, seed, uow_factory
):
    without_job(await make_app())
    an = await rep_speaking(fake)
    assert "Digest: 08:00 on Mon, Tue, Wed, Thu, Fri" in await reply_to(an, "/settings")
    assert "Asia/Ho_Chi_Minh (the team's)" in an.last_text()
    await an.click("Digest time")
    assert "Digest: 07:30" in await click_for(an, "07:30")
    await an.click("Digest days")
    await an.click("Sat")
    assert "Tue, Wed, Thu, Fri, Sat" in await click_for(an, "Mon")
    await an.click("Back")
    assert "Quiet mode: on" in await click_for(an, "Quiet mode: off")
    await an.click("Time zone")
    assert "Time zone: Asia/Bangkok" in await click_for(an, "Bangkok")
    me = await _me(uow_factory, seed.rep.id)
    assert (me.digest_time, me.digest_days, me.digest_only_when_due, me.timezone) == (
        time(7, 30),
        "2,3,4,5,6",
        True,
        "Asia/Bangkok",
    )
    await an.click("Time zone")
    await an.click("The team's time zone")
    await an.click("Language")
    await an.click("ภาษาไทย")
    me = await _me(uow_factory, seed.rep.id)
    assert (me.timezone, me.language) == (None, "th")


async def test_settings_arguments_change_one_setting_and_bad_ones_are_explained(
    fake, make_app, seed, uow_factory
):
    without_job(await make_app())
    an = await rep_speaking(fake)
    for command in (
        "/settings time 7h45",
        "/settings days 1-3,6",
        "/settings tz asia/tokyo",
        "/settings quiet on",
    ):
        await an.send(command)
        assert an.last_text().startswith("Saved."), command
    me = await _me(uow_factory, seed.rep.id)
    assert (me.digest_time, me.digest_days, me.timezone, me.digest_only_when_due) == (
        time(7, 45),
        "1,2,3,6",
        "Asia/Tokyo",
        True,
    )
    assert "I do not know the time zone “Mars/Olympus_Mons”" in await reply_to(
        an, "/settings tz Mars/Olympus_Mons"
    )
    assert "I could not read that" in await reply_to(an, "/settings time 25:00")
    assert "no days (digest off)" in await reply_to(an, "/settings days none")
    assert (await _me(uow_factory, seed.rep.id)).digest_time == time(7, 45)


async def test_a_thai_member_switches_dates_to_gregorian_years_and_back(
    fake, make_app, seed, uow_factory
):
    clock = Clock("2026-03-04 09:00")
    without_job(await make_app(clock=clock))
    deal = await add_deal(uow_factory, seed.rep, "Siam", date(2026, 12, 31), created=clock.now)
    an = fake.user(101, "An")
    await an.send("/language th")
    t = translator("th")
    await an.send(f"/deal {deal}")
    assert "2569" in an.last_text() and "2026" not in an.last_text()
    assert t._("Buddhist era (2569)") in await reply_to(an, "/settings")
    assert t._("Gregorian (2026)") in await click_for(
        an, t._("Years: {era}").format(era=t._("Buddhist era (2569)"))
    )
    assert (await _me(uow_factory, seed.rep.id)).gregorian_years is True
    await an.send(f"/deal {deal}")
    assert "2026" in an.last_text() and "2569" not in an.last_text()
    await an.send("/settings years พ.ศ.")
    assert an.last_text().startswith(t._("Saved."))
    assert (await _me(uow_factory, seed.rep.id)).gregorian_years is False


async def test_gregorian_years_reach_lists_date_buttons_and_refusals_too(
    fake, make_app, seed, uow_factory
):
    clock = Clock("2026-03-04 09:00")
    without_job(await make_app(clock=clock))
    await add_deal(uow_factory, seed.rep, "Siam", date(2026, 12, 31), created=clock.now)
    an = fake.user(101, "An")
    await an.send("/language th")
    await an.send("/settings years gregorian")
    await an.send("/mydeals")
    assert any("31/12/26" in label for label in an.buttons())
    await an.send("/new Acme 50tr")
    assert an.buttons() and all("/26)" in label for label in an.buttons()[:3])
    await an.send("/cancel")
    await an.send("/new Acme 50tr 1/1/2026")
    assert "2026" in an.last_text() and "2569" not in an.last_text()


async def test_other_languages_are_not_offered_an_era(fake, make_app, seed):
    without_job(await make_app())
    an = fake.user(101, "An")
    await an.send("/language vi")
    assert "2569" not in await reply_to(an, "/settings")
    assert not [label for label in an.buttons() if "2569" in label]


async def test_lost_from_an_overdue_nudge_asks_the_reason_and_closes_the_deal(
    fake, make_app, seed, uow_factory
):
    from bot.runtime.scheduler import tick

    clock = Clock("2026-03-04 09:00")
    app = without_job(await make_app(clock=clock))
    an = await rep_speaking(fake)
    await an.send("/settings days none")
    deal = await add_deal(
        uow_factory, seed.rep, "Slipped", date(2026, 3, 3), created=clock.now - days(10)
    )
    await tick(app)
    assert "How did it go?" in an.last_text()
    assert "Why was it lost?" in await click_for(an, "Lost")
    assert "Marked as lost" in await click_for(an, "No budget")
    async with uow_factory() as uow:
        found = await uow.session.get(Opportunity, deal)
    assert (found.result, found.lost_reason) == (Result.LOST, "No budget")


async def test_won_from_an_overdue_nudge_closes_the_deal_and_tells_the_group(
    fake, make_app, seed, uow_factory
):
    from bot.runtime.scheduler import tick

    clock = Clock("2026-03-04 09:00")
    app = without_job(await make_app(clock=clock))
    manager = fake.user(100, "Mai")
    add_group(fake)
    await send_in_group(fake, manager, "/setgroup")
    an = await rep_speaking(fake)
    await an.send("/settings days none")
    deal = await add_deal(
        uow_factory, seed.rep, "Late but won", date(2026, 3, 3), created=clock.now - days(10)
    )
    await tick(app)
    assert "Congratulations on the win!" in await click_for(an, "Won")
    [announcement] = group_texts(fake)[1:]
    assert "Late but won" in announcement
    async with uow_factory() as uow:
        assert (await uow.session.get(Opportunity, deal)).result is Result.WON


async def test_a_forged_push_button_for_another_reps_deal_changes_nothing(
    fake, make_app, seed, uow_factory
):
    clock = Clock("2026-03-04 09:00")
    without_job(await make_app(clock=clock))
    theirs = await add_deal(
        uow_factory, seed.rep2, "Binh's deal", date(2026, 3, 20), created=clock.now
    )
    an = await rep_speaking(fake)
    message_id = an.last_message()["message_id"]
    for data in (f"pu:w:{theirs}", f"pu:c:{theirs}:20260401", f"pu:r:{theirs}:price", "pu:w:x"):
        await an.click_data(message_id, data)
        assert an.last_text() == "That deal was not found.", data
    async with uow_factory() as uow:
        found = await uow.session.get(Opportunity, theirs)
    assert (found.result, found.close_date) == (Result.OPEN, date(2026, 3, 20))
