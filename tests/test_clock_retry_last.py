"""The last retry of a meeting's auto-advance fails too: the timer ends failed, once, and
the log says which timer and why without a word of what members wrote."""

from __future__ import annotations

import logging

from bot.clock import RETRY_AFTER
from bot.store import groups as group_store
from bot.store import timers as timer_store
from tests.retry_support import phase_end_timer
from tests.session_support import leader, phase, start_session
from tests.support import make_group

PERMISSION_ROUTE = "/channels/{channel_id}/permissions/{overwrite_id}"
SAID = "my patient Mrs Quillfeather keeps coming back"


async def test_an_auto_advance_failing_on_its_last_retry_ends_failed_without_content(
    scenario, caplog
):
    caplog.set_level(logging.DEBUG)
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4)
    await group_store.update_settings(world.bot.db, handle.group.id, auto_advance=1)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=handle.members[0])
    await sim.post(handle.members[0], channel, SAID)
    key, due = await phase_end_timer(world)
    # Every write fails, each try's and its undo's (a failed write may have landed).
    sim.inject_network("PUT", PERMISSION_ROUTE, times=1000)
    await world.advance(seconds=(due - world.clock.now()).total_seconds() + 25 * 60)
    sim._injections.clear()  # noqa: SLF001 - the connection is back
    assert await phase(world, session) == "case_call"
    timer = await timer_store.by_key(world.bot.db, key)
    assert timer is not None and timer.state == timer_store.FAILED
    assert timer.retries == len(RETRY_AFTER)
    formatter = logging.Formatter()
    logged = [formatter.format(r) for r in caplog.records]
    assert not [line for line in logged if "Quillfeather" in line]
    failed = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in failed] == [f"timer {timer.id} (session_phase_end) failed"]
    leaders_told = [m for m in sim.dms_to(handle.leader) if "could not move on" in m.content]
    assert len(leaders_told) == 1  # at the first failure only, not at each retry
    sim.errors.clear()  # the failure is logged at ERROR on purpose: asserted above
