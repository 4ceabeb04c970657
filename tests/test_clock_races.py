"""A command that stores a timer due now and fires it itself goes on only once the work
is done, even when APScheduler (real clock) claimed the timer first.

Why: with the real clock `add()` arms a job for a timer already due; whenever the
command awaits anything between storing and firing (a REST call, another timer's
handler), that job claims the timer. The command's own `fire` then lost the claim and
returned at once, so its next step ran before the work: /privacy forget erased a
person while a meeting of their second group was still being told they were gone.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from bot.clock import Clock, TimerService
from bot.store import Database
from bot.store.timers import Timer


async def test_fire_waits_for_the_run_the_scheduler_claimed_first(tmp_path: Path) -> None:
    """As /privacy forget's meeting part does: one timer per group, stored together,
    fired one after the other; while the first group's part runs, the scheduler takes the
    second."""
    db = Database(tmp_path / "t.sqlite3")
    await db.open()
    await db.migrate()
    service = TimerService(db, Clock())
    finished: list[str] = []

    async def part(timer: Timer) -> None:
        await asyncio.sleep(0.05)  # a REST call: the loop runs other tasks meanwhile
        finished.append(timer.dedupe_key)

    service.register("part", part)
    await service.start()
    try:
        now = datetime.now(UTC)
        async with db.transaction():
            timers = [await service.add(kind="part", key=f"part:{n}", due_at=now) for n in (1, 2)]
        ran = []
        for timer in timers:
            assert timer is not None
            ran.append(await service.fire(timer.id))
            assert timer.dedupe_key in finished, "the caller went on before the work was done"
        assert ran == [True, True]  # the work ran (here, or in the run waited for)
        assert finished == ["part:1", "part:2"]
        assert list(service.fired) == [("part", timers[0].id), ("part", timers[1].id)]
    finally:
        await service.stop()
        await db.close()


async def test_run_due_does_not_wait_for_a_run_in_progress(tmp_path: Path) -> None:
    """run_due (and so advance) keeps its meaning: it counts what it ran itself and
    skips a timer another task is running."""
    from bot.clock import ManualClock

    db = Database(tmp_path / "t.sqlite3")
    await db.open()
    await db.migrate()
    clock = ManualClock(datetime(2026, 11, 23, 9, tzinfo=UTC))
    service = TimerService(db, clock)
    gate = asyncio.Event()

    async def slow(timer: Timer) -> None:
        await gate.wait()

    service.register("slow", slow)
    await service.start()
    timer = await service.add(kind="slow", key="slow", due_at=clock.now())
    assert timer is not None
    first = asyncio.create_task(service.fire(timer.id))
    await asyncio.sleep(0)
    assert await service.run_due() == 0  # in progress elsewhere: not waited for
    second = asyncio.create_task(service.fire(timer.id))
    await asyncio.sleep(0.01)
    assert not second.done(), "fire returned while the run it lost to was in progress"
    gate.set()
    assert await first is True and await second is True
    assert list(service.fired) == [("slow", timer.id)]
    await service.stop()
    await db.close()


async def test_a_held_timer_runs_only_once_released(tmp_path: Path) -> None:
    """Stored with `hold` (a session's end: its own REST calls follow the write), a timer
    due now is not run by the scheduler, nor armed by a rearm, until `release`."""
    db = Database(tmp_path / "t.sqlite3")
    await db.open()
    await db.migrate()
    service = TimerService(db, Clock())
    ran = asyncio.Event()

    async def work(timer: Timer) -> None:
        ran.set()

    service.register("work", work)
    await service.start()
    try:
        async with db.transaction():
            timer = await service.add(
                kind="work", key="work:1", due_at=datetime.now(UTC), hold=True
            )
        assert timer is not None
        assert await service.rearm() == 1
        await asyncio.sleep(0.05)  # the scheduler had its chance to run it
        assert not ran.is_set(), "a held timer ran before its release"
        await service.release("work:1")
        await asyncio.wait_for(ran.wait(), timeout=3)
    finally:
        await service.stop()
        await db.close()
