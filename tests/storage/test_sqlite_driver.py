"""SQLite through one trip per statement: same results, same errors, no transaction left."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from storage.db import SQLITE_CONNECTIONS, create_engine


@pytest.fixture
async def sqlite_engine(tmp_path: Path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'driver.sqlite3'}")
    async with engine.begin() as connection:
        await connection.execute(
            text("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL)")
        )
    yield engine
    await engine.dispose()


async def test_rows_counts_and_ids_come_back_as_from_the_plain_driver(sqlite_engine) -> None:
    async with sqlite_engine.begin() as connection:
        inserted = await connection.execute(text("INSERT INTO things (name) VALUES ('a')"))
        assert inserted.lastrowid == 1
        many = await connection.execute(
            text("INSERT INTO things (name) VALUES (:name)"), [{"name": "b"}, {"name": "c"}]
        )
        assert many.rowcount == 2
        changed = await connection.execute(text("UPDATE things SET name = name || '!'"))
        assert changed.rowcount == 3
    async with sqlite_engine.connect() as connection:
        rows = (await connection.execute(text("SELECT id, name FROM things ORDER BY id"))).all()
        assert [tuple(row) for row in rows] == [(1, "a!"), (2, "b!"), (3, "c!")]
        result = await connection.execute(text("SELECT name FROM things WHERE id > 5"))
        assert result.keys() == ["name"] and result.first() is None


async def test_a_broken_rule_raises_the_usual_error(sqlite_engine) -> None:
    async with sqlite_engine.begin() as connection:
        await connection.execute(text("INSERT INTO things (name) VALUES ('a')"))
    with pytest.raises(IntegrityError):
        async with sqlite_engine.begin() as connection:
            await connection.execute(text("INSERT INTO things (name) VALUES ('a')"))
    async with sqlite_engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM things"))).scalar() == 1


async def test_a_connection_given_back_inside_a_transaction_is_rolled_back(
    sqlite_engine,
) -> None:
    """The pool skips its rollback for connections with none open, never for the others."""
    async with sqlite_engine.connect() as connection:
        raw = await connection.get_raw_connection()
        # Behind SQLAlchemy's back: it does not know this transaction is open.
        await raw.driver_connection.execute("BEGIN IMMEDIATE")
        await raw.driver_connection.execute("INSERT INTO things (name) VALUES ('lost')")
        assert raw.driver_connection.in_transaction
    async with sqlite_engine.connect() as connection:
        raw = await connection.get_raw_connection()
        assert not raw.driver_connection.in_transaction
        assert (await connection.execute(text("SELECT count(*) FROM things"))).scalar() == 0
    # And the write lock went with it: another write does not wait.
    async with sqlite_engine.begin() as connection:
        await connection.execute(text("INSERT INTO things (name) VALUES ('kept')"))


async def test_a_file_database_holds_a_few_connections_and_callers_beyond_them_wait(
    sqlite_engine,
) -> None:
    # Each connection is a thread with its own page cache; one writer runs at a time.
    held = [await sqlite_engine.connect() for _ in range(SQLITE_CONNECTIONS)]
    try:
        waiting = asyncio.ensure_future(sqlite_engine.connect())
        await asyncio.sleep(0.2)
        assert not waiting.done()
        await held.pop().close()
        connection = await asyncio.wait_for(waiting, 5)
        assert (await connection.scalar(text("SELECT count(*) FROM things"))) == 0
        await connection.close()
    finally:
        for connection in held:
            await connection.close()


async def test_an_in_memory_database_still_opens() -> None:
    engine = create_engine("sqlite+aiosqlite:///:memory:")
    async with engine.connect() as connection:
        assert await connection.scalar(text("SELECT 1")) == 1
    await engine.dispose()
