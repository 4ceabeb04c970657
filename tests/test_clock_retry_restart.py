"""Retries and the grace, through the timer service itself: across restarts, moves, the
real clock's scheduler and the last try.

A retry's own delay (RETRY_AFTER) decides when it runs; the grace, counted from the
timer's first due time, decides whether it may still run at all.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import RETRY_AFTER, Clock, ManualClock, TimerService
from bot.compat import TryAgain, fault_code, passing
from bot.store import Database
from bot.store import timers as timer_store
from bot.store.timers import Timer

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def open_service(
    path: Path,
    clock: Clock,
    runs: list[tuple[datetime, int]],
    *,
    fail: int,
    grace: timedelta | None = None,
) -> TimerService:
    """A service whose 'work' timer fails for a passing reason on its first `fail` runs
    (counted across restarts through `runs`); each run records (time, retries seen)."""
    db = Database(path)
    await db.open()
    await db.migrate()
    service = TimerService(db, clock)
    service.passing, service.describe = passing, fault_code  # as the app sets them

    async def handler(timer: Timer) -> None:
        runs.append((clock.now(), timer.retries))
        if len(runs) <= fail:
            raise TryAgain(timer.id)

    service.register("work", handler, grace=grace, idempotent=True)
    return service


async def test_a_retry_past_the_grace_from_its_first_due_time_does_not_run(tmp_path: Path) -> None:
    """Grace 10 minutes: tries at 0, +1 and +6 fail; the next, at +21, would act 21 minutes
    after the moment it was about. Before, the grace was not looked at once running."""
    clock, runs = ManualClock(NOW), []
    service = await open_service(
        tmp_path / "t.sqlite3", clock, runs, fail=3, grace=timedelta(minutes=10)
    )
    await service.start()
    await service.add(kind="work", key="w", due_at=NOW)
    await service.advance(timedelta(hours=1))
    assert [at - NOW for at, _ in runs] == [
        timedelta(0),
        RETRY_AFTER[0],
        RETRY_AFTER[0] + RETRY_AFTER[1],
    ]
    timer = await timer_store.by_key(service.db, "w")
    assert timer is not None and timer.state == timer_store.MISSED
    await service.db.close()


async def test_a_retry_inside_the_grace_runs_at_its_own_delay(tmp_path: Path) -> None:
    clock, runs = ManualClock(NOW), []
    service = await open_service(
        tmp_path / "t.sqlite3", clock, runs, fail=1, grace=timedelta(minutes=10)
    )
    await service.start()
    await service.add(kind="work", key="w", due_at=NOW)
    await service.advance(timedelta(hours=1))
    assert runs == [(NOW, 0), (NOW + RETRY_AFTER[0], 1)]
    timer = await timer_store.by_key(service.db, "w")
    assert timer is not None and timer.state == timer_store.DONE
    await service.db.close()


async def test_restarted_past_the_grace_a_retry_due_while_down_is_missed(tmp_path: Path) -> None:
    """Failed at 9:00 and 9:01, next try at 9:06; back at 9:12 with a grace of 10 minutes:
    the retry was due 6 minutes ago, the work 12 minutes ago. Before, it ran."""
    path, clock, runs = tmp_path / "t.sqlite3", ManualClock(NOW), []
    service = await open_service(path, clock, runs, fail=2, grace=timedelta(minutes=10))
    await service.start()
    await service.add(kind="work", key="w", due_at=NOW)
    await service.advance(timedelta(minutes=2))
    await service.stop()
    await service.db.close()
    clock.set(NOW + timedelta(minutes=12))
    again = await open_service(path, clock, runs, fail=2, grace=timedelta(minutes=10))
    counts = await again.start()
    assert len(runs) == 2 and counts["missed"] == 1
    timer = await timer_store.by_key(again.db, "w")
    assert timer is not None and timer.state == timer_store.MISSED
    await again.db.close()


async def test_a_retry_due_while_down_runs_once_at_start_up_on_the_real_clock(
    tmp_path: Path,
) -> None:
    """The retry count survives the restart, and the retry runs once: not twice (armed at
    start and again by the re-arming job), not never."""
    path, runs = tmp_path / "t.sqlite3", []
    first_due = datetime.now(UTC) - timedelta(minutes=3)
    manual = ManualClock(first_due)
    service = await open_service(path, manual, runs, fail=1)
    await service.start()
    await service.add(kind="work", key="w", due_at=first_due)
    await service.advance(timedelta(seconds=1))  # failed: the retry is at +1 minute
    assert [retries for _, retries in runs] == [0]
    await service.db.close()  # down: the retry (at +1 minute) comes due meanwhile
    for _ in range(2):  # a second start finds nothing left to do
        again = await open_service(path, Clock(), runs, fail=1)
        await again.start()
        await again.rearm()
        for _ in range(300):
            timer = await timer_store.by_key(again.db, "w")
            if timer is not None and timer.state == timer_store.DONE:
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)
        await again.stop()
        await again.db.close()
    assert [retries for _, retries in runs] == [0, 1]


async def test_a_timer_moved_while_waiting_for_a_retry_runs_at_its_new_time_afresh(
    tmp_path: Path,
) -> None:
    """The session moved: the timer's old retry does not run, and at its new time it is
    a new try (its own grace, its own retries), not the tail of the old one's."""
    clock, runs = ManualClock(NOW), []
    grace = timedelta(minutes=10)
    service = await open_service(tmp_path / "t.sqlite3", clock, runs, fail=1, grace=grace)
    await service.start()
    await service.add(kind="work", key="w", due_at=NOW)
    await service.advance(timedelta(seconds=1))
    await service.move("w", NOW + timedelta(hours=2))
    await service.advance(timedelta(hours=1))
    assert len(runs) == 1  # not at the old retry's time
    await service.advance(timedelta(hours=2))
    assert runs == [(NOW, 0), (NOW + timedelta(hours=2), 0)]
    timer = await timer_store.by_key(service.db, "w")
    assert timer is not None and timer.state == timer_store.DONE
    await service.db.close()


async def test_a_retry_moved_beyond_the_horizon_leaves_no_job_on_the_real_clock(
    tmp_path: Path,
) -> None:
    runs: list[tuple[datetime, int]] = []
    service = await open_service(tmp_path / "t.sqlite3", Clock(), runs, fail=1)
    await service.start()
    timer = await service.add(kind="work", key="w", due_at=datetime.now(UTC))
    assert timer is not None
    assert await service.fire(timer.id) is False  # failed; its retry is armed
    assert service._scheduler is not None and service._scheduler.get_job(str(timer.id))
    await service.move("w", datetime.now(UTC) + timedelta(hours=3))
    assert service._scheduler.get_job(str(timer.id)) is None
    await service.stop()
    await service.db.close()


async def test_the_last_retry_failing_marks_the_timer_failed_and_logs_no_content(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    clock, runs = ManualClock(NOW), []
    service = await open_service(tmp_path / "t.sqlite3", clock, runs, fail=99)
    await service.start()
    await service.add(kind="work", key="w", due_at=NOW)
    await service.advance(timedelta(hours=2))
    assert len(runs) == len(RETRY_AFTER) + 1
    timer = await timer_store.by_key(service.db, "w")
    assert timer is not None and timer.state == timer_store.FAILED
    assert not await timer_store.pending(service.db)
    failed = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failed) == 1 and "timer" in failed[0].getMessage()
    await service.db.close()


async def test_a_timer_moved_to_the_time_it_is_for_keeps_its_retrys_delay(tmp_path: Path) -> None:
    """A replan "moves" every timer to the time it is already for: a retry waiting for its
    delay is not run again at once (before, its due time went back to the first one)."""
    clock, runs = ManualClock(NOW), []
    service = await open_service(tmp_path / "t.sqlite3", clock, runs, fail=1)
    await service.start()
    await service.add(kind="work", key="w", due_at=NOW)
    await service.advance(timedelta(seconds=1))
    await service.move("w", NOW)
    await service.advance(timedelta(seconds=30))
    assert runs == [(NOW, 0)]
    await service.advance(RETRY_AFTER[0])
    assert runs == [(NOW, 0), (NOW + RETRY_AFTER[0], 1)]
    await service.db.close()
