"""Helpers for end-to-end tests on the real clock: APScheduler runs the timers, as in
production, so a timer due now runs as soon as the write that stored it commits.

Such a test never sleeps for a fixed time that assumes speed: it waits for a condition,
with a deadline (`until`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot.clock import Clock
from bot.sim.scenario import Scenario

DEADLINE = 3.0  # seconds; what is waited for takes a few milliseconds


@asynccontextmanager
async def real_clock_world(path: Path, **settings: Any) -> AsyncIterator[Scenario]:
    """A scenario whose bot runs on the real clock; its problems fail the test."""
    world = Scenario(path / "real.sqlite3", clock=Clock(), **settings)
    await world.start()
    # The status message lingers 1 s after each edit on a real clock (settle waits for it):
    # kept short here, the tests are about timers, not about the edits' pace.
    world.bot.get_cog("Facilitation").engine.status.min_interval = 0.05
    try:
        yield world
        await world.sim.settle()
        problems = world.problems()
        assert not problems, "\n".join(problems)
    finally:
        await world.stop()


async def until(world: Scenario, check: Callable[[], Awaitable[bool]], what: str) -> None:
    """Wait until `check()` holds (the bot's tasks settled first each time), or fail."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DEADLINE
    while True:
        await world.sim.settle()
        if await check():
            return
        if loop.time() > deadline:
            raise AssertionError(f"still not true after {DEADLINE} s: {what}")
        await asyncio.sleep(0.01)


async def timers_done(world: Scenario) -> None:
    """Wait until no timer due by now is pending or running (what commands stored ran)."""
    from bot.store import timers as timer_store

    async def done() -> bool:
        db = world.bot.db
        due = await timer_store.pending(db, due_before=world.bot.now())
        return not due and not await timer_store.in_state(db, timer_store.FIRING)

    await until(world, done, "the timers due now have run")
