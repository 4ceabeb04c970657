"""PNG charts for leaders, drawn with matplotlib off the event loop.

Why: leaders would rather look than read.  Rendering takes tens of
milliseconds, so the async wrappers run it in a worker thread; the Agg
backend and the object API (no pyplot state) keep that thread-safe.
"""

from __future__ import annotations

import asyncio
import io
import math
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

ATTENDANCE_SIZE = (800, 400)
PULSE_SIZE = (600, 300)
_DPI = 100
_COLOURS = {"present": "#2a9d8f", "excused": "#e9c46a", "absent": "#e76f51"}


def _figure(size: tuple[int, int]) -> Figure:
    width, height = size
    return Figure(figsize=(width / _DPI, height / _DPI), dpi=_DPI)


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    # No bbox_inches="tight": the image keeps exactly the size asked for.
    figure.savefig(buffer, format="png", dpi=_DPI)
    return buffer.getvalue()


def attendance_png(
    labels: Sequence[str],
    series: dict[str, Sequence[int]],
    *,
    title: str,
    y_label: str,
    size: tuple[int, int] = ATTENDANCE_SIZE,
) -> bytes:
    """Stacked bars per session: present, excused, absent."""
    figure = _figure(size)
    axes = figure.add_subplot()
    positions = range(len(labels))
    bottom = [0] * len(labels)
    for name, values in series.items():
        axes.bar(positions, values, bottom=bottom, label=name, color=_COLOURS.get(name))
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_xticks(list(positions), list(labels), rotation=45, ha="right", fontsize=8)
    axes.set_ylabel(y_label)
    axes.set_title(title)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.legend(loc="upper left", fontsize=8)
    figure.subplots_adjust(bottom=0.22, top=0.9, left=0.08, right=0.98)
    return _png(figure)


def trend_png(
    labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    title: str,
    size: tuple[int, int] = PULSE_SIZE,
) -> bytes:
    """One line per question; hidden figures (None) leave a gap."""
    figure = _figure(size)
    axes = figure.add_subplot()
    positions = list(range(len(labels)))
    for name, values in series.items():
        points = [math.nan if v is None else v for v in values]
        axes.plot(positions, points, marker="o", label=name)
    axes.set_xticks(positions, list(labels), rotation=45, ha="right", fontsize=8)
    axes.set_ylim(1, 5)
    axes.set_title(title)
    axes.legend(loc="lower left", fontsize=7)
    figure.subplots_adjust(bottom=0.28, top=0.88, left=0.08, right=0.98)
    return _png(figure)


async def render_attendance(
    labels: Sequence[str], series: dict[str, Sequence[int]], *, title: str, y_label: str
) -> bytes:
    return await asyncio.to_thread(attendance_png, labels, series, title=title, y_label=y_label)


async def render_trend(
    labels: Sequence[str], series: dict[str, Sequence[float | None]], *, title: str
) -> bytes:
    return await asyncio.to_thread(trend_png, labels, series, title=title)
