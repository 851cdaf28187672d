"""The inbox: stored once however often delivered, read back in order, marked when handled."""

from __future__ import annotations

from datetime import timedelta

from storage import clock, inbox
from storage.models import InboxState


def _incoming(update_id: int, user: int) -> inbox.Incoming:
    return inbox.Incoming(f"update:1:{update_id}", update_id, user, {"update_id": update_id})


async def test_an_update_delivered_twice_is_stored_once(uow_factory):
    async with uow_factory() as uow:
        first = await inbox.store(uow.session, [_incoming(1, 7), _incoming(2, 7)])
        await uow.commit()
    async with uow_factory() as uow:
        again = await inbox.store(uow.session, [_incoming(2, 7), _incoming(3, 8)])
        await uow.commit()
    assert first == ["update:1:1", "update:1:2"]
    assert again == ["update:1:3"]
    async with uow_factory() as uow:
        assert await inbox.count_pending(uow.session) == 3


async def test_a_batch_with_old_new_and_repeated_updates_names_only_the_new_ones(uow_factory):
    async with uow_factory() as uow:
        await inbox.store(uow.session, [_incoming(n, 7) for n in range(1, 4)])
        await uow.commit()
    batch = [_incoming(n, 7) for n in (2, 40, 3, 41, 40, 1)]
    async with uow_factory() as uow:
        new = await inbox.store(uow.session, batch)
        await uow.commit()
    # The repeat of 40 inside the batch is named twice: the caller queues it once.
    assert new == ["update:1:40", "update:1:41", "update:1:40"]
    async with uow_factory() as uow:
        assert await inbox.count_pending(uow.session) == 5


async def test_unfinished_updates_come_back_in_arrival_order_until_handled(uow_factory):
    async with uow_factory() as uow:
        await inbox.store(uow.session, [_incoming(n, n % 2) for n in (5, 3, 9, 1)])
        await uow.commit()
    async with uow_factory() as uow:
        await inbox.finish(uow.session, ["update:1:3"], InboxState.ANSWERED)
        await inbox.finish(uow.session, ["update:1:9"], InboxState.DONE)
        await uow.commit()
    async with uow_factory() as uow:
        rows = await inbox.pending(uow.session, skip_locked=True)
        assert [(row.update_id, row.state) for row in rows] == [
            (5, InboxState.PENDING),
            (3, InboxState.ANSWERED),
            (1, InboxState.PENDING),
        ]
        await uow.commit()


async def test_handled_updates_are_forgotten_after_a_while_and_unfinished_ones_never(uow_factory):
    async with uow_factory() as uow:
        await inbox.store(uow.session, [_incoming(1, 7), _incoming(2, 7)])
        await inbox.finish(uow.session, ["update:1:1"], InboxState.DONE)
        await uow.commit()
    async with uow_factory() as uow:
        gone = await inbox.forget_finished(uow.session, clock.now() + timedelta(days=1))
        await uow.commit()
    assert gone == 1
    async with uow_factory() as uow:
        assert [row.update_id for row in await inbox.pending(uow.session)] == [2]
