"""A member's data is shown only in their private chat; a group hears a pointer there."""

import pytest

from tests.e2e.deal_helpers import GROUP_ID, NOW, add_group, make_deal, send_in_group
from tests.e2e.people import manager_speaking, rep_speaking

POINTER = "https://t.me/dealbot_test_bot"


@pytest.fixture
async def group_app(fake, make_app):
    app = await make_app(clock=lambda: NOW)
    add_group(fake)
    return app


def _sent_to_group(fake) -> list:
    return [call for call in fake.calls if call.params.get("chat_id") == GROUP_ID]


async def _in_group(fake, person, text: str) -> list:
    before = len(_sent_to_group(fake))
    await send_in_group(fake, person, text)
    return _sent_to_group(fake)[before:]


@pytest.mark.parametrize(
    ("telegram_id", "command"),
    [
        (101, "/mydeals"),
        (101, "/find acme"),
        (101, "/deal Acme"),
        (101, "/pipeline"),
        (100, "/export"),
        (100, "/invite manager"),
        (100, "/invite"),
        (100, "/pipeline team"),
        (100, "/forecast"),
        (101, "/new Acme Widgets 50tr 31/12"),
    ],
)
async def test_a_command_in_the_team_group_posts_nothing_private(
    fake, group_app, seed, uow_factory, telegram_id, command
):
    await make_deal(uow_factory, seed.rep, "Acme ERP secret")
    person = fake.user(telegram_id, "Someone", language_code="en")
    await person.send("/language en")
    sent = await _in_group(fake, person, command)
    assert len(sent) == 1, [call.method for call in sent]
    [call] = sent
    assert call.method == "sendMessage"
    text = call.params["text"]
    assert POINTER in text
    for private in ("Acme ERP secret", "start=", "₫", ".csv"):
        assert private not in text
    assert not call.params.get("reply_markup")
    assert "document" not in call.params


async def test_setgroup_still_works_in_the_group(fake, group_app, seed):
    manager = await manager_speaking(fake)
    [call] = await _in_group(fake, manager, "/setgroup")
    assert "announce the team's wins in this group" in call.params["text"]


async def test_the_private_chat_still_answers_the_same_commands(fake, group_app, seed, uow_factory):
    await make_deal(uow_factory, seed.rep, "Acme ERP secret")
    rep = await rep_speaking(fake)
    await rep.send("/mydeals")
    assert "Acme ERP secret" in rep.last_text()


async def test_the_group_hears_the_pointer_once_not_once_per_command(fake, group_app, seed):
    rep = await rep_speaking(fake)
    assert len(await _in_group(fake, rep, "/mydeals")) == 1
    assert await _in_group(fake, rep, "/find acme") == []
    assert await _in_group(fake, rep, "/pipeline") == []


async def test_a_command_for_another_bot_in_the_group_gets_no_answer(fake, group_app, seed):
    rep = await rep_speaking(fake)
    assert await _in_group(fake, rep, "/mydeals@some_other_bot") == []
