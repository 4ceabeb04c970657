"""Run the benchmarks, write benchmarks/results.json and print a table.

    python -m benchmarks [--quick] [--only NAME ...]
    python benchmarks/run.py [--quick] [--only NAME ...]

Each benchmark runs in a fresh Python process so that one's memory, event loop
and caches do not colour another's figures (the scheduler's RSS in particular).
A benchmark whose module is missing, or whose capability has not landed, is
reported as skipped with a line saying why.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import importlib.util
import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RESULTS = Path(__file__).resolve().parent / "results.json"

# name -> (module, full-size keyword arguments, --quick keyword arguments)
BENCHMARKS: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {
    "guard": ("benchmarks.bench_guard", {"messages": 50_000}, {"messages": 5_000}),
    "about": (
        "benchmarks.bench_about",
        {"interactions": 1000, "batch": 1000},
        {"interactions": 200, "batch": 200},
    ),
    "scheduler": ("benchmarks.bench_scheduler", {"groups": 10_000}, {"groups": 1_000}),
    "session": ("benchmarks.bench_session", {"groups": 200}, {"groups": 5}),
    "longrun": (
        "benchmarks.bench_longrun",
        {"meetings": 300, "warmup": 30},
        {"meetings": 20, "warmup": 5},
    ),
}

# bench_scheduler may return plain numbers: give them their unit and goal here.
SCHEDULER_UNITS = {
    "arm_seconds": ("s", "< 2", lambda v: v < 2.0),
    "rss_mb": ("MB", "< 200", lambda v: v < 200.0),
    "timers_armed": ("timers", "", None),
    "timers_scheduled": ("timers", "", None),
    "groups": ("groups", "", None),
    "setup_seconds": ("s", "", None),
}


def normalise(name: str, result: dict[str, Any]) -> dict[str, Any]:
    """Every figure as {"value", "unit", "goal", "met"}."""
    out: dict[str, Any] = {}
    for key, value in result.items():
        if isinstance(value, dict) and "value" in value:
            out[key] = {
                "value": value["value"],
                "unit": value.get("unit", ""),
                "goal": value.get("goal", ""),
                "met": value.get("met"),
            }
            continue
        unit, goal, check = (
            SCHEDULER_UNITS.get(key, ("", "", None))
            if name == "scheduler"
            else (
                "",
                "",
                None,
            )
        )
        met = check(value) if check is not None and isinstance(value, int | float) else None
        out[key] = {"value": value, "unit": unit, "goal": goal, "met": met}
    return out


def run_child(name: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Run one benchmark in a fresh process; its JSON result is the last stdout line."""
    cmd = [sys.executable, "-m", "benchmarks.run", "--child", name, "--kwargs", json.dumps(kwargs)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": {"value": tail, "unit": "", "goal": "", "met": False}}
    return json.loads(lines[-1])


def child_main(name: str, kwargs: dict[str, Any]) -> None:
    module = importlib.import_module(BENCHMARKS[name][0])
    result = module.run(**kwargs)
    print(json.dumps(normalise(name, result)))


def machine() -> dict[str, Any]:
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
    }


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 100 else f"{value:,.1f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def table(results: dict[str, dict[str, Any]]) -> str:
    rows = [("benchmark", "figure", "value", "unit", "goal", "met")]
    for name, figures in results.items():
        for key, fig in figures.items():
            met = {True: "yes", False: "NO", None: ""}[fig.get("met")]
            rows.append((name, key, _fmt(fig["value"]), fig["unit"], fig["goal"], met))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        cells = [
            str(c).rjust(w) if i == 2 else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    parser.add_argument(
        "--only",
        action="append",
        choices=sorted(BENCHMARKS),
        metavar="NAME",
        help=f"run only this benchmark (repeatable): {', '.join(BENCHMARKS)}",
    )
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the JSON")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--kwargs", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_main(args.child, json.loads(args.kwargs))
        return 0
    results: dict[str, dict[str, Any]] = {}
    for name in args.only or list(BENCHMARKS):
        module, full, quick = BENCHMARKS[name]
        if importlib.util.find_spec(module) is None:
            print(f"{name}: skipped ({module} does not exist yet)", flush=True)
            continue
        print(f"{name}: running ...", flush=True)
        results[name] = run_child(name, quick if args.quick else full)
    report = {
        "machine": machine(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": "python -m benchmarks"
        + (" --quick" if args.quick else "")
        + "".join(f" --only {n}" for n in args.only or []),
        "benchmarks": results,
    }
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print()
    print(table(results))
    print(f"\nwritten: {args.output}")
    failed = any(fig.get("met") is False for figs in results.values() for fig in figs.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
