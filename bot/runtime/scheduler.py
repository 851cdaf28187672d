"""The periodic tick: what is due, claimed in the outbox, then sent within flood limits."""

from __future__ import annotations

import asyncio
import enum
import logging
import weakref
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application, Job

from bot.context import BotContext, BotData
from bot.delivery.ratelimit import PACED
from bot.handlers.digests.views import Outgoing, digest_messages, overdue_message, reminder_message
from bot.i18n import translator
from storage import clock, idempotency, outbox
from storage.cards import deal_card
from storage.digest_batch import load_digests
from storage.digests import Digest
from storage.due import DueDigest, DueReminder, due_digests, due_reminders
from storage.errors import NotFound
from storage.models import Result
from storage.uow import UnitOfWork

logger = logging.getLogger(__name__)

JOB_NAME = "scheduled-pushes"
TICK_INTERVAL = timedelta(seconds=30)
# Members served at once. The rate limiter sets the pace (30 a second); this only keeps
# each claim close to its send, so a claim does not sit for minutes in the limiter's queue.
CONCURRENCY = 32
# Units of work at once on PostgreSQL (SQLite takes one at a time): within the pool's size.
DB_CONCURRENCY = 8
# Digests read together, a few statements for all of them. Small enough that the last of
# a batch is still read within seconds of its sending at 30 messages a second.
DIGEST_BATCH = 200

# Update keys are kept this long: past Telegram's redelivery window, well short of the
# week after which it may reuse an update id.
UPDATE_KEYS_KEPT = timedelta(days=2)
FORGET_EVERY = timedelta(hours=1)

_locks: weakref.WeakKeyDictionary[Application, asyncio.Lock] = weakref.WeakKeyDictionary()
_forgotten_at: weakref.WeakKeyDictionary[Application, datetime] = weakref.WeakKeyDictionary()


class Outcome(enum.StrEnum):
    SENT = "sent"
    TAKEN = "taken"  # another process (or an earlier tick) has it
    SKIPPED = "skipped"  # nothing to say
    BLOCKED = "blocked"  # 403: the member blocked the bot
    FAILED = "failed"  # 400: Telegram refused this message for good
    LEFT = "left"  # a transient failure: the claim stays and is retried once


@dataclass
class TickReport:
    """What one tick did, counted by outcome and kind."""

    ran: bool = True
    outcomes: Counter[str] = field(default_factory=Counter)

    def count(self, kind: str, outcome: Outcome) -> int:
        return self.outcomes[f"{kind}:{outcome}"]


Due = DueDigest | DueReminder


def schedule(app: Application, *, interval: timedelta = TICK_INTERVAL) -> Job[Any] | None:
    """Register the one periodic job that sends digests and reminders.

    The first run comes one interval after start-up, which is also when a digest or a
    reminder missed during downtime goes out.
    """
    if app.job_queue is None:
        logger.warning("no job queue: digests and reminders will not be sent")
        return None
    return app.job_queue.run_repeating(
        _tick_job,
        interval=interval,
        first=interval,
        name=JOB_NAME,
        # However late the loop gets to it, run it; never two at once, never a backlog.
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )


async def _tick_job(context: BotContext) -> None:
    await tick(context.application)


def digest_batches(due: Iterable[DueDigest]) -> list[list[DueDigest]]:
    """Due digests in the groups that are read together: one time zone (so one local day)
    and one ``stale_days``, at most ``DIGEST_BATCH`` members each."""
    groups: dict[tuple[str, int], list[DueDigest]] = defaultdict(list)
    for item in due:
        groups[item.recipient.timezone, item.recipient.stale_days].append(item)
    return [
        items[start : start + DIGEST_BATCH]
        for items in groups.values()
        for start in range(0, len(items), DIGEST_BATCH)
    ]


async def read_digests(uow: UnitOfWork, now: datetime, batch: list[DueDigest]) -> dict[int, Digest]:
    """The digests of one batch from ``digest_batches``, by user id."""
    first = batch[0].recipient
    return await load_digests(
        uow,
        [item.recipient.actor for item in batch],
        today=now.astimezone(ZoneInfo(first.timezone)).date(),
        now=now,
        stale_days=first.stale_days,
    )


def render_digest(item: DueDigest, digest: Digest) -> list[Outgoing]:
    """A member's digest as messages in their language; none in quiet mode with nothing due."""
    recipient = item.recipient
    if digest.is_empty and recipient.only_when_due:
        return []
    t = translator(recipient.language)
    return digest_messages(t, digest, gregorian=recipient.gregorian_years)


@dataclass
class _Batch:
    items: list[DueDigest]
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    digests: dict[int, Digest] | None = None
    failed: bool = False


class DigestBatches:
    """A round's due digests in batches, each read when the first of its members is served.

    Read then rather than all at the start, a digest is at most a batch's sending old:
    a deal closed while the first members were served is not in a later member's digest.
    """

    def __init__(self, due: Iterable[DueDigest]) -> None:
        self._batch_of: dict[int, _Batch] = {}
        for items in digest_batches(due):
            batch = _Batch(items)
            self._batch_of.update((item.recipient.user_id, batch) for item in items)

    async def messages(self, round_: _Round, item: DueDigest) -> list[Outgoing]:
        """The member's digest, reading their whole batch if no one has yet."""
        batch = self._batch_of[item.recipient.user_id]
        async with batch.lock:
            if batch.digests is None:
                if batch.failed:
                    # Logged once, for the member who read it; the claims stay and retry.
                    raise RuntimeError("the batch of this digest could not be read")
                try:
                    async with round_.reading() as uow:
                        batch.digests = await read_digests(uow, round_.now(), batch.items)
                except Exception:
                    batch.failed = True
                    raise
            # Taken out, so a round of thousands does not hold every digest to its end.
            digest = batch.digests.pop(item.recipient.user_id)
        return render_digest(item, digest)


class _Round:
    """One tick's sending: the application and a gate on database work.

    SQLite has one writer at a time, and connections waiting for it sleep in its busy
    handler; queueing here instead keeps a round of thousands from stalling on it.
    """

    def __init__(self, app: Application) -> None:
        self.app = app
        self.data: BotData = app.bot_data
        sqlite = self.data.engine.dialect.name == "sqlite"
        self._db = asyncio.Semaphore(1 if sqlite else DB_CONCURRENCY)
        self.digests = DigestBatches([])

    @asynccontextmanager
    async def uow(self) -> AsyncIterator[UnitOfWork]:
        async with self._db, UnitOfWork(self.data.sessions) as uow:
            yield uow

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[UnitOfWork]:
        # Finding what is due reads many rows; on SQLite it must not hold the write lock.
        async with self._db, UnitOfWork(self.data.sessions, read_only=True) as uow:
            yield uow

    def now(self) -> datetime:
        return clock.now()


async def tick(app: Application) -> TickReport:
    """Find what is due now and send it, each sending claimed in the outbox first.

    Nothing is sent while a database transaction is open: reading what is due, claiming,
    composing and marking are each their own short unit of work.
    """
    lock = _locks.setdefault(app, asyncio.Lock())
    if lock.locked():
        logger.info("the previous tick is still sending; skipping this one")
        return TickReport(ran=False)
    async with lock:
        round_ = _Round(app)
        now = round_.now()
        stale_before = now - outbox.RETRY_AFTER
        async with round_.reading() as uow:
            digests = await due_digests(uow, now, stale_before=stale_before)
            reminders = await due_reminders(uow, now, stale_before=stale_before)
        round_.digests = DigestBatches(digests)
        per_member: dict[int, list[Due]] = defaultdict(list)
        for item in [*digests, *reminders]:
            per_member[item.recipient.user_id].append(item)
        report = TickReport()
        gate = asyncio.Semaphore(CONCURRENCY)

        async def serve(items: list[Due]) -> None:
            async with gate:
                for item in items:
                    outcome = await _deliver(round_, item)
                    report.outcomes[f"{item.key.kind}:{outcome}"] += 1
                    if outcome is Outcome.BLOCKED:
                        break

        await asyncio.gather(*(serve(items) for items in per_member.values()))
        await _forget_old_updates(round_)
        if report.outcomes:
            logger.info("tick at %s: %s", now.isoformat(), dict(report.outcomes))
        return report


async def _forget_old_updates(round_: _Round) -> None:
    """Now and then, drop update keys too old to stop a duplicate."""
    now = clock.now()
    last = _forgotten_at.get(round_.app)
    if last is not None and now - last < FORGET_EVERY:
        return
    _forgotten_at[round_.app] = now
    async with round_.uow() as uow:
        gone = await idempotency.forget_update_keys(uow.session, now - UPDATE_KEYS_KEPT)
        await uow.commit()
    if gone:
        logger.info("forgot %d update keys older than %s", gone, UPDATE_KEYS_KEPT)


async def _deliver(round_: _Round, item: Due) -> Outcome:
    """Claim, compose, send, mark: one member's one sending, exactly once."""
    recipient = item.recipient
    try:
        async with round_.uow() as uow:
            entry_id = await outbox.claim(uow, item.key, round_.now())
            if entry_id is None:
                return Outcome.TAKEN
            # Read in the same session once the claim is committed: one checkout, not two.
            already = await outbox.parts_sent(uow, entry_id)
            if isinstance(item, DueReminder):
                messages = await _compose(uow, round_.now(), item)
        if isinstance(item, DueDigest):
            # Read with its batch, after the claim's unit of work: that read waits for the
            # same gate, and SQLite's gate lets one unit of work through at a time.
            messages = await round_.digests.messages(round_, item)
    except Exception:
        # Whatever was claimed stays claimed, and is retried once when it is old enough.
        logger.exception("preparing %s for member %s failed", item.key.kind, recipient.user_id)
        return Outcome.LEFT
    if not messages:
        async with round_.uow() as uow:
            await outbox.mark_skipped(uow, entry_id, round_.now())
        return Outcome.SKIPPED
    sent = min(already, len(messages) - 1)
    try:
        for number in range(sent, len(messages)):
            message = messages[number]
            await round_.app.bot.send_message(
                recipient.telegram_id,
                message.text,
                reply_markup=message.keyboard,
                **paced(round_.app),
            )
            sent = number + 1
            if sent < len(messages):
                # A retry after a failure or a crash sends only the parts still missing.
                async with round_.uow() as uow:
                    await outbox.record_parts_sent(uow, entry_id, sent)
    except Forbidden:
        logger.info("member %s blocked the bot; pausing their pushes", recipient.user_id)
        async with round_.uow() as uow:
            await outbox.mark_blocked(uow, entry_id, recipient.user_id, round_.now())
        return Outcome.BLOCKED
    except BadRequest as error:
        logger.warning(
            "Telegram refused %s for member %s: %s", item.key.kind, recipient.user_id, error
        )
        async with round_.uow() as uow:
            await outbox.mark_failed(uow, entry_id, round_.now())
        return Outcome.FAILED
    except TelegramError as error:
        # RetryAfter past its retries, a network failure: the claim stays, retried once.
        logger.warning(
            "sending %s to member %s failed: %s", item.key.kind, recipient.user_id, error
        )
        return Outcome.LEFT
    async with round_.uow() as uow:
        await outbox.mark_sent(uow, entry_id, round_.now())
    return Outcome.SENT


def paced(app: Application) -> dict[str, Any]:
    """``rate_limit_args`` for an unsolicited send."""
    # Unsolicited bursts go through the pacing limiter; without one PTB would warn.
    return {"rate_limit_args": PACED} if app.bot.rate_limiter is not None else {}


async def _compose(uow: UnitOfWork, now: datetime, item: DueReminder) -> list[Outgoing]:
    """A reminder's message, read fresh: a deal closed meanwhile gets none."""
    recipient = item.recipient
    t = translator(recipient.language)
    today = now.astimezone(ZoneInfo(recipient.timezone)).date()
    try:
        card = await deal_card(uow, recipient.actor, item.deal_id)
    except NotFound:
        return []
    if card.result is not Result.OPEN or card.close_date != item.close_date:
        return []
    view = overdue_message if item.overdue else reminder_message
    return [view(t, card, today, gregorian=recipient.gregorian_years)]
