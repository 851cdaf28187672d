"""Start-up skips Alembic when the database already has every migration."""

from alembic.script import ScriptDirectory

from storage import migrate
from storage.db import create_engine


def test_the_heads_read_from_the_files_are_alembics_own() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite:///unused.sqlite3"))
    assert migrate.head_revisions() == set(script.get_heads())


async def test_a_database_is_at_head_only_once_migrated(empty_database_url) -> None:
    url = empty_database_url
    engine = create_engine(url)
    try:
        assert not await migrate.at_head(engine)
        await migrate.upgrade(engine, "0001")
        assert not await migrate.at_head(engine)
        await migrate.upgrade(engine)
        assert await migrate.at_head(engine)
        await migrate.upgrade(engine)  # nothing to do, and nothing breaks
        await migrate.check(engine)
    finally:
        await engine.dispose()
