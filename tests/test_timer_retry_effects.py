"""Idempotent timers whose work Discord failed for a passing reason run again (bot/clock.py
RETRY_AFTER): the work they promise is done by a later run, and done once.

Found by review: the handlers caught their own Discord failures, so the clock never saw
one to retry; an auto-advance whose permission write met a broken connection stayed
undone for good, as before the retries existed.
"""

from __future__ import annotations

from bot.clock import RETRY_AFTER
from bot.store import groups as group_store
from tests.session_support import leader, phase, start_session, who_can_post
from tests.support import make_group

PERMISSION_ROUTE = "/channels/{channel_id}/permissions/{overwrite_id}"


async def test_an_auto_advance_the_network_broke_moves_on_a_minute_later(scenario):
    """Auto-advance on: at the case call's deadline the permission write meets a connection
    reset (ApplyFailed, status 0: undone, the meeting stays in the case call). Before, the
    timer ended done and the meeting never moved on by itself; now it runs again a minute
    later and moves to the presentation. The leaders hear of the failure once."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4)
    await group_store.update_settings(world.bot.db, handle.group.id, auto_advance=1)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=handle.members[0])
    sim.inject_network("PUT", PERMISSION_ROUTE)
    await world.advance(minutes=5)
    assert await phase(world, session) == "case_call"
    failed = [m for m in sim.dms_to(handle.leader) if "could not move on" in m.content]
    assert len(failed) == 1
    await world.advance(seconds=RETRY_AFTER[0].total_seconds())
    assert await phase(world, session) == "presentation"
    assert who_can_post(world, channel, handle.everyone) == {
        handle.leader.name,
        handle.members[0].name,
    }
    assert [m for m in sim.dms_to(handle.leader) if "could not move on" in m.content] == failed


async def test_an_auto_advance_discord_refused_is_not_tried_again(scenario):
    """A 403 on the write stays a 403 until someone acts: told once, never run again."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4)
    await group_store.update_settings(world.bot.db, handle.group.id, auto_advance=1)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=handle.members[0])
    sim.inject("PUT", PERMISSION_ROUTE, 403, 50013, times=100)
    await world.advance(minutes=30)
    assert await phase(world, session) == "case_call"
    failed = [m for m in sim.dms_to(handle.leader) if "could not move on" in m.content]
    assert len(failed) == 1
    assert len(sim.calls_matching("PUT", PERMISSION_ROUTE)) == 1  # the one run only
