"""Shared fixtures: a fresh database per test on SQLite, and on PostgreSQL when asked."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage import clock, migrate
from storage.actors import Actor
from storage.db import create_engine, create_session_factory, normalize_url
from storage.models import Base, Role
from storage.teams import TeamSettings, add_user, create_team
from storage.uow import UnitOfWork

PG_URL = os.environ.get("DEALBOT_TEST_DATABASE_URL")
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]


async def _admin_execute(url: str, statement: str) -> None:
    engine = create_async_engine(normalize_url(url), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


def _in_thread(function, *args):
    """Run blocking set-up (which may call asyncio.run) even from inside a test's loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(function, *args).result()


@pytest.fixture(autouse=True)
def program_clock() -> Iterator[None]:
    """Each test starts on the machine's clock; a clock a test installs ends with it."""
    previous = clock.install(None)
    yield
    clock.install(previous)


@pytest.fixture(scope="session")
def pg_database() -> Iterator[Callable[[], str]]:
    """Make throw-away PostgreSQL databases on demand, dropped when the run ends."""
    created: list[str] = []

    def make(migrated: bool = True) -> str:
        assert PG_URL is not None
        name = f"dealbot_test_{uuid.uuid4().hex[:10]}"
        _in_thread(asyncio.run, _admin_execute(PG_URL, f'CREATE DATABASE "{name}"'))
        created.append(name)
        url = make_url(normalize_url(PG_URL)).set(database=name).render_as_string(False)
        if migrated:
            _in_thread(migrate.upgrade_sync, url)
        return url

    yield make
    for name in created:
        asyncio.run(_admin_execute(PG_URL or "", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def pg_shared_url(pg_database: Callable[..., str]) -> str:
    """One migrated PostgreSQL database for the whole run; tests truncate it."""
    return pg_database()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'test.sqlite3'}"
    return request.getfixturevalue("pg_shared_url")


@pytest.fixture
def empty_database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A database of the test's own with no tables yet, for tests that migrate it themselves."""
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'empty.sqlite3'}"
    return request.getfixturevalue("pg_database")(migrated=False)


@pytest.fixture
async def engine(database_url: str, backend: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    if backend == "sqlite":
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
    else:
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        async with engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    yield engine
    await engine.dispose()


@pytest.fixture
def uow_factory(engine: AsyncEngine) -> Callable[[], UnitOfWork]:
    sessions = create_session_factory(engine)
    return lambda: UnitOfWork(sessions)


class Seed:
    """A team with a manager and two reps, plus a second team, for permission tests."""

    def __init__(self, uow: Callable[[], UnitOfWork]) -> None:
        self.uow = uow

    async def build(self) -> Seed:
        async with self.uow() as uow:
            self.team = await create_team(uow, TeamSettings(name="Saigon", currency="VND"))
        async with self.uow() as uow:
            self.other_team = await create_team(uow, TeamSettings(name="Bangkok", currency="THB"))
        self.manager = await self._member(self.team.id, "Mai Manager", Role.MANAGER, 100)
        self.rep = await self._member(self.team.id, "An Rep", Role.REP, 101)
        self.rep2 = await self._member(self.team.id, "Binh Rep", Role.REP, 102)
        self.other_rep = await self._member(self.other_team.id, "Somchai", Role.REP, 200)
        self.other_manager = await self._member(self.other_team.id, "Niran", Role.MANAGER, 201)
        self.admin = await self._member(self.team.id, "Admin", Role.ADMIN, 1)
        return self

    async def _member(self, team_id: int, name: str, role: Role, telegram_id: int) -> Actor:
        async with self.uow() as uow:
            user = await add_user(
                uow, team_id=team_id, name=name, role=role, telegram_id=telegram_id
            )
        return Actor.of(user)


@pytest.fixture
async def seed(uow_factory: Callable[[], UnitOfWork]) -> Seed:
    return await Seed(uow_factory).build()


def pytest_report_header(config: pytest.Config) -> str:
    where = "sqlite and postgresql" if PG_URL else "sqlite only (set DEALBOT_TEST_DATABASE_URL)"
    return f"dealbot database backends: {where}"


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # type: ignore[no-untyped-def]
    """Say how many tests passed on each backend, so a run shows both were exercised."""
    counts: dict[str, int] = {}
    for report in terminalreporter.stats.get("passed", []):
        for backend in BACKENDS:
            if f"[{backend}" in report.nodeid or f"-{backend}" in report.nodeid:
                counts[backend] = counts.get(backend, 0) + 1
    if counts:
        summary = ", ".join(f"{count} on {backend}" for backend, count in sorted(counts.items()))
        terminalreporter.write_line(f"database tests passed: {summary}")
