"""`python -m bench [--quick]`: run the scenarios and print one table."""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path

from bench.chat_scenarios import echo_text, guided_lead, mixed_day, quick_create, run_chat
from bench.load import Result
from bench.pipeline_bench import run_pipeline
from bench.seed import seed_database

DEALS_PER_USER = 20


def _row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))


def _chat_table(rows: list[tuple[str, str, Result, Result]]) -> str:
    header = [
        "scenario",
        "mode",
        "upd/s",
        "echo upd/s",
        "ratio",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "echo p95",
        "p95 ratio",
        "peak RSS MB",
        "missing",
    ]
    lines = [header]
    for scenario, mode, bot, echo in rows:
        lines.append(
            [
                scenario,
                mode,
                f"{bot.rate:.1f}",
                f"{echo.rate:.1f}",
                f"{bot.rate / echo.rate:.2f}" if echo.rate else "-",
                f"{bot.p50:.1f}",
                f"{bot.percentile(95):.1f}",
                f"{bot.percentile(99):.1f}",
                f"{echo.percentile(95):.1f}",
                f"{bot.percentile(95) / echo.percentile(95):.2f}" if echo.latencies else "-",
                f"{bot.peak_rss_mb:.0f}",
                str(bot.missing + echo.missing),
            ]
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join(_row(line, widths) for line in lines)


async def main(quick: bool, only: set[str]) -> None:
    started = time.perf_counter()
    users = 50
    rounds = 4 if quick else 10
    directory = Path(tempfile.mkdtemp(prefix="dealbot-bench-"))
    rows = []
    modes = ["webhook"] if quick else ["webhook", "polling"]
    if not only or only & {"chat", "1", "2", "3"}:
        for mode in modes:
            db, ids = await seed_database(directory, users, DEALS_PER_USER, name=mode)
            echo = await run_chat("echo", "", ids, echo_text, rounds, mode, "echo")
            runs = [
                ("(1) quick-create", quick_create, rounds),
                ("(2) guided /lead, 7 steps", guided_lead, max(1, rounds // 4)),
                ("(3) mixed day", mixed_day(DEALS_PER_USER), rounds),
            ]
            for name, script, count in runs:
                bot = await run_chat("dealbot", db, ids, script, count, mode, name)
                rows.append((name, mode, bot, echo))
                print(f"… {name} {mode}: {bot.rate:.1f} upd/s", flush=True)
        print()
        print(_chat_table(rows))
    if not only or "5" in only:
        pg = os.environ.get("DEALBOT_BENCH_DATABASE_URL") or os.environ.get(
            "DEALBOT_TEST_DATABASE_URL"
        )
        sizes = [100_000] if quick else [100_000, 1_000_000]
        figures = await run_pipeline(sizes, directory, pg)
        print()
        print("(5) pipeline totals, median of 5 runs")
        for figure in figures:
            print(
                f"  {figure.backend:<10} {figure.deals:>9,} deals  {figure.who:<8} "
                f"{figure.median_ms:8.1f} ms"
            )
    print(f"\nbench finished in {time.perf_counter() - started:.0f} s (files in {directory})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smaller set, about a minute")
    parser.add_argument("--only", nargs="*", default=[], help="chat, 5 (scenario numbers)")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.quick, set(arguments.only)))
