"""Real-clock arming: only timers within the horizon get an APScheduler job; rearm adds more."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import HORIZON, Clock, TimerService
from bot.store import Database
from bot.store import timers as timer_store
from bot.store.timers import Timer


class StillClock(Clock):
    """A real (non-manual) clock that only moves when the test says so; nothing fires."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment


async def test_start_arms_only_the_horizon_and_rearm_arms_the_rest(tmp_path: Path) -> None:
    # Far in the future, so APScheduler never actually runs a job during the test.
    clock = StillClock(datetime.now(UTC) + timedelta(days=3650))
    db = Database(tmp_path / "h.sqlite3")
    await db.open()
    await db.migrate()
    service = TimerService(db, clock)

    async def handler(timer: Timer) -> None:
        raise AssertionError("nothing fires in this test")

    service.register("reminder", handler)
    base = clock.now()
    near = await timer_store.add(
        db, kind="reminder", dedupe_key="near", due_at=base + HORIZON / 2, now=base
    )
    far = await timer_store.add(
        db, kind="reminder", dedupe_key="far", due_at=base + HORIZON * 5, now=base
    )
    try:
        counts = await service.start()
        assert counts["armed"] == 1
        scheduler = service._scheduler
        assert scheduler is not None
        assert scheduler.get_job(str(near.id)) is not None
        assert scheduler.get_job(str(far.id)) is None
        assert scheduler.get_job("balint-rearm") is not None
        added = await service.add(
            kind="reminder", key="later", due_at=base + HORIZON * 3, guild_id=None
        )
        assert added is not None and scheduler.get_job(str(added.id)) is None
        clock.moment = base + HORIZON * 4 + timedelta(minutes=1)
        assert await service.rearm() >= 2
        assert scheduler.get_job(str(far.id)) is not None
        assert scheduler.get_job(str(added.id)) is not None
        await service.move("far", base + HORIZON * 20)  # moved out of the horizon again
        assert scheduler.get_job(str(far.id)) is None
    finally:
        await service.stop()
        await db.close()
