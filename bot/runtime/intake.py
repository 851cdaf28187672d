"""Durable intake: updates are stored in the inbox before Telegram learns they arrived.

Polling stores each getUpdates batch in one transaction before the next call's offset
acknowledges it; a webhook stores its update before answering 200. Stored updates go to
the Application's queue; the update processor says when each is handled, and that is
written back in batches. On start, what a crash left unfinished is handled first.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.error import Conflict, RetryAfter
from telegram.ext import Application

from bot.delivery.ratelimit import backoff, retrying, transient
from bot.runtime.ordering import PerUserOrder, order_key
from storage import clock, idempotency, inbox
from storage.answered_log import AnsweredLog
from storage.models import InboxState
from storage.uow import UnitOfWork

logger = logging.getLogger(__name__)

# Handled updates are kept as long as update keys, then forgotten.
KEPT = timedelta(days=2)
PRUNE_EVERY = timedelta(hours=1)


class Intake:
    """The inbox between Telegram and the Application."""

    def __init__(
        self,
        app: Application[Any, Any, Any, Any, Any, Any],
        sessions: async_sessionmaker[AsyncSession],
        answered_log: AnsweredLog | None = None,
    ) -> None:
        self._app = app
        self._sessions = sessions
        self._log = answered_log
        # Keys of updates replayed after a crash whose changes were already committed.
        self.recovered: set[str] = set()
        self._finished: dict[str, InboxState] = {}
        self._wake = asyncio.Event()
        self._marker: asyncio.Task[None] | None = None
        self._pruned = clock.now()
        self._arriving: list[tuple[Update, asyncio.Future[None]]] = []
        self._storing: asyncio.Task[None] | None = None
        processor = app.update_processor
        if isinstance(processor, PerUserOrder):
            processor.on_finished = self._on_finished
            processor.on_answered = self._on_answered

    def _key(self, update: Update) -> str:
        return idempotency.update_key(self._app.bot.id, update.update_id)

    async def start(self) -> int:
        """Start writing back finished updates; queue what a crash left; return how many."""
        self._marker = asyncio.create_task(self._mark_finished(), name="intake:marker")
        async with UnitOfWork(self._sessions) as uow:
            rows = await inbox.pending(uow.session, limit=1_000_000)
            # An answered update lost only the end of its handling: answering it again
            # would say twice what the member already read.
            logged = self._log.keys() if self._log is not None else set()
            answered = [
                row.key for row in rows if row.state == InboxState.ANSWERED or row.key in logged
            ]
            await inbox.finish(uow.session, answered, InboxState.DONE)
            rows = [row for row in rows if row.key not in set(answered)]
            keys = [row.key for row in rows]
            self.recovered |= await inbox.applied(uow.session, keys)
            await inbox.count_attempt(uow.session, keys)
            await inbox.forget_finished(uow.session, self._pruned - KEPT)
            await uow.commit()
        if self._log is not None:
            self._log.clear()
        for row in rows:
            await self._app.update_queue.put(Update.de_json(row.payload, self._app.bot))
        if rows:
            logger.info("handling %s updates left unfinished by the last run", len(rows))
        return len(rows)

    async def receive(self, updates: list[Update]) -> None:
        """Store ``updates``, then queue those not stored before.

        Raises:
            SQLAlchemyError: the database refused; nothing may be acknowledged.
        """
        incoming = [
            inbox.Incoming(self._key(u), u.update_id, order_key(u) or 0, u.to_dict())
            for u in updates
        ]
        async with UnitOfWork(self._sessions) as uow:
            new = set(await inbox.store(uow.session, incoming))
            await uow.commit()
        for update in updates:
            key = self._key(update)
            if key in new:
                new.discard(key)  # the same update twice in one batch is queued once
                await self._app.update_queue.put(update)

    async def receive_one(self, update: Update) -> None:
        """Store one update, in one transaction with those arriving at the same time.

        A webhook answers each POST only once its update is stored; POSTs that arrive
        while a batch is being written wait for the next, shared, transaction.
        """
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._arriving.append((update, done))
        if self._storing is None or self._storing.done():
            self._storing = asyncio.create_task(self._store_arriving())
        await done

    async def _store_arriving(self) -> None:
        while self._arriving:
            batch, self._arriving = self._arriving, []
            try:
                await self.receive([update for update, _ in batch])
            except Exception as error:
                for _, done in batch:
                    if not done.done():  # done: the POST's client went away
                        done.set_exception(error)
            else:
                for _, done in batch:
                    if not done.done():
                        done.set_result(None)

    async def _on_finished(self, update: object, handled: bool) -> None:
        if isinstance(update, Update):
            self._finished[self._key(update)] = InboxState.DONE if handled else InboxState.DROPPED
            self._wake.set()

    def _on_answered(self, update: object) -> None:
        if isinstance(update, Update):
            key = self._key(update)
            if self._log is not None:
                self._log.add(key)
            self._finished.setdefault(key, InboxState.ANSWERED)
            self._wake.set()

    async def _mark_finished(self) -> None:
        # One transaction for whatever finished meanwhile: a flood of updates costs a
        # few writes, not one each.
        while True:
            await self._wake.wait()
            self._wake.clear()
            await self._flush()

    async def _flush(self) -> None:
        batch, self._finished = self._finished, {}
        if not batch:
            return
        try:
            async with UnitOfWork(self._sessions) as uow:
                for state in (InboxState.ANSWERED, InboxState.DONE, InboxState.DROPPED):
                    keys = [key for key, s in batch.items() if s == state]
                    await inbox.finish(uow.session, keys, state)
                now = clock.now()
                if now - self._pruned > PRUNE_EVERY:
                    self._pruned = now
                    await inbox.forget_finished(uow.session, now - KEPT)
                await uow.commit()
            if self._log is not None and not self._finished:
                self._log.clear_if_large()
        except Exception:
            # Unmarked updates are handled again after a restart; their keys stop repeats.
            logger.exception("could not mark %s updates handled", len(batch))

    async def close(self) -> None:
        """Write back what finished and stop."""
        if self._marker is not None:
            self._marker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._marker
            self._marker = None
        await self._flush()
        if self._log is not None:
            self._log.close()

    def stop_taking(self) -> None:
        """Leave every update not yet begun in the inbox, for the next start."""
        queue = self._app.update_queue
        while not queue.empty():
            queue.get_nowait()
            queue.task_done()
        processor = self._app.update_processor
        if isinstance(processor, PerUserOrder):
            processor.stop_taking()


class DurableQueue:
    """What PTB's webhook handler puts updates in: stored before the handler answers 200."""

    def __init__(self, intake: Intake) -> None:
        self._intake = intake

    async def put(self, update: object) -> None:
        if isinstance(update, Update):
            await self._intake.receive_one(update)


async def poll(
    app: Application[Any, Any, Any, Any, Any, Any],
    intake: Intake,
    *,
    poll_timeout: int = 10,
    ready: asyncio.Event | None = None,
) -> None:
    """Long-poll getUpdates until cancelled, storing each batch before acknowledging it.

    PTB's Updater advances its offset once the updates are in a memory queue; here the
    offset moves only after the batch is committed, so a crash leaves Telegram holding
    whatever was not stored.
    """
    bot = app.bot
    await retrying(lambda: bot.delete_webhook(drop_pending_updates=False))
    if ready is not None:
        ready.set()
    offset: int | None = None
    failures = 0
    while True:
        try:
            updates = await bot.get_updates(
                offset=offset, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
            )
            if updates:
                await intake.receive(list(updates))
                offset = updates[-1].update_id + 1
            failures = 0
        except asyncio.CancelledError:
            raise
        except RetryAfter as error:
            await asyncio.sleep(_seconds(error))
        except Conflict:
            logger.warning("another poller uses this bot token; retrying")
            await asyncio.sleep(backoff(failures))
            failures += 1
        except Exception as error:
            # The network, Telegram's 5xx or the database: the same batch comes again.
            level = logging.INFO if transient(error) else logging.ERROR
            logger.log(level, "getUpdates round failed; retrying", exc_info=error)
            await asyncio.sleep(backoff(failures))
            failures = min(failures + 1, 5)


def _seconds(error: RetryAfter) -> float:
    # The public attribute warns about its type changing in PTB 22; the value does not.
    wait = error._retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
