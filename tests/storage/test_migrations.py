"""The Alembic migrations build the schema the models describe, both ways."""

from sqlalchemy import inspect

from storage import migrate
from storage.db import create_engine
from storage.models import Base


async def _tables(engine):
    async with engine.connect() as connection:
        return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))


async def test_upgrade_downgrade_upgrade_and_no_drift(backend, tmp_path, request):
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'migrations.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_database")(migrated=False)
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
        assert set(Base.metadata.tables) <= await _tables(engine)
        await migrate.downgrade(engine, "base")
        assert await _tables(engine) <= {"alembic_version"}
        await migrate.upgrade(engine)
        await migrate.check(engine)
    finally:
        await engine.dispose()
