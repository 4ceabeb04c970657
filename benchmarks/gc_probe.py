"""Where the session load's p99 tail comes from: every garbage collection, timed.

An experiment, not a committed figure (results.json does not get it): the session
load of bench_session runs once with a `gc.callbacks` hook that times each
collection from the start-up freeze to the end of the load, by generation.

    python -m benchmarks.gc_probe --groups 150 --per-server 30
    python -m benchmarks.gc_probe --groups 150 --per-server 200 --lift-channel-limit
    python -m benchmarks.gc_probe --groups 150 --threshold 5000
    python -m benchmarks.gc_probe --groups 200 --loads 5 [--purge]

`--lift-channel-limit` lets one simulated server hold more than Discord's 500 channels,
so that one server and several can be compared at the same load. `--loads N` has the
same groups meet N times in one world, each load reported on its own (stop 22 found each
slower than the last); `--purge` lets an hour pass between loads, so the purge deletes the
meetings' channels as in a deployment (without it, at most five loads fit a server's
500 channels).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import time
from typing import Any

import benchmarks.bench_session as session
import bot.sim.routes_channels as sim_channels
from bot.heap import freeze_startup_heap

SHOWN = (
    "interactions_per_second",
    "session_latency_p50",
    "session_latency_p99",
    "about_latency_p99",
    "cpu_ms_per_interaction",
)


class Pauses:
    """Collection times by generation, counted only once the load's heap is frozen."""

    def __init__(self) -> None:
        self.counting = False
        self.started = 0.0
        self.by_generation: dict[int, list[float]] = {0: [], 1: [], 2: []}

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if not self.counting:
            return
        if phase == "start":
            self.started = time.perf_counter()
        else:
            self.by_generation[info["generation"]].append(time.perf_counter() - self.started)

    def reset(self) -> None:
        for seconds in self.by_generation.values():
            seconds.clear()

    def lines(self) -> list[str]:
        out = []
        for generation, seconds in self.by_generation.items():
            ms = sorted(s * 1000 for s in seconds)
            if ms:
                out.append(
                    f"gen{generation}: {len(ms)} collections, {sum(ms):.0f} ms in all, "
                    f"median {ms[len(ms) // 2]:.2f} ms, longest {ms[-1]:.1f} ms"
                )
        return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=150)
    parser.add_argument("--per-server", type=int, default=session.GROUPS_PER_SERVER)
    parser.add_argument("--rate", type=float, default=1000.0)
    parser.add_argument("--threshold", type=int, help="the collector's first threshold")
    parser.add_argument("--lift-channel-limit", action="store_true")
    parser.add_argument("--loads", type=int, default=1, help="the same groups meet N times")
    parser.add_argument("--purge", action="store_true", help="an hour passes between loads")
    args = parser.parse_args(argv)
    session.GROUPS_PER_SERVER = args.per_server
    if args.lift_channel_limit:
        sim_channels.MAX_GUILD_CHANNELS = 1_000_000
    pauses = Pauses()

    def freeze_then_count() -> int:
        frozen = freeze_startup_heap()
        if args.threshold:
            gc.set_threshold(args.threshold, *gc.get_threshold()[1:])
        pauses.counting = True
        return frozen

    load = session._load

    done: list[session.Load] = []

    async def load_then_stop(world: Any, *rest: Any) -> session.Load:
        if done and args.purge:
            await world.advance(minutes=world.bot.settings.purge_delay_minutes + 1)
        try:
            result = await load(world, *rest)
        finally:
            pauses.counting = False  # the teardown's collections are not the load's
        done.append(result)
        if args.loads > 1:
            cpu_ms = result.cpu_seconds / max(result.handled, 1) * 1000
            print(
                f"load {len(done)}: session p99 {result.session_p99_ms:.1f} ms, "
                f"{cpu_ms:.2f} ms of CPU per interaction"
            )
            for line in pauses.lines():
                print(f"  {line}")
            pauses.reset()
        return result

    session.freeze_startup_heap = freeze_then_count  # what _load calls before the load
    session._load = load_then_stop
    gc.callbacks.append(pauses)
    again = (args.rate,) * (args.loads - 1)
    figures = asyncio.run(session.measure(args.groups, args.rate, (), again))
    if args.loads > 1:
        return
    for line in pauses.lines():
        print(line)
    for name in SHOWN:
        if name in figures:
            print(f"{name}: {figures[name]['value']:.2f} {figures[name]['unit']}")


if __name__ == "__main__":
    main()
