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


async def test_numbers_are_never_reused_and_the_rebuild_keeps_every_row(backend, tmp_path, request):
    from datetime import date

    from sqlalchemy import func, select, text

    from storage.db import create_session_factory
    from storage.models import Activity, ActivityKind, Opportunity, StageChange
    from storage.opportunities import OpportunityInput, create_opportunity, delete_opportunity
    from storage.uow import UnitOfWork
    from tests.conftest import Seed

    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'ids.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_database")(migrated=False)
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    try:
        await migrate.upgrade(engine, "0003")
        seed = await Seed(lambda: UnitOfWork(sessions)).build()
        async with UnitOfWork(sessions) as uow:
            first = await create_opportunity(
                uow, seed.rep, OpportunityInput(name="Alpha", close_date=date(2030, 1, 1))
            )
        async with UnitOfWork(sessions) as uow:
            uow.session.add(
                Activity(
                    opportunity_id=first.id, author_id=seed.rep.id, kind=ActivityKind.NOTE, text="x"
                )
            )
            await uow.commit()
        await migrate.upgrade(engine)
        async with UnitOfWork(sessions) as uow:
            counts = [
                await uow.session.scalar(select(func.count(model.id)))
                for model in (Opportunity, StageChange, Activity)
            ]
            assert counts == [1, 1, 1]
            if backend == "sqlite":
                assert await uow.session.scalar(text("PRAGMA foreign_keys")) == 1
        async with UnitOfWork(sessions) as uow:
            second = await create_opportunity(
                uow, seed.rep, OpportunityInput(name="Beta", close_date=date(2030, 1, 1))
            )
        async with UnitOfWork(sessions) as uow:
            await delete_opportunity(uow, seed.rep, second.id)
        async with UnitOfWork(sessions) as uow:
            third = await create_opportunity(
                uow, seed.rep, OpportunityInput(name="Gamma", close_date=date(2030, 1, 1))
            )
        assert third.id > second.id
        await migrate.check(engine)
    finally:
        await engine.dispose()
