"""A retried timer never says something stale: its grace runs from its first due time.

Found by review: a retry stored its new time over the timer's due time, and the grace
(how late a timer may still run) was measured from that. A meeting's auto-advance whose
permission write kept failing, with the bot down past its grace, moved the meeting on at
restart 40 minutes after the phase's time was up, past the 30 minutes it may be late.
"""

from __future__ import annotations

from datetime import timedelta

from bot.store import groups as group_store
from bot.store import timers as timer_store
from tests.retry_support import phase_end_timer
from tests.session_support import leader, phase, start_session
from tests.support import make_group

PERMISSION_ROUTE = "/channels/{channel_id}/permissions/{overwrite_id}"
EVERY = 1000  # every permission write fails (a failed write is also put back: it may have landed)


async def test_an_auto_advance_retried_across_a_restart_past_its_grace_is_missed(scenario):
    """The case call's time is up at T; its permission write fails at T, T+1 and T+6 (the
    next try at T+21). The bot is down from T+10 to T+40. Before, it moved the meeting on
    at T+40 (its retry time was only 19 minutes ago); the grace, 30 minutes, is over."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4)
    await group_store.update_settings(world.bot.db, handle.group.id, auto_advance=1)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=handle.members[0])
    key, due = await phase_end_timer(world)
    sim.inject_network("PUT", PERMISSION_ROUTE, times=EVERY)  # each try, and its undo
    await world.advance(seconds=(due - world.clock.now()).total_seconds() + 10 * 60)
    sim._injections.clear()  # noqa: SLF001 - the connection is back
    assert await phase(world, session) == "case_call"
    timer = await timer_store.by_key(world.bot.db, key)
    assert timer is not None and timer.retries == 3  # its last try is at T+21
    await sim.detach(world.bot)
    world.clock.set(due + timedelta(minutes=40))
    await world.start()
    await sim.settle()
    assert await phase(world, session) == "case_call"
    timer = await timer_store.get(world.bot.db, timer.id)
    assert timer is not None and timer.state == timer_store.MISSED


async def test_an_auto_advance_retried_across_a_short_restart_still_moves_on(scenario):
    """Within the grace from its first due time the retry still runs at start-up, once."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4)
    await group_store.update_settings(world.bot.db, handle.group.id, auto_advance=1)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=handle.members[0])
    _, due = await phase_end_timer(world)
    sim.inject_network("PUT", PERMISSION_ROUTE, times=EVERY)  # each try, and its undo
    await world.advance(seconds=(due - world.clock.now()).total_seconds() + 2 * 60)
    sim._injections.clear()  # noqa: SLF001 - the connection is back
    assert await phase(world, session) == "case_call"  # the next try is at T+6
    await sim.detach(world.bot)
    world.clock.set(due + timedelta(minutes=20))
    await world.start()
    await sim.settle()
    assert await phase(world, session) == "presentation"
