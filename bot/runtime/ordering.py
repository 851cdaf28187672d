"""Per-user ordering of updates with concurrency across users."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

logger = logging.getLogger(__name__)

# How many of one user's updates may wait at once; a person types far fewer, a flood more.
PER_USER_CAP = 100

Finished = Callable[[object, bool], Awaitable[None]]
"""Told when an update was handled (True) or dropped over its user's cap (False)."""
Answered = Callable[[object], None]
"""Told when a message first reached the chat of the update being handled."""

# The update this task is handling, and who is told when it is answered.
_handling: ContextVar[tuple[object, Answered] | None] = ContextVar("handling", default=None)


def note_sent(chat_id: object) -> None:
    """Say that a message reached ``chat_id``; the update being handled there is answered.

    A crash between an answer and the end of its handling must not answer again after
    the restart, so the moment of the first answer is worth remembering on its own.
    """
    handling = _handling.get()
    if handling is None:
        return
    update, tell = handling
    chat = update.effective_chat if isinstance(update, Update) else None
    if chat is not None and str(chat.id) == str(chat_id):
        _handling.set(None)
        tell(update)


def order_key(update: object) -> int | None:
    """The user (else chat) whose updates must be handled one after another."""
    if isinstance(update, Update):
        if update.effective_user is not None:
            return update.effective_user.id
        if update.effective_chat is not None:
            return update.effective_chat.id
    return None


def _close(coroutine: Awaitable[Any]) -> None:
    # A coroutine never awaited would warn when collected.
    close = getattr(coroutine, "close", None)
    if close is not None:
        close()


class PerUserOrder(BaseUpdateProcessor):
    """Run one user's updates one after another, and different users' side by side.

    PTB's plain ``concurrent_updates`` would let a user's second message overtake
    their first, which breaks ConversationHandler; a lock per user keeps their order
    while other users go on. A shared slot is taken only once it is the update's turn,
    so a user with a long queue holds one slot, not one per queued update; past
    ``per_user_cap`` waiting updates a user's further updates are dropped.
    """

    def __init__(
        self, max_concurrent_updates: int = 256, *, per_user_cap: int = PER_USER_CAP
    ) -> None:
        super().__init__(max_concurrent_updates)
        self.per_user_cap = per_user_cap
        self.on_finished: Finished | None = None
        self.on_answered: Answered | None = None
        self._stopping = False
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def process_update(  # type: ignore[misc]  # PTB marks it final; see the docstring
        self, update: object, coroutine: Awaitable[Any]
    ) -> None:
        """Wait for the user's turn, then for a shared slot, then handle the update."""
        key = order_key(update)
        if key is not None and self._waiting.get(key, 0) >= self.per_user_cap:
            _close(coroutine)
            logger.warning("user %s has %s updates waiting; dropping one", key, self.per_user_cap)
            await self._tell(update, False)
            return
        if key is None:
            async with self._semaphore:
                handled = await self._handle(update, coroutine)
        else:
            lock = self._locks.setdefault(key, asyncio.Lock())
            self._waiting[key] = self._waiting.get(key, 0) + 1
            try:
                async with lock, self._semaphore:
                    handled = await self._handle(update, coroutine)
            finally:
                self._waiting[key] -= 1
                if not self._waiting[key]:
                    # Forget idle users so the table does not grow with every user ever seen.
                    del self._waiting[key]
                    del self._locks[key]
        if handled:
            await self._tell(update, True)

    def stop_taking(self) -> None:
        """Handle no update whose turn has not come yet; those being handled go on.

        Used when stopping: what waits stays unfinished in the inbox for the next start,
        instead of holding the stop up for as long as the longest queue.
        """
        self._stopping = True

    async def _handle(self, update: object, coroutine: Awaitable[Any]) -> bool:
        """Handle ``update``; False if it was left for later because we are stopping."""
        if self._stopping:
            _close(coroutine)
            return False
        token = _handling.set((update, self.on_answered) if self.on_answered else None)
        try:
            await coroutine
        except Exception:
            # Handled badly is still handled: replaying it after a restart would fail again.
            await self._tell(update, True)
            raise
        finally:
            _handling.reset(token)
        return True

    async def _tell(self, update: object, handled: bool) -> None:
        if self.on_finished is not None:
            await self.on_finished(update, handled)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Unused: :meth:`process_update` orders and limits on its own."""
        await coroutine

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""
