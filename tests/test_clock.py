"""The timer service: store first, fire once, survive restarts, honour the grace window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import ManualClock, NotNow, TimerService
from bot.store import Database
from bot.store import timers as timer_store
from bot.store.timers import Timer

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def open_service(
    path: Path,
    clock: ManualClock,
    fired: list[str],
    *,
    grace: timedelta | None = timedelta(minutes=30),
    idempotent: bool = False,
) -> TimerService:
    db = Database(path)
    await db.open()
    await db.migrate()
    service = TimerService(db, clock)

    async def handler(timer: Timer) -> None:
        fired.append(timer.dedupe_key)

    service.register("reminder", handler, grace=grace, idempotent=idempotent)
    return service


async def test_fires_in_order_at_the_injected_time(tmp_path: Path) -> None:
    clock, fired = ManualClock(NOW), []
    service = await open_service(tmp_path / "t.sqlite3", clock, fired)
    await service.start()
    await service.add(kind="reminder", key="b", due_at=NOW + timedelta(hours=2))
    await service.add(kind="reminder", key="a", due_at=NOW + timedelta(hours=1))
    assert await service.add(kind="reminder", key="a", due_at=NOW) is None
    await service.advance(timedelta(minutes=59))
    assert fired == []
    await service.advance(timedelta(minutes=1))
    assert fired == ["a"]
    await service.advance(timedelta(hours=5))
    assert fired == ["a", "b"]
    assert clock.now() == NOW + timedelta(hours=6)
    await service.db.close()


async def test_restart_within_grace_sends_once_after_it_marks_missed(tmp_path: Path) -> None:
    path, clock, fired = tmp_path / "t.sqlite3", ManualClock(NOW), []
    service = await open_service(path, clock, fired)
    await service.start()
    await service.add(kind="reminder", key="soon", due_at=NOW + timedelta(minutes=10))
    await service.add(kind="reminder", key="late", due_at=NOW + timedelta(minutes=20))
    await service.stop()
    await service.db.close()
    # the bot is down for 45 minutes: "soon" is 35 min overdue, "late" 25 min
    clock.set(NOW + timedelta(minutes=45))
    again = await open_service(path, clock, fired)
    counts = await again.start()
    assert fired == ["late"]
    assert counts["missed"] == 1
    missed = await timer_store.by_key(again.db, "soon")
    assert missed is not None and missed.state == "missed"
    # a third start fires nothing again
    await again.stop()
    await again.db.close()
    third = await open_service(path, clock, fired)
    await third.start()
    assert fired == ["late"]
    await third.db.close()


async def test_interrupted_timer_is_not_repeated_unless_idempotent(tmp_path: Path) -> None:
    path, clock, fired = tmp_path / "t.sqlite3", ManualClock(NOW), []
    service = await open_service(path, clock, fired)
    await service.start()
    timer = await service.add(kind="reminder", key="dm", due_at=NOW)
    assert timer is not None
    # a crash between claim and finish: the row says "firing"
    assert await timer_store.claim(service.db, timer.id, NOW)
    await service.db.close()
    again = await open_service(path, clock, fired)
    await again.start()
    assert fired == []
    state = await timer_store.by_key(again.db, "dm")
    assert state is not None and state.state == "missed"
    await again.db.close()


async def test_interrupted_idempotent_timer_runs_again(tmp_path: Path) -> None:
    path, clock, fired = tmp_path / "t.sqlite3", ManualClock(NOW), []
    service = await open_service(path, clock, fired, idempotent=True, grace=None)
    await service.start()
    timer = await service.add(kind="reminder", key="purge", due_at=NOW)
    assert timer is not None
    assert await timer_store.claim(service.db, timer.id, NOW)
    await service.db.close()
    again = await open_service(path, clock, fired, idempotent=True, grace=None)
    await again.start()
    assert fired == ["purge"]
    await again.db.close()


async def test_a_failing_handler_is_marked_failed_and_logged(tmp_path: Path, caplog) -> None:
    clock = ManualClock(NOW)
    db = Database(tmp_path / "t.sqlite3")
    await db.open()
    await db.migrate()
    service = TimerService(db, clock)

    async def broken(timer: Timer) -> None:
        raise RuntimeError("handler bug")

    service.register("reminder", broken)
    await service.start()
    await service.add(kind="reminder", key="x", due_at=NOW)
    await service.run_due()
    state = await timer_store.by_key(db, "x")
    assert state is not None and state.state == "failed"
    assert "handler bug" in caplog.text
    await db.close()


async def test_a_handler_that_says_not_now_is_cancelled_and_can_be_revived(
    tmp_path: Path, caplog
) -> None:
    """Its feature was off: the timer never acted, so it ends cancelled (not done, not
    failed, nothing logged as an error) and revive() makes it pending again."""
    clock, db = ManualClock(NOW), Database(tmp_path / "t.sqlite3")
    await db.open()
    await db.migrate()
    service = TimerService(db, clock)
    on, ran = False, []

    async def handler(timer: Timer) -> None:
        if not on:
            raise NotNow
        ran.append(timer.dedupe_key)

    service.register("prompt", handler, idempotent=True)
    await service.start()
    await service.add(kind="prompt", key="p", due_at=NOW)
    assert await service.run_due() == 0
    state = await timer_store.by_key(db, "p")
    assert state is not None and state.state == "cancelled" and ran == []
    assert "failed" not in caplog.text
    on = True
    await service.revive("p", NOW)
    assert await service.run_due() == 1 and ran == ["p"]
    await service.revive("p", NOW)  # done: never revived
    assert await service.run_due() == 0 and ran == ["p"]
    await db.close()


async def test_real_clock_arms_apscheduler(tmp_path: Path) -> None:
    import asyncio

    from bot.clock import Clock

    db = Database(tmp_path / "t.sqlite3")
    await db.open()
    await db.migrate()
    service = TimerService(db, Clock())
    done = asyncio.Event()

    async def handler(timer: Timer) -> None:
        done.set()

    service.register("reminder", handler)
    await service.start()
    await service.add(kind="reminder", key="now", due_at=datetime.now(UTC))
    await asyncio.wait_for(done.wait(), timeout=5)
    await service.stop()
    await db.close()


def test_manual_clock_refuses_naive_and_backwards() -> None:
    with pytest.raises(ValueError):
        ManualClock(datetime(2026, 1, 1))  # noqa: DTZ001 - the point of the test
    clock = ManualClock(NOW)
    with pytest.raises(ValueError):
        clock.set(NOW - timedelta(seconds=1))
