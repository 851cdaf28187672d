"""One update, one unit of work: each command of /help reads and writes in one transaction.

Member resolution (group -1) reads once per update and hands the member down; it is not
counted. What is counted is every ``UnitOfWork`` a handler or a flow opens while answering.
"""

from __future__ import annotations

import traceback
from datetime import date

import pytest

from bot.commands import COMMANDS
from storage.uow import UnitOfWork
from tests.e2e.deal_helpers import NOW, make_deal


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """Where each unit of work was opened from: the innermost bot function."""
    places: list[str] = []
    enter = UnitOfWork.__aenter__

    async def counting(self):  # type: ignore[no-untyped-def]
        frames = [frame for frame in traceback.extract_stack() if "/bot/" in frame.filename]
        where = frames[-1].name if frames else "?"
        if where != "resolve_member":
            places.append(where)
        return await enter(self)

    monkeypatch.setattr(UnitOfWork, "__aenter__", counting)
    return places


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command.name)
async def test_each_command_of_help_opens_at_most_one_unit_of_work(
    fake, make_app, seed, uow_factory, opened, command
):
    await make_app(clock=lambda: NOW)
    await make_deal(uow_factory, seed.manager, name="Acme ERP", close_date=date(2026, 12, 31))
    manager = fake.user(100, "Mai Manager")
    await manager.send("/language en")
    before = len(opened)
    await manager.send(command.example)
    assert len(opened[before:]) <= 1, opened[before:]
    assert "went wrong" not in manager.last_text()
