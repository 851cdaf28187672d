"""Helpers for the board's tests: a signed client against the bot's web app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import func, select

from bot.board.initdata import sign
from bot.board.server import WebServer, build_web_app, deps_of
from storage.models import Opportunity, Result
from tests.e2e.conftest import TOKEN


def signed(telegram_id: int, now: datetime, *, token: str = TOKEN, language: str = "en") -> str:
    return sign(token, user_id=telegram_id, first_name="Someone", language=language, now=now)


def auth(init_data: str) -> dict[str, str]:
    return {"Authorization": f"tma {init_data}"}


@asynccontextmanager
async def board_client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client for the board served by ``app`` (the running Application), on a free port."""
    server = WebServer(build_web_app(deps_of(app, TOKEN), application=app), "127.0.0.1", 0)
    await server.start()
    base = f"http://127.0.0.1:{server.port}"
    try:
        async with httpx.AsyncClient(base_url=base, trust_env=False) as client:
            yield client
    finally:
        await server.stop()


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
