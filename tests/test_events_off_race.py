"""Events turned off while a replan is making the group's Discord event.

The replan (here `/schedule events on`, as at start-up or `/schedule set`) had read the
group with events on and was waiting on Discord's answer to its create call (a rate
limit). `/schedule events off` then found no event id yet and deleted nothing; the
replan stored the new id a moment later, and the event announced the meeting on the
server with events off. Turning events off now waits for a replan under way.

The scenario starts on Monday 2026-11-23 at 09:00 UTC.
"""

from __future__ import annotations

import asyncio

from bot.store import groups as group_store
from bot.store import schedules as store
from tests.support import make_group

EVENTS = "/guilds/{guild_id}/scheduled-events"


async def test_events_turned_off_during_a_replan_leave_no_event(scenario) -> None:
    world, sim = scenario, scenario.sim
    g = await make_group(world, size=3)
    options = {"cadence": "weekly", "weekday": 1, "time": "19:00"}
    await sim.slash(g.leader, "schedule set", channel=g.lobby, options=options)
    await sim.slash(g.leader, "schedule events", channel=g.lobby, options={"state": "off"})
    assert not world.guild.events
    asyncio.current_task().set_name("sim-ignore-test")  # awaits a click: not its work
    sim.inject("POST", EVENTS, 429, retry_after=0.5)  # Discord makes the create wait
    on = asyncio.create_task(
        sim.slash(g.leader, "schedule events", channel=g.lobby, options={"state": "on"}),
        name="sim-ignore-events-on",
    )
    await asyncio.sleep(0.2)  # the replan is waiting out the rate limit
    off = await sim.slash(g.leader, "schedule events", channel=g.lobby, options={"state": "off"})
    await on
    await sim.settle()
    assert "off" in off.text, off.text
    group = await group_store.get(world.bot.db, g.group.id)
    assert group is not None and not group.events_enabled
    assert not world.guild.events, "an event announcing a meeting, with events turned off"
    (row,) = await store.planned_for_group(world.bot.db, g.group.id)
    assert row.event_id is None
