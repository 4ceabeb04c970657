"""A timer whose work Discord failed for a passing reason runs again, a few times.

Before, any exception failed the timer for good: a 503 or a connection reset during an
idempotent timer's work (a session's end effects, a schedule's next session, an erasure)
lost that work until someone noticed.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import discord
import pytest

from bot.clock import RETRY_AFTER, ManualClock, TimerService
from bot.compat import fault_code, passing
from bot.store import Database
from bot.store import timers as timer_store
from bot.store.timers import Timer

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class Response:
    """What discord.HTTPException reads of an aiohttp response."""

    def __init__(self, status: int) -> None:
        self.status, self.reason = status, "failed"


def http_error(status: int) -> discord.HTTPException:
    return discord.HTTPException(Response(status), {"code": 0, "message": "failed"})  # type: ignore[arg-type]


async def service_failing(
    tmp_path: Path, failures: list[BaseException], ran: list[datetime], *, idempotent: bool
) -> TimerService:
    db = Database(tmp_path / "t.sqlite3")
    await db.open()
    await db.migrate()
    clock = ManualClock(NOW)
    service = TimerService(db, clock)
    service.passing, service.describe = passing, fault_code  # as the app sets them

    async def handler(timer: Timer) -> None:
        ran.append(clock.now())
        if failures:
            raise failures.pop(0)

    service.register("work", handler, idempotent=idempotent)
    await service.start()
    return service


async def test_a_passing_failure_runs_again_after_each_delay(tmp_path: Path) -> None:
    ran: list[datetime] = []
    failures: list[BaseException] = [http_error(503), aiohttp.ClientConnectionError("reset")]
    service = await service_failing(tmp_path, failures, ran, idempotent=True)
    await service.add(kind="work", key="w", due_at=NOW)
    await service.advance(timedelta(minutes=30))
    assert ran == [NOW, NOW + RETRY_AFTER[0], NOW + RETRY_AFTER[0] + RETRY_AFTER[1]]
    timer = await timer_store.by_key(service.db, "w")
    assert timer is not None and timer.state == timer_store.DONE and timer.retries == 2
    await service.db.close()


async def test_it_gives_up_after_the_last_delay(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    ran: list[datetime] = []
    failures: list[BaseException] = [http_error(502) for _ in range(len(RETRY_AFTER) + 2)]
    service = await service_failing(tmp_path, failures, ran, idempotent=True)
    await service.add(kind="work", key="w", due_at=NOW)
    await service.advance(timedelta(hours=2))
    assert len(ran) == len(RETRY_AFTER) + 1
    timer = await timer_store.by_key(service.db, "w")
    assert timer is not None and timer.state == timer_store.FAILED
    assert sum("trying again" in r.getMessage() for r in caplog.records) == len(RETRY_AFTER)
    await service.db.close()


async def test_a_retry_survives_a_restart(tmp_path: Path) -> None:
    ran: list[datetime] = []
    service = await service_failing(tmp_path, [http_error(500)], ran, idempotent=True)
    await service.add(kind="work", key="w", due_at=NOW)
    await service.advance(timedelta(seconds=1))
    await service.stop()
    await service.db.close()
    again = await service_failing(tmp_path, [], ran, idempotent=True)
    await again.advance(RETRY_AFTER[0])
    assert ran[-1] >= NOW + RETRY_AFTER[0] and len(ran) == 2
    timer = await timer_store.by_key(again.db, "w")
    assert timer is not None and timer.state == timer_store.DONE
    await again.db.close()


@pytest.mark.parametrize("idempotent", [False, True])
async def test_a_refusal_or_a_handler_that_may_not_repeat_fails_at_once(
    tmp_path: Path, idempotent: bool
) -> None:
    """A 403 stays a 403 until someone acts; a handler that might have sent half its work
    (not idempotent) is never run twice."""
    ran: list[datetime] = []
    failure = http_error(403) if idempotent else http_error(503)
    service = await service_failing(tmp_path, [failure], ran, idempotent=idempotent)
    await service.add(kind="work", key="w", due_at=NOW)
    await service.advance(timedelta(hours=1))
    assert ran == [NOW]
    timer = await timer_store.by_key(service.db, "w")
    assert timer is not None and timer.state == timer_store.FAILED
    await service.db.close()


def test_what_counts_as_passing() -> None:
    assert passing(http_error(500)) and passing(http_error(429))
    assert passing(aiohttp.ClientConnectionError()) and passing(TimeoutError())
    assert not passing(http_error(403)) and not passing(http_error(404))
    assert not passing(ValueError("a bug"))
