"""Shared helpers: one figure (value, unit, goal, met) and latency percentiles."""

from __future__ import annotations

import math
from typing import Any


def figure(value: float, unit: str, goal: str = "", met: bool | None = None) -> dict[str, Any]:
    """A figure as results.json stores it; `met` is None when the figure has no goal."""
    return {"value": round(value, 3), "unit": unit, "goal": goal, "met": met}


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation), 0.0 for an empty list."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def latency_figures(prefix: str, seconds: list[float]) -> dict[str, dict[str, Any]]:
    """p50/p99/max in milliseconds of a list of latencies in seconds."""
    ms = [s * 1000 for s in seconds]
    return {
        f"{prefix}p50": figure(percentile(ms, 50), "ms"),
        f"{prefix}p99": figure(percentile(ms, 99), "ms"),
        f"{prefix}max": figure(max(ms) if ms else 0.0, "ms"),
    }
