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


async def test_events_off_whose_delete_failed_does_not_say_it_was_removed(scenario) -> None:
    """The answer used to say "I removed the upcoming one" before the note that Discord
    refused the delete: now it says the event is still there, and why."""
    world, sim = scenario, scenario.sim
    g = await make_group(world, size=3)
    options = {"cadence": "weekly", "weekday": 1, "time": "19:00"}
    await sim.slash(g.leader, "schedule set", channel=g.lobby, options=options)
    assert len(world.guild.events) == 1
    sim.inject("DELETE", EVENTS + "/{event_id}", 403, 50013)
    off = await sim.slash(g.leader, "schedule events", channel=g.lobby, options={"state": "off"})
    assert "removed" not in off.text, off.text
    assert "still in the server's Events" in off.text, off.text
    assert "Create Events" in off.text, off.text
    (kept,) = world.guild.events  # refused: left to an admin, as the answer says
    # With nothing in the way, the answer does not speak of an event left behind.
    on = await sim.slash(g.leader, "schedule events", channel=g.lobby, options={"state": "on"})
    assert "are on" in on.text, on.text
    assert len(world.guild.events) == 2
    off = await sim.slash(g.leader, "schedule events", channel=g.lobby, options={"state": "off"})
    assert "I make no new ones." in off.text and "still" not in off.text, off.text
    assert list(world.guild.events) == [kept]
