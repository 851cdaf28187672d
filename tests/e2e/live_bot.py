"""A real `dealbot run` process against the stand-in's loopback HTTP server, for crash tests."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from bot.fake_telegram import FakeTelegram
from storage import migrate
from storage.db import create_engine, create_session_factory
from storage.models import Opportunity, Role
from storage.teams import TeamSettings, add_user, create_team
from storage.uow import UnitOfWork

ROOT = Path(__file__).resolve().parents[2]


class LiveBot:
    """``python -m bot run`` in its own process, killed or stopped by its own PID."""

    def __init__(self, api_url: str, database_url: str, workdir: Path, **env: str) -> None:
        self.workdir = workdir
        base = {key: value for key, value in os.environ.items() if not key.startswith("DEALBOT_")}
        self.env = base | {
            "PYTHONPATH": str(ROOT),
            "DEALBOT_TOKEN": "",
            "DEALBOT_DATABASE_URL": database_url,
            "DEALBOT_API_URL": api_url,
            **env,
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.runs = 0

    def start(self, token: str) -> None:
        self.runs += 1
        with (self.workdir / f"bot-{self.runs}.log").open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"],
                cwd=self.workdir,  # no .env from the repository
                env=self.env | {"DEALBOT_TOKEN": token},
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a crash or an OOM kill."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    async def stop(self, patience: float = 30.0) -> int:
        """SIGTERM and wait without blocking the loop that serves the stand-in."""
        assert self.process is not None
        self.process.terminate()
        async with asyncio.timeout(patience):
            while self.process.poll() is None:  # noqa: ASYNC110 - a process has no event
                await asyncio.sleep(0.05)
        return self.process.returncode

    def log(self) -> str:
        return "\n".join(
            (self.workdir / f"bot-{run}.log").read_text(errors="replace")
            for run in range(1, self.runs + 1)
        )


async def migrated_team(database_url: str, telegram_ids: list[int]) -> None:
    """Migrate ``database_url`` and make a team whose reps have ``telegram_ids``."""
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine)
        sessions = create_session_factory(engine)
        async with UnitOfWork(sessions) as uow:
            team = await create_team(uow, TeamSettings(name="Saigon"))
        for telegram_id in telegram_ids:
            async with UnitOfWork(sessions) as uow:
                await add_user(
                    uow,
                    team_id=team.id,
                    name=f"Rep {telegram_id}",
                    role=Role.REP,
                    telegram_id=telegram_id,
                )
    finally:
        await engine.dispose()


async def deal_names(database_url: str) -> list[str]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return list((await connection.scalars(select(Opportunity.name))).all())
    finally:
        await engine.dispose()


async def deal_count(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return int(await connection.scalar(select(func.count()).select_from(Opportunity)))
    finally:
        await engine.dispose()


async def until(predicate: Callable[[], bool], patience: float = 60.0) -> None:
    async with asyncio.timeout(patience):
        while not predicate():  # noqa: ASYNC110 - polls a call recorder, which has no event
            await asyncio.sleep(0.05)


def answers(fake: FakeTelegram, chat_id: int) -> list[str]:
    """Texts the bot sent to ``chat_id`` that arrived."""
    return [
        str(call.params.get("text", ""))
        for call in fake.calls_of("sendMessage", chat_id)
        if call.error is None
    ]
