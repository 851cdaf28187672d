"""SQLite: a long read holds no lock that another member's read or write waits for."""

import asyncio
from datetime import date

from sqlalchemy import func, select

from storage.db import create_session_factory
from storage.models import Opportunity
from storage.opportunities import OpportunityInput, create_opportunity
from storage.uow import UnitOfWork

QUICK = 5.0  # seconds; the busy timeout a blocked writer would wait is 30


async def _create(uow_factory, actor, name: str) -> None:
    async with uow_factory() as uow:
        await create_opportunity(
            uow, actor, OpportunityInput(name=name, close_date=date(2026, 12, 31))
        )


async def test_a_held_read_lets_another_member_write_and_read(seed, uow_factory, engine):
    await _create(uow_factory, seed.rep, "Acme ERP")
    sessions = create_session_factory(engine)
    async with UnitOfWork(sessions, read_only=True) as reader:
        # A report or an export in the middle of its read.
        assert (await reader.session.execute(select(func.count(Opportunity.id)))).scalar() == 1
        await asyncio.wait_for(_create(uow_factory, seed.rep2, "Beta CRM"), QUICK)
        async with UnitOfWork(sessions, read_only=True) as other:
            found = await asyncio.wait_for(
                other.session.execute(select(func.count(Opportunity.id))), QUICK
            )
            assert found.scalar() == 2


async def test_a_read_only_unit_of_work_cannot_commit(seed, engine):
    sessions = create_session_factory(engine)
    async with UnitOfWork(sessions, read_only=True) as reader:
        try:
            await reader.commit()
        except RuntimeError:
            return
    raise AssertionError("a read-only unit of work committed")


async def test_a_csv_file_is_checked_with_no_transaction_open(seed, engine, monkeypatch):
    from storage.csv import imports as csv_import
    from storage.csv.imports import prepare_import

    sessions = create_session_factory(engine)
    checked_out = []
    check_rows = csv_import.check_rows

    def watched(*args):
        checked_out.append(engine.sync_engine.pool.checkedout())
        return check_rows(*args)

    monkeypatch.setattr(csv_import, "check_rows", watched)
    data = "Name,Close date\n" + "".join(f"Deal {n},31/12/2026\n" for n in range(50))

    class Cells:
        def amount(self, text, currency):
            return (int(text), currency)

        def date(self, text):
            return date(2026, 12, 31)

        def names(self, kind, code):
            return ()

    async with UnitOfWork(sessions, read_only=True) as uow:
        plan = await prepare_import(uow, seed.manager, data.encode(), Cells())
    assert len(plan.valid) == 50
    assert checked_out == [0]
