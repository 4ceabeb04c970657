"""A crash while Discord events are turned off for a group: no event is left behind.

Turning events off deletes the coming session's Discord event, visible to the whole
server. The row's event id was cleared before the delete call, so a crash at that call
left the event announcing the meeting for good, with nothing in the store to find it
by. The restart now deletes it; and a session whose event Discord did delete before the
crash keeps no stale id that would stop a new event when events are turned on again.

The scenario starts on Monday 2026-11-23 at 09:00 UTC; London is on UTC in winter.
"""

from __future__ import annotations

import pytest

from bot.store import groups as group_store
from bot.store import schedules as store
from tests.crash_support import crash_on, until_killed
from tests.support import make_group

EVENT = "/guilds/{guild_id}/scheduled-events/{event_id}"


@pytest.mark.parametrize("after", [False, True], ids=["not-deleted", "deleted"])
async def test_a_crash_turning_events_off_leaves_no_event_and_no_stale_id(
    scenario, after: bool
) -> None:
    world, sim = scenario, scenario.sim
    g = await make_group(world, size=3)
    options = {"cadence": "weekly", "weekday": 1, "time": "19:00"}
    await sim.slash(g.leader, "schedule set", channel=g.lobby, options=options)
    (row,) = await store.planned_for_group(world.bot.db, g.group.id)
    assert row.event_id is not None and row.event_id in world.guild.events
    hit = crash_on(sim, "DELETE", EVENT, after=after)
    await until_killed(
        sim.slash(g.leader, "schedule events", channel=g.lobby, options={"state": "off"}),
        "sim-ignore-events-off",
    )
    assert hit, "the crash point was not reached"
    await world.restart()
    await sim.settle()
    assert not world.guild.events, "an event announcing a meeting, with events turned off"
    (kept,) = await store.planned_for_group(world.bot.db, g.group.id)
    assert kept.id == row.id and kept.event_id is None
    group = await group_store.get(world.bot.db, g.group.id)
    assert group is not None and not group.events_enabled
    on = await sim.slash(g.leader, "schedule events", channel=g.lobby, options={"state": "on"})
    assert "on" in on.text, on.text
    (again,) = await store.planned_for_group(world.bot.db, g.group.id)
    assert again.event_id is not None and list(world.guild.events) == [again.event_id]
