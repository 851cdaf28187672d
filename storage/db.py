"""Engine and session factory, and what differs between SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage import sqlite_driver

# The execution option a read-only unit of work sets on its connection before BEGIN.
READ_ONLY = "dealbot_read_only"


def default_database_url() -> str:
    """A SQLite file under the user's data directory, so running needs nothing else."""
    directory = Path(platformdirs.user_data_dir("dealbot"))
    directory.mkdir(parents=True, exist_ok=True)
    return f"sqlite+aiosqlite:///{directory / 'dealbot.sqlite3'}"


def normalize_url(url: str) -> str:
    """Accept the plain URLs admins paste and pick the async driver for them."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    elif parsed.drivername == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    return parsed.render_as_string(hide_password=False)


SQLITE_CONNECTIONS = 3


def create_engine(url: str, **kwargs: object) -> AsyncEngine:
    """Create the async engine, with SQLite set up for WAL and IMMEDIATE writes."""
    url = normalize_url(url)
    if make_url(url).get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        return create_async_engine(url, **kwargs)

    kwargs.setdefault("module", sqlite_driver.dbapi())
    kwargs.setdefault("pool_reset_on_return", None)  # see _on_reset
    if make_url(url).database not in (None, "", ":memory:"):
        # SQLite runs one writer at a time, and each connection is a thread of its own
        # with its own page cache: beyond a few, more connections only wait on each
        # other's locks and cost memory (peak RSS 108 -> 101 MB in the chat bench).
        kwargs.setdefault("pool_size", SQLITE_CONNECTIONS)
        kwargs.setdefault("max_overflow", 0)
    engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # Take transaction control from the driver so "begin" below is the only BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        # A deferred transaction that later writes can fail with "database is locked"
        # without waiting; IMMEDIATE takes the write lock up front and waits for it.
        # A unit of work that only reads stays deferred: in WAL mode it then neither
        # waits for a writer nor makes one wait, however long it reads.
        # Straight to the driver: one trip, none of a statement's bookkeeping.
        begin = "BEGIN" if connection.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE"
        cursor = connection.connection.cursor()
        cursor.execute(begin)
        cursor.close()

    @event.listens_for(engine.sync_engine, "reset")
    def _on_reset(dbapi_connection, _record, state) -> None:  # type: ignore[no-untyped-def]
        # A connection back in the pool must hold no transaction (nor, after IMMEDIATE,
        # the write lock). Most come back with theirs ended; rolling back only the others
        # saves a trip to the driver's thread on every return.
        if not state.terminate_only and dbapi_connection.driver_connection.in_transaction:
            dbapi_connection.rollback()

    return engine


def set_sqlite_foreign_keys(connection: Connection, on: bool) -> None:
    """Switch SQLite's foreign keys outside any transaction (inside one SQLite ignores it).

    Goes to the driver's connection directly: a statement through SQLAlchemy would
    first start a transaction (``BEGIN IMMEDIATE`` above).
    """
    if connection.dialect.name != "sqlite":
        return
    cursor = connection.connection.cursor()
    cursor.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    cursor.close()


async def restore_foreign_keys(connection: AsyncConnection) -> None:
    """Foreign keys back on once migrations are committed (see ``migrations/env.py``)."""
    await connection.run_sync(set_sqlite_foreign_keys, True)


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded values after commit, so nothing lazy-loads later."""
    return async_sessionmaker(engine, expire_on_commit=False)


def upsert_for(session: AsyncSession) -> Callable[..., Any]:
    """The ``insert`` of the session's database, the one with ``on_conflict_do_*``.

    Imported on use: PostgreSQL's dialect package loads all its drivers' modules, about
    2 MB that a bot on SQLite never needs.
    """
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert
