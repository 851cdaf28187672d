"""Fresh databases for scenarios: a SQLite file in the run's directory, or PostgreSQL."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from storage.db import normalize_url


async def pg_database(url: str, name: str) -> str:
    """A new, empty database ``name`` on the server of ``url`` (dropped first if there)."""
    admin = create_async_engine(normalize_url(url), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await admin.dispose()
    return make_url(normalize_url(url)).set(database=name).render_as_string(False)
