"""Telegram's side of getUpdates: the update log, the unacknowledged queue, the long poll."""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from collections.abc import Mapping
from typing import Any

from bot.fake_telegram.errors import ApiError
from bot.fake_telegram.records import Signal, clone


class UpdateQueue:
    """Updates get increasing ids; getUpdates hands out those queued and not yet acknowledged."""

    def __init__(self, first_update_id: int = 100) -> None:
        self.log: list[dict[str, Any]] = []
        self._pending: deque[dict[str, Any]] = deque()
        self._ids = itertools.count(first_update_id)
        self._generation = 0
        self._signal = Signal()

    def add(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """Return ``payload`` as an update with the next update_id (not delivered yet)."""
        return {"update_id": next(self._ids), **clone(dict(payload))}

    def deliver(self, update: Mapping[str, Any], *, queue: bool) -> None:
        """Log an update and, when ``queue``, wake the long poll that will hand it over."""
        self.log.append(clone(dict(update)))
        if queue:
            self._pending.append(clone(dict(update)))
            self._signal.notify()

    @property
    def pending(self) -> list[dict[str, Any]]:
        """Copies of the queued updates."""
        return clone(list(self._pending))

    def drop(self) -> None:
        """Forget queued updates, as drop_pending_updates=True asks."""
        self._pending.clear()

    async def poll(self, offset: Any, limit: Any, wait_seconds: Any) -> list[dict[str, Any]]:
        """Acknowledge below ``offset``, then wait up to ``wait_seconds`` for updates."""
        self._acknowledge(offset)
        count = min(max(int(limit or 100), 1), 100)
        # A newer poll ends an older one, which then answers 409 like Telegram does.
        self._generation += 1
        generation = self._generation
        self._signal.notify()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(float(wait_seconds or 0), 0.0)
        while not self._pending and (remaining := deadline - loop.time()) > 0:
            await self._signal.wait(remaining)
            if generation != self._generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
        return clone(list(itertools.islice(self._pending, count)))

    def _acknowledge(self, offset: Any) -> None:
        if not isinstance(offset, int) or offset == 0:
            return
        if offset < 0:
            # Telegram: a negative offset keeps only the last -offset updates.
            while len(self._pending) > -offset:
                self._pending.popleft()
            return
        while self._pending and self._pending[0]["update_id"] < offset:
            self._pending.popleft()
