"""PNG charts with matplotlib (Agg), drawn in a worker process, in a font with Thai glyphs.

Sarabun (SIL Open Font License, shipped by the fontpkg-sarabun dependency) has Latin,
Vietnamese and Thai letters, so labels in all three languages render; DejaVu Sans,
which matplotlib ships, is the fallback for symbols.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import cache
from io import BytesIO
from typing import Any

from babel.numbers import format_compact_decimal

WIDTH_INCHES, HEIGHT_INCHES, DPI = 8, 5, 100
SIZE = (WIDTH_INCHES * DPI, HEIGHT_INCHES * DPI)  # pixels: what a test expects to decode
FONT_FAMILY = "Sarabun"
COLORS = ("#2563eb", "#16a34a", "#f59e0b", "#9333ea")
# matplotlib's font cache and text layout are shared state; one drawing at a time.
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float]  # in whole units of the base currency
    notes: list[str] = field(default_factory=list)  # a label beside each bar


@dataclass(frozen=True)
class Chart:
    """What to draw, every text already in the reader's language."""

    kind: str  # "funnel", "bars" (vertical, one panel per series) or "hbars" (grouped)
    title: str
    labels: list[str]
    series: list[Series]
    language: str
    unit: str = ""  # e.g. "VND", under the value axis
    subtitles: list[str] = field(default_factory=list)  # one per panel for "bars"


@cache
def _setup() -> Any:
    """Import matplotlib on first use (it is slow to import) and register the fonts."""
    import fontpkg_sarabun
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager

    for path in sorted((fontpkg_sarabun.ROOT / "files").glob("Sarabun-*.ttf")):
        if "Italic" not in path.name:
            font_manager.fontManager.addfont(str(path))
    matplotlib.rcParams["font.family"] = [FONT_FAMILY, "DejaVu Sans"]
    from matplotlib.figure import Figure

    return Figure


def _compact(value: float, language: str) -> str:
    return format_compact_decimal(value, locale=language, fraction_digits=1)


def _value_axis(axis: Any, language: str) -> None:
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda value, _: _compact(value, language)))


def _funnel(figure: Any, chart: Chart) -> None:
    axes = figure.subplots()
    series = chart.series[0]
    positions = list(range(len(chart.labels)))[::-1]  # the first stage on top
    widths = series.values
    biggest = max(widths, default=0) or 1
    axes.barh(
        positions,
        widths,
        left=[-width / 2 for width in widths],
        color=COLORS[0],
        height=0.7,
    )
    axes.set_yticks(positions, chart.labels)
    axes.set_xlim(-biggest * 0.75, biggest * 0.75)
    axes.set_xticks([])
    for spine in axes.spines.values():
        spine.set_visible(False)
    for position, note in zip(positions, series.notes, strict=False):
        axes.text(biggest * 0.52, position, note, va="center", fontsize=9)


def _bars(figure: Any, chart: Chart) -> None:
    panels = figure.subplots(1, len(chart.series), sharey=True, squeeze=False)[0]
    for index, (axes, series) in enumerate(zip(panels, chart.series, strict=True)):
        labels = chart.labels[index * len(series.values) : (index + 1) * len(series.values)]
        axes.bar(range(len(series.values)), series.values, color=COLORS[index % len(COLORS)])
        axes.set_xticks(range(len(labels)), labels, rotation=30, ha="right", fontsize=9)
        axes.set_title(chart.subtitles[index] if index < len(chart.subtitles) else series.name)
        _value_axis(axes.yaxis, chart.language)
        axes.grid(axis="y", alpha=0.3)
    panels[0].set_ylabel(chart.unit)


def _hbars(figure: Any, chart: Chart) -> None:
    axes = figure.subplots()
    count = max(len(chart.series), 1)
    height = 0.8 / count
    positions = list(range(len(chart.labels)))[::-1]
    for index, series in enumerate(chart.series):
        offsets = [p + (count / 2 - index - 0.5) * height for p in positions]
        axes.barh(offsets, series.values, height=height, label=series.name, color=COLORS[index % 4])
    axes.set_yticks(positions, chart.labels)
    _value_axis(axes.xaxis, chart.language)
    axes.set_xlabel(chart.unit)
    axes.grid(axis="x", alpha=0.3)
    axes.legend(loc="lower right", fontsize=9)


def render_png(chart: Chart) -> bytes:
    """Draw ``chart`` as a PNG of exactly ``SIZE`` pixels. Blocking: call it through ``render``."""
    figure_class = _setup()
    with _LOCK:
        figure = figure_class(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI)
        figure.suptitle(chart.title, fontsize=13, fontweight="bold")
        {"funnel": _funnel, "bars": _bars, "hbars": _hbars}[chart.kind](figure, chart)
        # Layout inside the figure; bbox_inches="tight" would change the pixel size.
        figure.set_layout_engine("constrained")
        buffer = BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


_pool: ProcessPoolExecutor | None = None


def _lower_priority() -> None:
    # Members waiting on a card or a saved deal come before a picture.
    os.nice(10)


def _executor() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        # A fresh interpreter rather than a fork of one running an event loop and threads.
        _pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_lower_priority,
        )
    return _pool


async def render(chart: Chart) -> bytes:
    """Draw in another process, so other members' messages are not held up.

    A thread is not enough: drawing holds the interpreter lock for about 100 ms per
    chart, and the event loop would wait on it.
    """
    try:
        return await asyncio.get_running_loop().run_in_executor(_executor(), render_png, chart)
    except BrokenProcessPool:
        shutdown()  # the next chart starts a new worker
        raise


def shutdown() -> None:
    """Stop the drawing process, if one was started."""
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None
