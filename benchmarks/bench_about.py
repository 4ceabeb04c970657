"""The bare `/balint about` round trip: the reference every other latency is compared to.

The real bot, its real cogs and a real SQLite file, against the in-process
simulator.  Latency is bot-side, from interaction dispatch to the callback
request (see benchmarks/_world.py).  Sequential: one interaction at a time.
Concurrent: a batch fed at once, to measure interactions handled per second.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._figures import figure, latency_figures
from benchmarks._world import Probe
from bot.sim.scenario import Scenario

TIMEOUT = 30.0


async def measure(interactions: int, batch: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="balint-bench-") as tmp:
        world = Scenario(Path(tmp) / "bench.sqlite3")
        await world.start()
        try:
            probe = Probe(world)
            people = world.people
            # Warm-up: first calls pay for imports and caches.
            for i in range(min(20, interactions)):
                await asyncio.wait_for(probe.slash(people[i % 12], "balint about").done(), TIMEOUT)
            sequential = []
            for i in range(interactions):
                entry = probe.slash(people[i % len(people)], "balint about")
                sequential.append(await asyncio.wait_for(entry.done(), TIMEOUT))
                if entry.rec.response_type != 4:
                    raise RuntimeError(f"/balint about answered with {entry.rec.response_type}")
            await world.sim.settle()
            prepared = [
                probe.prepare_slash(people[i % len(people)], "balint about") for i in range(batch)
            ]
            start = time.perf_counter()
            entries = [probe.feed(p) for p in prepared]
            concurrent = await asyncio.wait_for(
                asyncio.gather(*(e.done() for e in entries)), TIMEOUT
            )
            elapsed = time.perf_counter() - start
            await world.sim.settle()
            problems = world.problems()
        finally:
            await world.stop()
    rate = batch / elapsed if elapsed > 0 else 0.0
    return {
        "interactions": figure(interactions, "interactions"),
        **latency_figures("latency_", sequential),
        "batch": figure(batch, "interactions"),
        "batch_throughput": figure(rate, "interactions/s"),
        **latency_figures("batch_latency_", list(concurrent)),
        "errors": figure(len(problems), "errors", "0", not problems),
    }


def run(interactions: int = 1000, batch: int = 1000) -> dict[str, Any]:
    """Figures of `/balint about`: sequential latency, then a concurrent batch."""
    return asyncio.run(measure(interactions, batch))
