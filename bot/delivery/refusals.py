"""How often a non-member hears the refusal: once an hour, however often they write."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage import clock

EVERY = timedelta(hours=1)
# Enough for every stranger of a busy hour; past it the oldest are forgotten.
REMEMBERED = 10_000


class RefusalLimit:
    """Remembers when each non-member was last refused.

    Each refusal is a message sent, and Telegram allows about 30 a second for the whole
    bot: answering every message of a stranger's flood would spend that on them.
    """

    def __init__(self, every: timedelta = EVERY) -> None:
        self.every = every
        self._last: dict[int, datetime] = {}

    def allow(self, user_id: int) -> bool:
        """True (and remembered) if ``user_id`` was not refused within the last hour."""
        now = clock.now()
        last = self._last.get(user_id)
        if last is not None and now - last < self.every:
            return False
        self._last.pop(user_id, None)
        self._last[user_id] = now
        if len(self._last) > REMEMBERED:
            # Dicts keep insertion order, and a refusal re-inserts: the first is the oldest.
            del self._last[next(iter(self._last))]
        return True
