"""A timer stored inside a transaction fires outside it (real clock, APScheduler).

Why: the end of a meeting and the start of one store their timers in the same
transaction as the change itself. APScheduler is woken from the code that adds the
job and starts the job's task from there, so the task inherited the context of the
transaction: its own `db.transaction()` neither began nor rolled back anything, and
its writes skipped the write lock, landing in whatever transaction was open.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import Clock, ManualClock, TimerService
from bot.store import Database
from bot.store.timers import Timer


async def test_a_timer_added_in_a_transaction_runs_its_own_transaction(tmp_path: Path) -> None:
    db = Database(tmp_path / "t.sqlite3")
    await db.open()
    await db.migrate()
    await db.execute("CREATE TABLE probe (x INTEGER)")
    service = TimerService(db, Clock())
    done = asyncio.Event()

    async def handler(timer: Timer) -> None:
        try:
            async with db.transaction():
                await db.execute("INSERT INTO probe (x) VALUES (1)")
                raise RuntimeError("the handler's work fails half-way")
        except RuntimeError:
            pass
        finally:
            done.set()

    service.register("reminder", handler)
    await service.start()
    await asyncio.sleep(0.05)  # a scheduler that has been running a while
    try:
        async with db.transaction():
            await service.add(kind="reminder", key="now", due_at=datetime.now(UTC))
        await asyncio.wait_for(done.wait(), timeout=5)
        row = await db.fetchone("SELECT COUNT(*) AS n FROM probe")
        assert row is not None and row["n"] == 0  # rolled back with the handler's transaction
    finally:
        await service.stop()
        await db.close()


async def test_a_timer_added_in_a_transaction_waits_for_other_writers(tmp_path: Path) -> None:
    """The handler's write waits for a transaction another task holds open, and so is not
    rolled back with it."""
    db = Database(tmp_path / "t.sqlite3")
    await db.open()
    await db.migrate()
    await db.execute("CREATE TABLE probe (x INTEGER)")
    service = TimerService(db, Clock())
    done = asyncio.Event()

    async def handler(timer: Timer) -> None:
        await asyncio.sleep(0.1)  # the other writer's transaction is open by now
        await db.execute("INSERT INTO probe (x) VALUES (1)")
        done.set()

    service.register("reminder", handler)
    await service.start()
    await asyncio.sleep(0.05)  # a scheduler that has been running a while

    async def other_writer() -> None:
        try:
            async with db.transaction():
                await db.execute("INSERT INTO probe (x) VALUES (2)")
                await asyncio.sleep(0.3)  # the handler runs meanwhile
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass

    try:
        async with db.transaction():
            await service.add(kind="reminder", key="now", due_at=datetime.now(UTC))
        await asyncio.sleep(0)
        writer = asyncio.create_task(other_writer())
        await asyncio.wait_for(done.wait(), timeout=5)
        await writer
        rows = await db.fetchall("SELECT x FROM probe")
        assert [r["x"] for r in rows] == [1]
    finally:
        await service.stop()
        await db.close()


async def test_firing_a_timer_inside_a_transaction_is_refused(tmp_path: Path) -> None:
    """`fire` runs the handler in the caller's task: inside a transaction, the handler's
    own transaction would join it (a failure half-way left its first write to commit with
    the caller's) and its REST calls would hold the write lock. Refused, nothing run."""
    db = Database(tmp_path / "t.sqlite3")
    await db.open()
    await db.migrate()
    await db.execute("CREATE TABLE probe (x INTEGER)")
    service = TimerService(db, ManualClock(datetime(2026, 1, 5, 9, 0, tzinfo=UTC)))
    ran: list[int] = []

    async def handler(timer: Timer) -> None:
        ran.append(timer.id)
        async with db.transaction():
            await db.execute("INSERT INTO probe (x) VALUES (1)")
            raise RuntimeError("the handler's work fails half-way")

    service.register("reminder", handler)
    await service.start()
    try:
        with pytest.raises(RuntimeError, match="transaction"):
            async with db.transaction():
                timer = await service.add(kind="reminder", key="k", due_at=service.clock.now())
                assert timer is not None
                await service.fire(timer.id)
        assert ran == []
        row = await db.fetchone("SELECT COUNT(*) AS n FROM probe")
        assert row is not None and row["n"] == 0
    finally:
        await service.stop()
        await db.close()
