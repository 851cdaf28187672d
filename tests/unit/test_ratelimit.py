"""The pacer keeps both limits at the moment of sending, even for a burst let go at once."""

from __future__ import annotations

import asyncio
from itertools import pairwise

from bot.delivery.ratelimit import Pacer


async def test_a_burst_is_spread_to_the_window_and_the_per_chat_gap():
    pacer = Pacer(per_window=5, window=0.1, gap=0.1)
    loop = asyncio.get_running_loop()
    sent: list[tuple[float, int]] = []

    async def send(chat_id: int) -> None:
        await pacer.wait(chat_id)
        sent.append((loop.time(), chat_id))

    # 24 sends released together, as after a RetryAfter pause; chat 1 gets four of them.
    await asyncio.gather(*(send(1 if n % 6 == 0 else 100 + n) for n in range(24)))
    times = sorted(at for at, _ in sent)
    for index, at in enumerate(times):
        assert sum(at <= later < at + 0.1 for later in times[index:]) <= 5
    chat_one = sorted(at for at, chat in sent if chat == 1)
    assert len(chat_one) == 4
    assert all(b - a >= 0.1 for a, b in pairwise(chat_one))


async def test_replies_are_counted_without_waiting():
    pacer = Pacer(per_window=2, window=0.2, gap=0.2)
    loop = asyncio.get_running_loop()
    start = loop.time()
    pacer.note(start, 7)
    pacer.note(start, 8)
    await pacer.wait(9)  # the window is full of replies: this paced send waits
    assert loop.time() - start >= 0.2
