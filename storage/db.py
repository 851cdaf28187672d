"""Engine and session factory, and what differs between SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage import sqlite_driver


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


def create_engine(url: str, **kwargs: object) -> AsyncEngine:
    """Create the async engine, with SQLite set up for WAL and IMMEDIATE writes."""
    url = normalize_url(url)
    if make_url(url).get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        return create_async_engine(url, **kwargs)

    kwargs.setdefault("module", sqlite_driver.dbapi())
    kwargs.setdefault("pool_reset_on_return", None)  # see _on_reset
    database = make_url(url).database
    if database and database != ":memory:" and "mode=memory" not in url:
        # Every transaction begins IMMEDIATE, so only one at a time can do anything: one
        # connection, handed on in turn, instead of connections waiting in SQLite's busy
        # handler (which sleeps up to 100 ms between looks) and extra ones opened and
        # closed again under load.
        kwargs.setdefault("pool_size", 1)
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
        # Straight to the driver: one trip, none of a statement's bookkeeping.
        cursor = connection.connection.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        cursor.close()

    @event.listens_for(engine.sync_engine, "reset")
    def _on_reset(dbapi_connection, _record, state) -> None:  # type: ignore[no-untyped-def]
        # A connection back in the pool must hold no transaction (nor, after IMMEDIATE,
        # the write lock). Most come back with theirs ended; rolling back only the others
        # saves a trip to the driver's thread on every return.
        if not state.terminate_only and dbapi_connection.driver_connection.in_transaction:
            dbapi_connection.rollback()

    return engine


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded values after commit, so nothing lazy-loads later."""
    return async_sessionmaker(engine, expire_on_commit=False)
