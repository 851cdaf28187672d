"""The summary printed at the end of a run: one section per scenario, plain text."""

from __future__ import annotations

from bench.chart_bench import KINDS, NONE, ChartFigure
from bench.chat_scenarios import ChatRun
from bench.digest_bench import ComposeFigure, SendFigure
from bench.load import Result
from bench.pipeline_bench import PipelineFigure

DIGEST_REPS = 10_000  # what the compose target is stated for
COMPOSE_TARGET_SECONDS = 10.0
SEND_RATE_TARGET = (25.0, 30.0)
P95_RATIO_LIMIT = 1.20


def _table(lines: list[list[str]]) -> str:
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def _ratio(value: float, floor: float) -> str:
    return f"{value / floor:.2f}" if floor and floor == floor else "-"


def chat_table(runs: list[ChatRun]) -> str:
    """One row per scenario and mode, after the echo's row for that mode.

    CPU per update is the bot process's user + system time over the run divided by the
    updates answered: unlike updates/s it does not depend on what else the machine runs.
    """
    header = ["scenario", "mode", "upd/s", "CPU ms/upd", "CPU ratio", "p50 ms", "p95 ms"]
    header += ["p99 ms", "p95 ratio", "idle RSS MB", "peak RSS MB", "missing"]
    lines = [header]
    shown_echo: set[int] = set()
    for run in runs:
        bot, echo = run.bot, run.echo
        rows = [] if id(echo) in shown_echo else [("echo (bare PTB)", echo)]
        shown_echo.add(id(echo))
        for name, result in [*rows, (run.scenario, bot)]:
            lines.append(
                [
                    name,
                    run.mode,
                    f"{result.rate:.1f}",
                    f"{result.cpu_ms_per_update:.2f}",
                    _ratio(result.cpu_ms_per_update, echo.cpu_ms_per_update),
                    f"{result.p50:.1f}",
                    f"{result.percentile(95):.1f}",
                    f"{result.percentile(99):.1f}",
                    _ratio(result.percentile(95), echo.percentile(95)),
                    f"{result.idle_rss_mb:.0f}",
                    f"{result.peak_rss_mb:.0f}",
                    str(result.missing),
                ]
            )
    return "chat scenarios, 50 users, dealbot against the bare echo bot\n" + _table(lines)


def chart_lines(figure: ChartFigure) -> str:
    header = ["49 quick-creating, meanwhile", "updates", "p50 ms", "p95 ms", "p99 ms"]
    header += ["p95 ratio", "", "Chart presses", "p50 ms", "missing"]
    lines = [header]
    for kind in KINDS:
        result, charts = figure.others[kind], figure.charts[kind]
        ratio = figure.ratio(kind)
        lines.append(
            [
                kind,
                str(result.updates),
                f"{result.p50:.1f}",
                f"{result.percentile(95):.1f}",
                f"{result.percentile(99):.1f}",
                "-" if kind == NONE else f"{ratio:.2f}",
                "" if kind == NONE else _verdict(ratio <= P95_RATIO_LIMIT),
                str(charts.updates) if kind != NONE else "-",
                f"{charts.p50:.1f}" if charts.latencies else "-",
                str(result.missing + charts.missing),
            ]
        )
    return (
        "(4) one rep pressing /pipeline → Chart while 49 quick-create "
        f"(p95 ratio limit {P95_RATIO_LIMIT:.2f})\n"
        + _table(lines)
        + f"\n  {figure.photos} charts arrived as sendPhoto; peak RSS {figure.peak_rss_mb:.0f} MB"
    )


def pipeline_lines(figures: list[PipelineFigure]) -> str:
    lines = [
        [figure.backend, f"{figure.deals:,} deals", figure.who, f"{figure.median_ms:.1f} ms"]
        for figure in figures
    ]
    return "(5) pipeline totals, median of 5 runs\n" + _table(lines)


def digest_lines(compose: ComposeFigure, send: SendFigure) -> str:
    per_target = DIGEST_REPS / compose.rate if compose.rate else float("inf")
    low, high = SEND_RATE_TARGET
    gap = f"{send.min_chat_gap:.2f} s" if send.min_chat_gap is not None else "-"
    rate_ok = low <= send.rate <= high and send.busiest_second <= high
    clean = send.lost == 0 and send.duplicated == 0 and send.sent_again == 0
    over = ", ".join(f"{rule} {count}" for rule, count in send.over_limits.items())
    outcomes = ", ".join(f"{name} {count:,}" for name, count in sorted(send.outcomes.items()))
    return "\n".join(
        [
            f"(6) morning digests: {compose.reps:,} reps, {compose.deals:,} due deals "
            f"({compose.backend}, seeded in {compose.seed_seconds:.1f} s)",
            f"  compose: {compose.composed:,} digests ({compose.messages:,} messages) in "
            f"{compose.seconds:.1f} s (finding who is due {compose.find_seconds:.2f} s, "
            f"reading {compose.read_seconds:.1f} s, rendering "
            f"{compose.compose_seconds - compose.read_seconds:.1f} s): "
            f"{compose.rate:.0f} digests/s, {per_target:.1f} s per {DIGEST_REPS:,} "
            f"(target < {COMPOSE_TARGET_SECONDS:.0f} s: "
            f"{_verdict(per_target < COMPOSE_TARGET_SECONDS)})",
            f"  send: a real tick for {send.members:,} of them over HTTP: {send.delivered:,} "
            f"messages in {send.seconds:.1f} s, {send.rate:.1f} msg/s, busiest second "
            f"{send.busiest_second} (target {low:.0f}–{high:.0f}/s: {_verdict(rate_ok)})",
            f"  per chat: closest two sends {gap} (limit 1 s: "
            f"{_verdict(send.min_chat_gap is None or send.min_chat_gap >= 1.0)}); "
            f"429s {send.refused}{f' ({over})' if over else ''}; lost {send.lost}; "
            f"twice {send.duplicated}; sent by a second tick {send.sent_again} "
            f"({_verdict(clean)}); the tick counted: {outcomes}",
        ]
    )


def problems(results: list[Result]) -> str:
    """The first few reasons steps could not be played, if any were."""
    found = [problem for result in results for problem in result.problems]
    if not found:
        return ""
    shown = "\n".join(f"  {problem}" for problem in found[:5])
    return f"steps that could not be played ({len(found)}):\n{shown}"
