"""Flow rules that hold in every conversation: expiry, stale buttons, errors, menus."""

from datetime import timedelta

from sqlalchemy import select

from storage.models import Draft
from storage.types import utcnow
from tests.e2e.deal_helpers import data_of_button
from tests.e2e.directory_helpers import only_row
from tests.e2e.people import rep_speaking, reply_to


class Clock:
    def __init__(self):
        self.now = utcnow()

    def __call__(self):
        return self.now


async def _a_lead_left_for_25_hours(fake, make_app):
    """An starts a lead, names the person, and comes back 25 hours later."""
    clock = Clock()
    await make_app(clock=clock)
    rep = await rep_speaking(fake)
    await rep.send("/lead")
    await rep.send("Lan")
    clock.now += timedelta(hours=25)
    return rep, clock


async def test_an_expired_draft_is_told_once_and_discarded(fake, make_app, seed, uow_factory):
    rep, _ = await _a_lead_left_for_25_hours(fake, make_app)
    assert "expired" in await reply_to(rep, "Cty ABC")
    assert "expired" not in await reply_to(rep, "Cty ABC")
    async with uow_factory() as uow:
        assert (await uow.session.execute(select(Draft))).first() is None


async def test_an_expired_draft_after_a_restart_is_told_once(fake, make_app, seed):
    rep, clock = await _a_lead_left_for_25_hours(fake, make_app)
    await make_app(clock=clock)
    assert "expired" in await reply_to(rep, "Cty ABC")
    assert "did not understand" in await reply_to(rep, "hello")


async def test_a_button_from_a_cancelled_draft_changes_nothing(fake, app, seed, uow_factory):
    rep = await rep_speaking(fake)
    await rep.send("/lead")
    await rep.send("Lan")
    old_message = rep.last_message()
    await rep.send("/cancel")
    await rep.send("/lead")
    await rep.send("Mai")
    skip = data_of_button(old_message, lambda button: button["text"] == "Skip")
    await rep.click_data(old_message["message_id"], skip)
    assert "no longer open" in rep.last_text()
    draft = await only_row(uow_factory, Draft)
    assert draft.step == "COMPANY"
    assert draft.data["person_name"] == "Mai"


async def test_an_error_is_reported_in_the_users_language_and_the_step_is_kept(
    fake, app, seed, monkeypatch
):
    from bot.conversations.leads import new_lead

    rep = await rep_speaking(fake)
    await rep.send("/lead")
    await rep.send("Lan")
    original = new_lead._store

    async def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(new_lead, "_store", broken)
    assert "something went wrong" in await reply_to(rep, "Cty ABC")
    monkeypatch.setattr(new_lead, "_store", original)
    assert "phone number" in await reply_to(rep, "Cty ABC")


async def test_cancel_outside_a_flow_says_there_is_nothing_to_cancel(fake, app, seed):
    rep = await rep_speaking(fake)
    assert "nothing to cancel" in await reply_to(rep, "/cancel")


async def test_the_command_menu_is_set_in_each_language(fake, app):
    menus = {call.params.get("language_code"): call for call in fake.calls_of("setMyCommands")}
    assert set(menus) >= {"vi", "th", "en"}
    assert "Add a lead" in str(menus["en"].params["commands"])
    assert "Add a lead" not in str(menus["th"].params["commands"])


def test_the_token_never_reaches_a_log_line():
    import logging

    from bot.runtime.runner import RedactToken

    token = "123456:" + "S" * 35
    record = logging.LogRecord(
        "httpx", logging.INFO, __file__, 1, "POST https://api/bot%s/getMe", (token,), None
    )
    RedactToken(token).filter(record)
    assert token not in record.getMessage()
    assert "<token>" in record.getMessage()
