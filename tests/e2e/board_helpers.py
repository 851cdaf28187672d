"""Helpers for the board's tests: a signed client against the bot's web app."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from bot.board.initdata import sign
from bot.board.server import build_web_app, deps_of
from storage.models import Opportunity, Result
from tests.e2e.conftest import TOKEN


def signed(telegram_id: int, now: datetime, *, token: str = TOKEN, language: str = "en") -> str:
    return sign(token, user_id=telegram_id, first_name="Someone", language=language, now=now)


def auth(init_data: str) -> dict[str, str]:
    return {"Authorization": f"tma {init_data}"}


async def board_client(app: Any) -> TestClient:
    """A client for the board served by ``app`` (the running Application), on a free port."""
    client = TestClient(TestServer(build_web_app(deps_of(app, TOKEN), application=app)))
    await client.start_server()
    return client


async def db_columns(uow_factory, team_id: int, owner_id: int | None = None) -> dict[int, tuple]:
    """(count, amount, weighted) per stage, open deals, straight from the database."""
    async with uow_factory() as uow:
        statement = (
            select(
                Opportunity.stage_id,
                func.count(),
                func.sum(Opportunity.amount),
                func.sum(Opportunity.amount * Opportunity.probability),
            )
            .where(Opportunity.team_id == team_id, Opportunity.result == Result.OPEN)
            .group_by(Opportunity.stage_id)
        )
        if owner_id is not None:
            statement = statement.where(Opportunity.owner_id == owner_id)
        rows = await uow.session.execute(statement)
        return {
            stage_id: (count, amount, (weighted + 50) // 100)
            for stage_id, count, amount, weighted in rows
        }
