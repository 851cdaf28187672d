"""`python -m bench [--quick] [--only ...]`: run the scenarios and print one summary."""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench import report
from bench.chart_bench import run_chart
from bench.chat_scenarios import (
    ChatRun,
    deal_card,
    echo_text,
    guided_deal,
    mixed_day,
    my_deals,
    quick_create,
    run_chat,
)
from bench.digest_bench import run_digests
from bench.pipeline_bench import run_pipeline
from bench.seed import seed_database

DEALS_PER_USER = 20
USERS = 50


@dataclass(frozen=True)
class Sizes:
    """How much each scenario does: the full run must stay under 10 minutes on 2 cores."""

    chat_modes: tuple[str, ...]
    chat_rounds: int
    chart_rounds: int  # per phase, for each of the 49
    chart_cycles: int  # of phases without, with a paced and with a back-to-back chart user
    pipeline_deals: tuple[int, ...]
    digest_reps: int  # seeded and composed
    digest_members: int  # sent a real round

    @classmethod
    def of(cls, quick: bool) -> Sizes:
        if quick:
            return cls(("webhook",), 4, 2, 1, (100_000,), 1_000, 100)
        return cls(("webhook", "polling"), 10, 3, 2, (100_000, 1_000_000), 10_000, 1_000)


CHAT = ("1", "2", "3", "mydeals", "card")


async def _chat(sizes: Sizes, directory: Path, numbers: set[str]) -> list[ChatRun]:
    """The chat scenarios named in ``numbers``, each beside the echo floor of the same run."""
    runs = []
    rounds = sizes.chat_rounds
    for mode in sizes.chat_modes:
        db, ids = await seed_database(directory, USERS, DEALS_PER_USER, name=mode)
        echo = await run_chat("echo", "", ids, echo_text, rounds, mode, "echo")
        print(f"… echo {mode}: {echo.rate:.1f} upd/s", flush=True)
        scenarios = [
            ("1", "(1) quick-create", quick_create, rounds),
            ("2", "(2) guided /new, 6 steps", guided_deal, max(1, rounds // 4)),
            ("mydeals", "/mydeals", my_deals, rounds),
            ("card", "deal card (/deal N)", deal_card(DEALS_PER_USER), rounds),
            ("3", "(3) mixed day", mixed_day(DEALS_PER_USER), rounds),
        ]
        for number, name, script, count in scenarios:
            if number not in numbers:
                continue
            bot = await run_chat("dealbot", db, ids, script, count, mode, name)
            runs.append(ChatRun(name, mode, bot, echo))
            print(f"… {name} {mode}: {bot.rate:.1f} upd/s", flush=True)
    return runs


async def main(quick: bool, only: set[str]) -> None:
    started = time.perf_counter()
    sizes = Sizes.of(quick)
    directory = Path(tempfile.mkdtemp(prefix="dealbot-bench-"))
    # PostgreSQL only when asked for by name: the test database may be in use by CI.
    pg = os.environ.get("DEALBOT_BENCH_DATABASE_URL")
    sections: list[str] = []
    played = []

    def wanted(*names: str) -> bool:
        return not only or bool(only & set(names))

    if wanted("chat", *CHAT):
        chosen = set(CHAT) if not only or "chat" in only else only
        runs = await _chat(sizes, directory, chosen)
        sections.append(report.chat_table(runs))
        played += [result for run in runs for result in (run.bot, run.echo)]
    if wanted("4"):
        db, ids = await seed_database(directory, USERS, DEALS_PER_USER, name="chart")
        chart = await run_chart(db, ids, sizes.chart_rounds, sizes.chart_cycles)
        print(f"… (4) chart: {chart.photos} charts drawn", flush=True)
        sections.append(report.chart_lines(chart))
        played += chart.results()
    if wanted("5"):
        figures = await run_pipeline(list(sizes.pipeline_deals), directory, pg)
        print("… (5) pipeline done", flush=True)
        sections.append(report.pipeline_lines(figures))
    if wanted("6"):
        # SQLite unless asked: on PostgreSQL, seeding 200,000 due deals alone takes minutes.
        digest_pg = pg if os.environ.get("DEALBOT_BENCH_DIGESTS_ON_PG") else None
        compose, send = await run_digests(
            sizes.digest_reps, sizes.digest_members, directory, digest_pg
        )
        print(f"… (6) digests: {send.rate:.1f} msg/s", flush=True)
        sections.append(report.digest_lines(compose, send))
    if problems := report.problems(played):
        sections.append(problems)
    print()
    print("\n\n".join(sections))
    print(f"\nbench finished in {time.perf_counter() - started:.0f} s (files in {directory})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smaller set, about two minutes")
    parser.add_argument(
        "--only",
        nargs="*",
        default=[],
        help="chat (or 1, 2, 3, mydeals, card), 4, 5, 6: scenario names",
    )
    arguments = parser.parse_args()
    asyncio.run(main(arguments.quick, set(arguments.only)))
