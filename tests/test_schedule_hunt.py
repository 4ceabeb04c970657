"""Scheduling bugs found by a hunt: each test failed before its fix."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.store import schedules as store
from bot.store import sessions as session_store
from tests.support import make_group

START = datetime(2026, 11, 24, 19, 0, tzinfo=UTC)  # Tuesday 19:00 London (GMT)


async def weekly(world, g) -> None:
    result = await world.sim.slash(
        g.leader,
        "schedule set",
        channel=g.lobby,
        options={"cadence": "weekly", "weekday": 1, "time": "19:00"},
    )
    assert "Schedule saved" in result.text, result.text


async def test_session_started_early_is_not_planned_again(scenario) -> None:
    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g)
    world.clock.set(datetime(2026, 11, 24, 18, 30, tzinfo=UTC))
    started = await world.sim.slash(g.leader, "session start", channel=g.lobby)
    live = await session_store.live_for_group(world.bot.db, g.group.id)
    assert live is not None, started.text
    await world.restart()
    later = await world.sim.slash(
        g.leader, "schedule once", channel=g.lobby, options={"date": "2026-12-03", "time": "19:00"}
    )
    assert "2026" in later.text or "<t:" in later.text, later.text
    planned = await store.planned_for_group(world.bot.db, g.group.id, ending_after=START)
    assert [p.occurrence_date.isoformat() for p in planned] == ["2026-12-01"]
    starts = sorted(datetime.fromisoformat(e.start) for e in world.guild.events.values())
    assert starts == [START, datetime(2026, 12, 1, 19, 0, tzinfo=UTC)]  # no second 24 Nov
