"""The Alembic migrations build the schema the models describe, both ways."""

from sqlalchemy import inspect

from storage import migrate
from storage.db import create_engine
from storage.models import Base


async def _tables(engine):
    async with engine.connect() as connection:
        return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))


async def test_upgrade_downgrade_upgrade_and_no_drift(empty_database_url):
    url = empty_database_url
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


async def test_closed_deals_get_the_local_day_of_their_last_stage_change(empty_database_url):
    from datetime import date

    from sqlalchemy import text

    url = empty_database_url
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine, "0003")
        statements = [
            "INSERT INTO teams (id, name, currency, timezone, language, stale_days, "
            "reminder_offsets, created_at) VALUES (1, 'T', 'VND', 'Asia/Ho_Chi_Minh', 'vi', "
            "14, '7,1,0', '2026-01-01 00:00:00')",
            "INSERT INTO users (id, name, role, team_id, digest_time, digest_days, "
            "digest_only_when_due, gregorian_years, active, created_at) VALUES (1, 'An', 'rep', 1, "
            "'08:00:00', '1', false, false, true, '2026-01-01 00:00:00')",
            "INSERT INTO stages (id, team_id, name, position, probability, kind) "
            "VALUES (1, 1, 'Open', 1, 10, 'open'), (2, 1, 'Won', 2, 100, 'won')",
        ]
        deal = (
            "INSERT INTO opportunities (id, team_id, owner_id, name, search_name, amount, "
            "currency, close_date, stage_id, probability, probability_overridden, result, "
            "version, created_at, updated_at, stage_changed_at) VALUES ({id}, 1, 1, 'D', 'd', "
            "1, 'VND', '2027-03-19', {stage}, 10, false, '{result}', 1, "
            "'2026-01-01 00:00:00', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
        )
        change = (
            "INSERT INTO stage_changes (opportunity_id, from_stage_id, to_stage_id, "
            "changed_by_id, changed_at, amount, currency, probability) VALUES "
            "({id}, NULL, 2, 1, '{at}', 1, 'VND', 100)"
        )
        statements += [
            deal.format(id=1, stage=2, result="won"),
            deal.format(id=2, stage=1, result="open"),
            change.format(id=1, at="2026-11-10 09:00:00"),
            # 20:00 UTC on 30 November is already 1 December in Ho Chi Minh City.
            change.format(id=1, at="2026-11-30 20:00:00"),
        ]
        async with engine.begin() as connection:
            for statement in statements:
                await connection.execute(text(statement))
        await migrate.upgrade(engine)
        async with engine.connect() as connection:
            rows = dict(
                (await connection.execute(text("SELECT id, closed_on FROM opportunities"))).all()
            )
        assert {key: str(value) if value else None for key, value in rows.items()} == {
            1: str(date(2026, 12, 1)),
            2: None,
        }

    finally:
        await engine.dispose()


async def test_numbers_are_never_reused_and_the_rebuild_keeps_every_row(
    backend, empty_database_url
):
    from datetime import date

    from sqlalchemy import func, select, text

    from storage.db import create_session_factory
    from storage.models import Activity, ActivityKind, Opportunity, StageChange
    from storage.opportunities import OpportunityInput, create_opportunity, delete_opportunity
    from storage.uow import UnitOfWork
    from tests.conftest import Seed

    url = empty_database_url
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    try:
        # Just before the rebuild: the ORM below writes every column the rebuild must keep.
        await migrate.upgrade(engine, "0004")
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
