"""Applying the Alembic migrations from code: at start-up, from the CLI and in tests."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import normalize_url, restore_foreign_keys

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic configuration that needs no ini file on disk."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser treats % as interpolation; database passwords may contain it.
    config.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    return config


async def _with_connection(engine: AsyncEngine, action: str, revision: str) -> None:
    def run(connection) -> None:  # type: ignore[no-untyped-def]
        config = alembic_config(str(engine.url))
        config.attributes["connection"] = connection
        if action == "upgrade":
            command.upgrade(config, revision)
        elif action == "downgrade":
            command.downgrade(config, revision)
        else:
            command.check(config)

    async with engine.connect() as connection:
        await connection.run_sync(run)
        await connection.commit()
        await restore_foreign_keys(connection)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the database to ``revision`` (the latest by default)."""
    await _with_connection(engine, "upgrade", revision)


async def downgrade(engine: AsyncEngine, revision: str = "base") -> None:
    await _with_connection(engine, "downgrade", revision)


async def check(engine: AsyncEngine) -> None:
    """Raise if the models and the migrated schema differ."""
    await _with_connection(engine, "check", "head")


def upgrade_sync(url: str) -> None:
    """For synchronous callers (the CLI before the event loop starts)."""
    from storage.db import create_engine

    async def run() -> None:
        engine = create_engine(url)
        try:
            await upgrade(engine)
        finally:
            await engine.dispose()

    asyncio.run(run())
