"""Per-user order: one user's updates in turn, others side by side, a cap per user."""

from __future__ import annotations

import asyncio

from telegram import Chat, Message, Update, User

from bot.runtime.ordering import PerUserOrder


def _update(update_id: int, user_id: int) -> Update:
    user = User(user_id, "U", False)
    chat = Chat(user_id, "private")
    message = Message(update_id, None, chat, from_user=user, text="hi")  # type: ignore[arg-type]
    return Update(update_id, message=message)


async def test_a_users_waiting_updates_hold_no_shared_slot():
    order = PerUserOrder(2)
    gate = asyncio.Event()
    done: list[int] = []

    async def handle(update_id: int, wait: bool) -> None:
        if wait:
            await gate.wait()
        done.append(update_id)

    slow = [
        asyncio.create_task(order.process_update(_update(n, 1), handle(n, True)))
        for n in range(1, 11)
    ]
    await asyncio.sleep(0)
    other = asyncio.create_task(order.process_update(_update(99, 2), handle(99, False)))
    await asyncio.wait_for(other, 1)
    assert done == [99]
    gate.set()
    await asyncio.gather(*slow)
    assert done == [99, *range(1, 11)]


async def test_updates_past_a_users_cap_are_dropped_and_reported():
    order = PerUserOrder(8, per_user_cap=3)
    told: list[tuple[int, bool]] = []

    async def finished(update: object, handled: bool) -> None:
        told.append((update.update_id, handled))  # type: ignore[attr-defined]

    order.on_finished = finished
    gate = asyncio.Event()

    async def handle() -> None:
        await gate.wait()

    tasks = [asyncio.create_task(order.process_update(_update(n, 1), handle())) for n in range(5)]
    await asyncio.sleep(0)
    gate.set()
    await asyncio.gather(*tasks)
    assert sorted(told) == [(0, True), (1, True), (2, True), (3, False), (4, False)]


async def test_when_stopping_updates_whose_turn_has_not_come_are_left_unfinished():
    order = PerUserOrder(8)
    told: list[int] = []

    async def finished(update: object, handled: bool) -> None:
        told.append(update.update_id)  # type: ignore[attr-defined]

    order.on_finished = finished
    gate = asyncio.Event()
    ran: list[int] = []

    async def handle(update_id: int) -> None:
        ran.append(update_id)
        await gate.wait()

    tasks = [asyncio.create_task(order.process_update(_update(n, 1), handle(n))) for n in range(4)]
    await asyncio.sleep(0)
    order.stop_taking()
    gate.set()
    await asyncio.gather(*tasks)
    assert ran == [0] and told == [0]
