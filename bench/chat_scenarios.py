"""Chat scenarios: quick-create, the guided form, /mydeals, a deal card, a mixed day; the echo."""

from __future__ import annotations

import asyncio
import os
import random
import re
from dataclasses import dataclass
from pathlib import Path

from bench.load import Result, Step, drive, running_bot
from bench.profiles import Sampler

STAGES = ("qualification", "proposal", "negotiation")


def quick_create(index: int, round_number: int) -> list[Step]:
    amount = 10 + (index * 7 + round_number * 3) % 90
    # "@Acme1" would also name Acme10…Acme19, and the bot asks which instead of guessing:
    # each user's account name is nobody else's prefix.
    line = f"Bench deal {index}-{round_number} {amount}tr 31/12/2027 hot @Acme{index}x"
    return [("send", f"/new {line}")]


def echo_text(index: int, round_number: int) -> list[Step]:
    return [("send", f"/new Bench deal {index}-{round_number} 50tr 31/12/2027 hot")]


def guided_deal(index: int, round_number: int) -> list[Step]:
    """/new, then six steps: name, amount, a close-date button, a stage button, I'm done, Save.

    The labels are the English ones of bot/conversations/deals/new_deal_questions.py and
    bot/conversations/deals/form_view.py; a stage button reads "Proposal (50%)", found by its part.
    """
    amount = 10 + (index * 7 + round_number * 3) % 90
    return [
        ("send", "/new"),
        ("send", f"Guided deal {index}-{round_number}"),
        ("send", f"{amount}000000"),
        ("click", "End of next month"),
        ("click", STAGES[(index + round_number) % len(STAGES)].capitalize()),
        ("click", "I'm done"),
        ("click", "Save"),
    ]


def my_deals(index: int, round_number: int) -> list[Step]:
    return [("send", "/mydeals")]


def deal_card(deals_per_user: int):  # type: ignore[no-untyped-def]
    """``/deal <id>`` of one of the user's own deals, a different one each round."""

    def script(index: int, round_number: int) -> list[Step]:
        return [("send", f"/deal {index * deals_per_user + 1 + round_number % deals_per_user}")]

    return script


def mixed_day(deals_per_user: int):  # type: ignore[no-untyped-def]
    """70 % look-ups and stage moves, 20 % quick-creates, 10 % pipeline or search."""

    def script(index: int, round_number: int) -> list[Step]:
        rng = random.Random(index * 1000 + round_number)
        deal = index * deals_per_user + 1 + rng.randrange(deals_per_user)
        draw = rng.random()
        if draw < 0.35:
            return [("send", f"/deal {deal}")]
        if draw < 0.70:
            return [("send", f"/stage {deal} {STAGES[round_number % 3]}")]
        if draw < 0.90:
            return quick_create(index, round_number)
        return [("send", "/pipeline")]

    return script


@dataclass
class ChatRun:
    scenario: str
    mode: str
    bot: Result
    echo: Result


async def run_chat(
    kind: str,
    db: str,
    ids: list[int],
    script,
    rounds: int,
    mode: str,
    name: str,  # type: ignore[no-untyped-def]
) -> Result:
    """Start one bot process, let every user run the script, stop it; report the figures."""
    async with running_bot(kind, mode, db, ids) as bot:
        process = bot.process
        via = "webhook" if mode == "webhook" else "queue"
        idle_rss = process.rss_mb()
        sampler = None
        if profiles := os.environ.get("DEALBOT_BENCH_PROFILE_DIR"):
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            sampler = Sampler(process.pid, Path(profiles) / f"{slug}-{mode}.txt")
        try:
            cpu_before = process.cpu_seconds()
            result = await drive(name, bot.fake, bot.users, script, rounds, via)
            result.cpu_seconds = process.cpu_seconds() - cpu_before
            result.idle_rss_mb = idle_rss
        finally:
            if sampler is not None:
                await asyncio.to_thread(sampler.stop)
    result.peak_rss_mb = bot.peak_rss_mb
    return result
