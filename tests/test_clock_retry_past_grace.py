"""A retry that would run past its kind's grace is given up at once, and said so.

Before, the clock stored the retry and logged "trying again at ..." for a time at which
the timer could only be marked missed (its grace counts from when it was first due):
the log promised a try that never came, and the timer sat pending until then.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import discord
import pytest

from bot.clock import RETRY_AFTER, ManualClock, TimerService
from bot.compat import fault_code, passing
from bot.store import Database
from bot.store import timers as timer_store
from bot.store.timers import Timer

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
GRACE = timedelta(minutes=10)  # RETRY_AFTER: tries at +0, +1, +6; the next would be +21


class Response:
    """What discord.HTTPException reads of an aiohttp response."""

    def __init__(self, status: int) -> None:
        self.status, self.reason = status, "failed"


def http_503() -> discord.HTTPException:
    return discord.HTTPException(Response(503), {"code": 0, "message": "failed"})  # type: ignore[arg-type]


async def _service(path: Path, ran: list[tuple[datetime, bool]], fails: int) -> TimerService:
    """A service whose "work" kind (10 minutes' grace, idempotent) fails `fails` times with a
    503; each run records when it ran and whether the clock called it the last try."""
    db = Database(path)
    await db.open()
    await db.migrate()
    clock = ManualClock(NOW)
    service = TimerService(db, clock)
    service.passing, service.describe = passing, fault_code  # as the app sets them
    left = [fails]

    async def handler(timer: Timer) -> None:
        ran.append((clock.now(), service.last_try(timer)))
        if left[0]:
            left[0] -= 1
            raise http_503()

    service.register("work", handler, grace=GRACE, idempotent=True)
    await service.start()
    return service


async def test_a_retry_past_the_grace_is_given_up_at_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    ran: list[tuple[datetime, bool]] = []
    service = await _service(tmp_path / "t.sqlite3", ran, fails=len(RETRY_AFTER) + 1)
    await service.add(kind="work", key="w", due_at=NOW)
    await service.advance(timedelta(minutes=7))  # the third run, at +6, has failed
    assert [at for at, _ in ran] == [NOW, NOW + timedelta(minutes=1), NOW + timedelta(minutes=6)]
    timer = await timer_store.by_key(service.db, "w")
    assert timer is not None and timer.state == timer_store.MISSED
    said = [r.getMessage() for r in caplog.records if r.name == "bot.clock"]
    assert sum("trying again" in line for line in said) == 2, said
    given_up = [line for line in said if "given up" in line]
    assert len(given_up) == 1 and "past its grace" in given_up[0], said
    await service.advance(timedelta(hours=1))
    assert len(ran) == 3
    await service.db.close()


async def test_the_clock_says_which_run_is_the_last_try(tmp_path: Path) -> None:
    """The last try is the one whose passing failure the clock will not run again: here
    the third, as a fourth would fall past the grace, not the fourth of RETRY_AFTER."""
    ran: list[tuple[datetime, bool]] = []
    service = await _service(tmp_path / "t.sqlite3", ran, fails=0)
    await service.add(kind="work", key="w", due_at=NOW)
    await service.advance(timedelta(seconds=1))
    assert ran == [(NOW, False)]
    await service.db.close()
    ran.clear()
    service = await _service(tmp_path / "again.sqlite3", ran, fails=len(RETRY_AFTER) + 1)
    await service.add(kind="work", key="w", due_at=NOW)
    await service.advance(timedelta(hours=1))
    assert [last for _, last in ran] == [False, False, True]
    await service.db.close()


async def test_a_slow_run_keeps_its_retry_within_the_grace(tmp_path: Path) -> None:
    """Claimed at +0 (a retry at +1 is within the grace), the run takes 9.5 minutes, then
    fails: its retry comes at +10, the grace's end, rather than at +10.5 to be missed."""
    db = Database(tmp_path / "slow.sqlite3")
    await db.open()
    await db.migrate()
    clock = ManualClock(NOW)
    service = TimerService(db, clock)
    service.passing, service.describe = passing, fault_code
    ran: list[datetime] = []

    async def slow(timer: Timer) -> None:
        ran.append(clock.now())
        if len(ran) == 1:
            clock.set(clock.now() + timedelta(minutes=9, seconds=30))
            raise http_503()

    service.register("work", slow, grace=GRACE, idempotent=True)
    await service.start()
    await service.add(kind="work", key="w", due_at=NOW)
    await service.advance(timedelta(minutes=20))
    assert ran == [NOW, NOW + GRACE]
    timer = await timer_store.by_key(db, "w")
    assert timer is not None and timer.state == timer_store.DONE
    await db.close()
