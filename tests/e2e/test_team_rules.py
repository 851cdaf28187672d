"""/team: every member reads the team's reminder days; only a manager changes them."""

from __future__ import annotations

import pytest

from bot.i18n import translator
from storage.models import Team
from tests.e2e.people import manager_speaking, rep_speaking, reply_to


async def _team(uow_factory, team_id: int) -> Team:
    async with uow_factory() as uow:
        return await uow.session.get(Team, team_id)


@pytest.mark.parametrize("language", ["vi", "th", "en"])
async def test_a_manager_changes_the_reminder_days_and_the_stuck_threshold(
    fake, make_app, seed, uow_factory, language
):
    await make_app()
    t = translator(language)
    mai = fake.user(100, "Mai")
    await mai.send(f"/language {language}")
    assert t._("Your team's rules") in await reply_to(mai, "/team")
    await mai.send("/team reminders 10, 3, 0")
    assert mai.last_text().startswith(t._("Saved."))
    assert "21" in await reply_to(mai, "/team stuck 21")
    team = await _team(uow_factory, seed.team.id)
    assert (team.reminder_offsets, team.stale_days) == ("10,3,0", 21)


async def test_a_rep_reads_the_rules_but_cannot_change_them(fake, make_app, seed, uow_factory):
    await make_app()
    an = await rep_speaking(fake)
    assert "Reminders: 7, 1, 0 days before the close date" in await reply_to(an, "/team")
    assert "no stage change for 14 days" in an.last_text()
    assert "Only a manager can change the team's rules." in await reply_to(an, "/team stuck 3")
    assert (await _team(uow_factory, seed.team.id)).stale_days == 14


async def test_bad_values_are_explained_and_nothing_changes(fake, make_app, seed, uow_factory):
    await make_app()
    mai = await manager_speaking(fake)
    assert "Give 1 to 6 reminder days, each from 0 to 60." in await reply_to(
        mai, "/team reminders 90"
    )
    assert "between 1 and 365 days" in await reply_to(mai, "/team stuck 0")
    assert "I could not read that." in await reply_to(mai, "/team holidays 3")
    team = await _team(uow_factory, seed.team.id)
    assert (team.reminder_offsets, team.stale_days) == ("7,1,0", 14)
