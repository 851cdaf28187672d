"""Applying the Alembic migrations from code: at start-up, from the CLI and in tests."""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import normalize_url, restore_foreign_keys

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
_REVISION = re.compile(r"^(down_revision|revision)\b[^=]*=\s*(.+)$", re.MULTILINE)


def alembic_config(url: str) -> Config:
    """An Alembic configuration that needs no ini file on disk."""
    from alembic.config import Config

    # Alembic binds its default stdout when first imported, which is now lazy: pass the
    # current one, or a stream closed since (a test's capture) would be written to.
    config = Config(stdout=sys.stdout)
    config.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser treats % as interpolation; database passwords may contain it.
    config.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    return config


async def _with_connection(engine: AsyncEngine, action: str, revision: str) -> None:
    from alembic import command

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


def head_revisions() -> set[str]:
    """The revisions no other one follows, read from the migration files' own lines."""
    revisions, followed = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        for name, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            found = set(re.findall(r"[\"']([^\"']+)[\"']", value))
            (revisions if name == "revision" else followed).update(found)
    return revisions - followed


async def at_head(engine: AsyncEngine) -> bool:
    """Whether the database already has every migration (then Alembic is not needed)."""
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
            applied = {row[0] for row in rows}
    except DBAPIError:
        return False  # no alembic_version table: a new database
    return bool(applied) and applied == head_revisions()


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the database to ``revision`` (the latest by default).

    A database already at the latest revision is left without loading Alembic, which
    (with Mako and Pygments) would stay in the bot's memory for nothing.
    """
    if revision == "head" and await at_head(engine):
        return
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
