"""An auto-advance the clock gives up at once must not promise the leaders a retry.

A phase's auto-advance may run up to 30 minutes late (after a restart). A passing failure
is retried a minute later only if that retry still falls within those 30 minutes; if not,
the clock gives it up at once (bot/timer_kinds.py final_try).
"""

from __future__ import annotations

from datetime import timedelta

from bot.store import groups as group_store
from bot.store import timers as timer_store
from bot.texts import facilitation as texts
from tests.retry_support import phase_end_timer
from tests.session_support import leader, phase, start_session
from tests.support import make_group

PERMISSION_ROUTE = "/channels/{channel_id}/permissions/{overwrite_id}"
RETRY_WORDS = "I will try again in a minute"


async def test_a_late_auto_advance_given_up_does_not_say_it_will_try_again(scenario):
    """The bot comes back 29.5 minutes after the case call's time was up, and Discord's
    connection breaks on the permission write. The leaders read "I will try again in a
    minute", but no try could come within the grace: the timer was marked missed at once
    and the meeting stayed where it was, the leaders waiting for a move that never came."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4)
    await group_store.update_settings(world.bot.db, handle.group.id, auto_advance=1)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=handle.members[0])
    key, due = await phase_end_timer(world)
    await sim.detach(world.bot)
    world.clock.set(due + timedelta(minutes=29, seconds=30))
    sim.inject_network("PUT", PERMISSION_ROUTE)  # the move's write; its undo goes through
    await world.start()
    await sim.settle()
    sim._injections.clear()  # noqa: SLF001 - the connection is back
    timer = await timer_store.by_key(world.bot.db, key)
    assert timer is not None and timer.state == timer_store.MISSED
    assert await phase(world, session) == "case_call"
    told = [m.content for m in sim.dms_to(handle.leader)]
    assert not [t for t in told if RETRY_WORDS in t], told
    given_up = texts.DM_AUTO_ADVANCE_GIVEN_UP.format(
        group=handle.group.name, phase=texts.PHASE_NAMES["case_call"]
    )
    assert given_up in told, told
