"""Scenario (6): composing the morning's digests, and one real round sent within flood limits."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import pairwise
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bench.botproc import TOKEN
from bench.databases import pg_database
from bench.digest_seed import FIRST_TELEGRAM_ID, Clock, only_first, seed_morning
from bot.app import build_application
from bot.config import Settings
from bot.fake_telegram import FakeTelegram
from bot.fake_telegram.faults import FloodLimits, busiest_second
from bot.fake_telegram.http import TelegramHTTPServer
from bot.runtime import scheduler
from storage import outbox
from storage.db import create_engine, create_session_factory
from storage.due import due_digests
from storage.models import OutboxEntry, OutboxStatus
from storage.uow import UnitOfWork

# What Telegram allows a bot: 30 messages a second in all, and (for private chats, in
# bursts) about one a second per chat; the stand-in answers 429 beyond either.
LIMITS = FloodLimits(per_second=30, per_chat_per_second=1, respond_429=True)


@dataclass
class ComposeFigure:
    backend: str
    reps: int
    deals: int
    seed_seconds: float
    find_seconds: float  # due_digests: who is due this morning
    compose_seconds: float  # every due digest read and rendered, as the tick does
    read_seconds: float  # the part of compose_seconds spent reading batches
    composed: int  # digests found due and composed (all the reps, if nothing is amiss)
    messages: int
    parts: dict[int, int] = field(default_factory=dict, repr=False)  # telegram id -> messages

    @property
    def seconds(self) -> float:
        return self.find_seconds + self.compose_seconds

    @property
    def rate(self) -> float:
        return self.composed / self.seconds if self.seconds else 0.0


@dataclass
class SendFigure:
    members: int
    seconds: float  # the whole tick
    delivered: int
    refused: int  # answered 429 by the stand-in (and retried by the bot)
    over_limits: dict[str, int]  # the stand-in's flood rules those 429s broke
    outcomes: dict[str, int]  # the tick's own count, e.g. {"digest:sent": 1000}
    rate: float  # delivered messages a second, first to last
    busiest_second: int
    min_chat_gap: float | None  # seconds; None when no chat got two messages
    lost: int
    duplicated: int
    sent_again: int  # by a second tick right after


def _backend(url: str) -> str:
    return make_url(url).get_backend_name()


async def compose_all(url: str, clock: Clock) -> tuple[float, float, float, dict[int, int]]:
    """Find who is due and compose each digest with the scheduler's own code, timed.

    Batch after batch, as a tick reads them while it sends: each batch in one read,
    then each member's digest rendered.
    """
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    now = clock()
    parts: dict[int, int] = {}
    reading = 0.0
    try:
        started = time.perf_counter()
        async with UnitOfWork(sessions) as uow:
            due = await due_digests(uow, now, stale_before=now - outbox.RETRY_AFTER)
        found = time.perf_counter()
        for batch in scheduler.digest_batches(due):
            read_from = time.perf_counter()
            async with UnitOfWork(sessions, read_only=True) as uow:
                digests = await scheduler.read_digests(uow, now, batch)
            reading += time.perf_counter() - read_from
            for item in batch:
                messages = scheduler.render_digest(item, digests[item.recipient.user_id])
                parts[item.recipient.telegram_id] = len(messages)
        composed = time.perf_counter()
    finally:
        await engine.dispose()
    return found - started, composed - found, reading, parts


def _min_chat_gap(sends: list[tuple[int, float]]) -> float | None:
    per_chat: dict[int, list[float]] = defaultdict(list)
    for chat_id, at in sends:
        per_chat[chat_id].append(at)
    gaps = [b - a for times in per_chat.values() for a, b in pairwise(sorted(times))]
    return min(gaps) if gaps else None


async def _sent_entries(url: str) -> int:
    engine = create_engine(url)
    try:
        async with UnitOfWork(create_session_factory(engine)) as uow:
            count = await uow.session.scalar(
                select(func.count())
                .select_from(OutboxEntry)
                .where(OutboxEntry.status == OutboxStatus.SENT)
            )
    finally:
        await engine.dispose()
    return count or 0


async def send_round(url: str, members: int, clock: Clock, parts: dict[int, int]) -> SendFigure:
    """The first ``members`` reps' digests sent by a real tick, over HTTP, to the stand-in."""
    await only_first(url, members)
    fake = FakeTelegram(TOKEN)
    chats = set(range(FIRST_TELEGRAM_ID, FIRST_TELEGRAM_ID + members))
    for chat_id in chats:
        fake.add_chat({"id": chat_id, "type": "private", "first_name": f"Rep {chat_id}"})
    async with TelegramHTTPServer(fake) as server:
        settings = Settings(
            token=TOKEN, database_url=url, api_url=server.url, draft_ttl=timedelta(hours=24)
        )
        app = build_application(settings, clock=clock)
        for job in app.job_queue.get_jobs_by_name(scheduler.JOB_NAME):
            job.schedule_removal()  # the round is started by hand, once
        async with app:
            meter = fake.check_flood_limits(LIMITS)
            started = time.perf_counter()
            report = await scheduler.tick(app)
            seconds = time.perf_counter() - started
            before = len(fake.calls)
            await scheduler.tick(app)
            again = sum(1 for call in fake.calls[before:] if call.method == "sendMessage")
        await app.post_shutdown(app)
    sends = [c for c in fake.calls if c.method == "sendMessage" and c.chat_id in chats]
    delivered = [c for c in sends if c.error is None]
    texts = Counter((c.chat_id, c.params.get("text")) for c in delivered)
    distinct = Counter(chat_id for chat_id, _ in texts)
    times = [c.at for c in delivered]
    span = max(times) - min(times) if len(times) > 1 else 0.0
    sent = await _sent_entries(url)
    lost = sum(max(0, parts.get(chat_id, 0) - distinct[chat_id]) for chat_id in chats)
    return SendFigure(
        members=members,
        seconds=seconds,
        delivered=len(delivered),
        refused=len(sends) - len(delivered),
        over_limits=dict(Counter(violation.rule for violation in meter.violations)),
        outcomes=dict(report.outcomes),
        rate=(len(times) - 1) / span if span else 0.0,
        busiest_second=busiest_second(times),
        min_chat_gap=_min_chat_gap([(c.chat_id, c.at) for c in delivered]),
        # A member whose outbox entry is not "sent" lost their digest too.
        lost=max(lost, members - sent),
        duplicated=sum(texts.values()) - len(texts),
        sent_again=again,
    )


async def run_digests(
    reps: int, members: int, directory: Path, pg_url: str | None
) -> tuple[ComposeFigure, SendFigure]:
    """Seed the morning, time composing every digest, then send a round to ``members``."""
    clock = Clock()
    if pg_url:
        url = await pg_database(pg_url, "dealbot_bench_digests")
    else:
        url = f"sqlite+aiosqlite:///{directory / 'digests.sqlite3'}"
    morning = await seed_morning(url, reps, clock)
    find, compose, read, parts = await compose_all(url, clock)
    figure = ComposeFigure(
        backend=_backend(url),
        reps=reps,
        deals=morning.deals,
        seed_seconds=morning.seconds,
        find_seconds=find,
        compose_seconds=compose,
        read_seconds=read,
        composed=len(parts),
        messages=sum(parts.values()),
        parts=parts,
    )
    return figure, await send_round(url, members, clock, parts)
