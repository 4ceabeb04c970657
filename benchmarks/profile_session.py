"""Where the bot's own CPU goes under the session load (issue #5), by function.

    python -m benchmarks.profile_session [--groups 40] [--runs 3] [--top 15] [--all]

The session benchmark's meetings (benchmarks/bench_session.py) run unpaced (rate 0)
for G groups, in one world made once.  First `--runs` loads are timed with
`time.process_time` and no profiler (CPU per interaction, each run and the median:
the figure to compare before and after a change), then one more load runs under
cProfile.  The profile lists the top functions by self time and by cumulative time
that live in bot/ or cogs/ (the simulator, bot/sim/, is left out: it is the floor);
`--all` lists every function instead, discord.py and the standard library included,
to see what the bot makes discord.py do.

A group holds two channels per meeting until its purge timer, which this load's
clock never reaches: runs + 1 meetings must fit bench_session.GROUPS_PER_SERVER's
budget (five meetings).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import pstats
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import bench_session as bench
from benchmarks._world import Probe, make_group
from bot.sim.scenario import Scenario

ROOT = str(Path(__file__).resolve().parent.parent)
OWN = (f"{ROOT}/bot/", f"{ROOT}/cogs/")
SIM = f"{ROOT}/bot/sim/"
MAX_MEETINGS = 5


def _own(filename: str) -> bool:
    """A function of the bot itself (not the simulator, not a library)."""
    return filename.startswith(OWN) and not filename.startswith(SIM)


def _label(key: tuple[str, int, str]) -> str:
    filename, line, name = key
    if filename.startswith(ROOT):
        filename = filename[len(ROOT) + 1 :]
    elif "site-packages/" in filename:
        filename = filename.split("site-packages/", 1)[1]
    return f"{filename}:{line}({name})"


def top_lines(stats: pstats.Stats, sort: str, top: int, everything: bool) -> list[str]:
    """The `top` functions by `sort` ("tottime" or "cumtime"), bot's own unless `everything`."""
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    rows = [
        (key, calls, tottime, cumtime)
        for key, (_, calls, tottime, cumtime, _) in raw.items()
        if everything or _own(key[0])
    ]
    index = 2 if sort == "tottime" else 3
    rows.sort(key=lambda row: row[index], reverse=True)
    lines = [f"{'calls':>9} {'self s':>8} {'cum s':>8}  function"]
    for key, calls, tottime, cumtime in rows[:top]:
        lines.append(f"{calls:>9} {tottime:>8.3f} {cumtime:>8.3f}  {_label(key)}")
    return lines


async def measure(groups: int, runs: int, profile: bool) -> tuple[list[float], Any]:
    """CPU ms per interaction of each timed load, and the profiled load's stats (or None)."""
    if runs + int(profile) > MAX_MEETINGS:
        raise SystemExit(f"at most {MAX_MEETINGS} loads fit a group's channels")
    with tempfile.TemporaryDirectory(prefix="balint-prof-") as tmp:
        world = Scenario(Path(tmp) / "prof.sqlite3")
        servers = bench._add_servers(world, groups)
        await world.start()
        try:
            probe = Probe(world)
            made = []
            for index in range(groups):
                server = servers[index // bench.GROUPS_PER_SERVER]
                people = bench._add_people(world, bench.MEMBERS + 1, server)
                made.append(
                    await make_group(world, f"prof {index:04d}", people[0], people[1:], server)
                )
            await world.sim.settle()
            world.sim.record_calls = False
            world.sim.calls.clear()
            bench._real_clock_pace(world)
            cpu_ms = []
            for _ in range(runs):
                load = await bench._load(world, probe, made, 0.0)
                if load.ended != groups:
                    raise RuntimeError(f"only {load.ended} of {groups} meetings ended")
                cpu_ms.append(load.cpu_seconds * 1000 / load.handled)
            stats = None
            if profile:
                profiler = cProfile.Profile(time.process_time)
                profiler.enable()
                await bench._load(world, probe, made, 0.0)
                profiler.disable()
                stats = pstats.Stats(profiler)
            problems = world.problems()
            if problems:
                raise RuntimeError(f"the meetings went wrong: {problems[:3]}")
        finally:
            gc.unfreeze()
            await world.stop()
    return cpu_ms, stats


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_session")
    parser.add_argument("--groups", type=int, default=40, help="groups meeting at once")
    parser.add_argument("--runs", type=int, default=3, help="timed loads (no profiler)")
    parser.add_argument("--top", type=int, default=15, help="how many functions to list")
    parser.add_argument("--all", action="store_true", help="list library functions too")
    parser.add_argument("--no-profile", action="store_true", help="only the timed loads")
    parser.add_argument("--dump", type=Path, help="also write the raw profile here (pstats)")
    args = parser.parse_args(argv)
    cpu_ms, stats = asyncio.run(measure(args.groups, args.runs, not args.no_profile))
    if cpu_ms:
        runs = ", ".join(f"{ms:.3f}" for ms in cpu_ms)
        median = statistics.median(cpu_ms)
        print(f"CPU ms per interaction, {args.groups} groups: median {median:.3f}")
        print(f"  runs: {runs}")
    if stats is not None and args.dump:
        stats.dump_stats(args.dump)
    if stats is not None:
        whose = "every function" if args.all else "bot/ and cogs/ (not bot/sim/)"
        for sort, title in (("tottime", "self time"), ("cumtime", "cumulative time")):
            print(f"\ntop {args.top} by {title}, {whose}:")
            print("\n".join(top_lines(stats, sort, args.top, args.all)))


if __name__ == "__main__":
    main()
