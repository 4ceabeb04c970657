"""A Discord-compatible server (Spacebar and the like) that lacks an optional endpoint.

Why: such a server answers a route it does not have with 404 and Discord's generic body
(`{"message": "404: Not Found", "code": 0}`), or with 405/501. That is not "the thing
was deleted" (a 404 with an Unknown-<Thing> code such as 10070): the bot must not make
a new event each time it cannot edit the old one, nor tell a leader something was
removed that is still there, nor count the threads of a purged channel as gone.
"""

from __future__ import annotations

from bot.sim.scenario import Scenario
from bot.store import schedules as store
from bot.texts import scheduling as texts
from tests.support import GroupHandle, make_group

EVENTS = "/guilds/{guild_id}/scheduled-events"
EVENT = "/guilds/{guild_id}/scheduled-events/{event_id}"
ROUTE_MISSING = "404: Not Found"  # Discord's generic body for a route it does not know
FOREVER = 1000  # an injection that outlasts the test


async def weekly(world: Scenario, g: GroupHandle) -> str:
    opts = {"cadence": "weekly", "weekday": 1, "time": "19:00"}
    result = await world.sim.slash(g.leader, "schedule set", channel=g.lobby, options=opts)
    assert "every Tuesday at 19:00" in result.text, result.text
    return result.text


async def planned(world: Scenario, g: GroupHandle) -> list[store.Planned]:
    return await store.planned_for_group(world.bot.db, g.group.id, ending_after=world.clock.now())


async def move(world: Scenario, g: GroupHandle, day: str, new_day: str) -> str:
    opts = {"date": day, "new_date": new_day, "new_time": "18:30"}
    result = await world.sim.slash(g.leader, "schedule move", channel=g.lobby, options=opts)
    assert "moved" in result.text, result.text
    return result.text


async def test_event_edit_route_missing_makes_no_second_event(scenario) -> None:
    """PATCH unknown: the event is not "deleted by hand", so no new one is made beside it."""
    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g)
    (row,) = await planned(world, g)
    assert row.event_id in world.guild.events
    world.sim.inject("PATCH", EVENT, 404, 0, times=FOREVER, message=ROUTE_MISSING)
    world.sim.reset_calls()
    answer = await move(world, g, "2026-11-24", "2026-11-26")
    await move(world, g, "2026-11-26", "2026-11-27")
    assert list(world.guild.events) == [row.event_id], "one event, never a copy per move"
    assert world.sim.calls_matching("POST", EVENTS) == []
    assert texts.EVENT_FAILED["no_route"] in answer  # the event did not follow, and why


async def test_event_edit_of_a_deleted_event_still_makes_a_new_one(scenario) -> None:
    """10070 Unknown Guild Scheduled Event: deleted by hand, so a new one is made."""
    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g)
    (row,) = await planned(world, g)
    world.guild.events.pop(row.event_id)
    answer = await move(world, g, "2026-11-24", "2026-11-26")
    (moved,) = await planned(world, g)
    assert moved.event_id is not None and moved.event_id != row.event_id
    assert list(world.guild.events) == [moved.event_id]
    assert not any(note in answer for note in texts.EVENT_FAILED.values())


async def test_event_delete_route_missing_is_not_reported_as_removed(scenario) -> None:
    """DELETE unknown: the event is still on the server; the leader is told it was not removed."""
    world = scenario
    g = await make_group(world, size=3)
    await weekly(world, g)
    world.sim.inject("DELETE", EVENT, 404, 0, times=FOREVER, message=ROUTE_MISSING)
    off = await world.sim.slash(
        g.leader, "schedule events", channel=g.lobby, options={"state": "off"}
    )
    assert len(world.guild.events) == 1
    assert texts.EVENT_FAILED["no_route"] in off.text, off.text
