"""A 19:00 London series stays at 19:00 London across both DST changes (stored UTC rows)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.store import schedules as store
from tests.support import make_group


async def _next(world, g):
    (row,) = await store.planned_for_group(world.bot.db, g.group.id, ending_after=world.clock.now())
    return row


async def test_london_weekly_across_march_and_october(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3)
    result = await world.sim.slash(
        g.leader,
        "schedule set",
        channel=g.lobby,
        options={"cadence": "weekly", "weekday": 1, "time": "19:00", "starts": "2027-03-23"},
    )
    assert "Schedule saved" in result.text
    row = await _next(world, g)
    assert row.occurrence_date == date(2027, 3, 23)
    assert row.scheduled_start == datetime(2027, 3, 23, 19, 0, tzinfo=UTC)  # GMT
    world.clock.set(datetime(2027, 3, 1, tzinfo=UTC))
    await world.advance(days=23, hours=21)  # 2027-03-23 21:00 UTC: that session ended
    row = await _next(world, g)
    assert row.occurrence_date == date(2027, 3, 30)
    assert row.scheduled_start == datetime(2027, 3, 30, 18, 0, tzinfo=UTC)  # BST
    result = await world.sim.slash(
        g.leader,
        "schedule set",
        channel=g.lobby,
        options={"cadence": "weekly", "weekday": 1, "time": "19:00", "starts": "2027-10-26"},
    )
    row = await _next(world, g)
    assert row.scheduled_start == datetime(2027, 10, 26, 18, 0, tzinfo=UTC)  # still BST
    world.clock.set(datetime(2027, 10, 20, tzinfo=UTC))
    await world.advance(days=6, hours=21)  # after the 26 October session
    row = await _next(world, g)
    assert row.occurrence_date == date(2027, 11, 2)
    assert row.scheduled_start == datetime(2027, 11, 2, 19, 0, tzinfo=UTC)  # GMT again
