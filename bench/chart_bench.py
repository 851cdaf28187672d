"""Scenario (4): one member drawing charts while 49 others quick-create deals."""

from __future__ import annotations

import asyncio
import contextlib
import random
from dataclasses import dataclass, field

from bench.chat_scenarios import quick_create
from bench.load import BenchTelegram, BenchUser, Result, Step, drive, running_bot, step

# A rep's /pipeline is their own deals; its Chart button answers with a PNG (sendPhoto).
CHART_SCRIPT: list[Step] = [("send", "/pipeline"), ("click", "Chart")]
# Seconds the 49 think between messages (±50 %): about 16 updates a second, half of what
# the bot handles, so p95 shows what charts do to an answer rather than a queue's length.
PAUSE = 3.0
# What the chart user does meanwhile: nothing; look at each answer for about a second
# (a chart every two or three seconds); or press again the moment the chart arrives
# (the worst one person can do).
NONE, PACED, BACK_TO_BACK = "no chart user", "paced chart user", "back-to-back chart user"
CHART_PAUSE = 1.0
KINDS = (NONE, PACED, BACK_TO_BACK)


@dataclass
class ChartFigure:
    """The others' latencies, pooled per kind of phase, and the chart user's presses."""

    others: dict[str, Result] = field(default_factory=lambda: {k: Result(k) for k in KINDS})
    charts: dict[str, Result] = field(default_factory=lambda: {k: Result(k) for k in KINDS})
    photos: int = 0  # sendPhoto calls the stand-in answered while measuring
    peak_rss_mb: float = 0.0

    def ratio(self, kind: str) -> float:
        """The others' p95 with the chart user of ``kind``, over their p95 without one."""
        return self.others[kind].percentile(95) / self.others[NONE].percentile(95)

    def results(self) -> list[Result]:
        return [*self.others.values(), *self.charts.values()]


def _merge(into: Result, phase: Result) -> None:
    into.updates += phase.updates
    into.missing += phase.missing
    into.seconds += phase.seconds
    into.latencies += phase.latencies
    into.problems += phase.problems


async def _keep_charting(
    fake: BenchTelegram, user: BenchUser, pause: float, stop: asyncio.Event, charts: Result
) -> None:
    """/pipeline, Chart, again and again, each waiting for its answer, until ``stop``."""
    thinking = random.Random(0)
    while not stop.is_set():
        for action, argument in CHART_SCRIPT:
            if pause:
                # Thinking ends early when the phase does: the next phase must not wait.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), pause * thinking.uniform(0.5, 1.5))
                if stop.is_set():
                    return
            try:
                latency = await step(fake, user, action, argument, "webhook", patience=15.0)
            except TimeoutError:
                charts.missing += 1
                continue
            except AssertionError as error:
                charts.missing += 1
                charts.problems.append(str(error))
                break
            if argument == "Chart":
                charts.updates += 1
                charts.latencies.append(latency)


def _quick_create_from(offset: int):  # type: ignore[no-untyped-def]
    """quick_create with round numbers from ``offset``, so every phase names new deals."""
    return lambda index, round_number: quick_create(index, offset + round_number)


def phase_order(cycles: int) -> list[str]:
    """Every kind once per cycle, every other cycle reversed, so slow drift evens out."""
    return [kind for n in range(cycles) for kind in (KINDS if n % 2 == 0 else KINDS[::-1])]


async def run_chart(db: str, ids: list[int], rounds: int, cycles: int) -> ChartFigure:
    """Phases of the 49 quick-creating, with each kind of chart user, in one bot process.

    All phases run in the same process, warmed up the same way (matplotlib is imported
    by the first chart, before anything is measured), so they differ only in what the
    chart user does meanwhile.
    """
    figure = ChartFigure()
    async with running_bot("dealbot", "webhook", db, ids) as bot:
        fake = bot.fake
        charting, others = bot.users[0], bot.users[1:]
        await drive("warm-up", fake, [charting], lambda i, r: CHART_SCRIPT, 1, "webhook")
        await drive("warm-up", fake, others, _quick_create_from(1000), 1, "webhook")
        photos_before = _photos(fake)
        for number, kind in enumerate(phase_order(cycles)):
            script = _quick_create_from(number * rounds)
            stop = asyncio.Event()
            drawing = None
            if kind != NONE:
                pause = CHART_PAUSE if kind == PACED else 0.0
                drawing = asyncio.create_task(
                    _keep_charting(fake, charting, pause, stop, figure.charts[kind])
                )
            phase = await drive(kind, fake, others, script, rounds, "webhook", pause=PAUSE)
            stop.set()
            if drawing is not None:
                await drawing
            _merge(figure.others[kind], phase)
    figure.peak_rss_mb = bot.peak_rss_mb
    figure.photos = _photos(fake) - photos_before
    return figure


def _photos(fake: BenchTelegram) -> int:
    return sum(1 for call in fake.calls_of("sendPhoto") if call.error is None)
