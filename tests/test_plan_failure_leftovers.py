"""A phase change Discord refuses leaves the store as it was, saved overwrites included.

Why: before a target's overwrite is first changed the applier saves it (the session's
end puts it back). A refused plan used to keep the rows it saved for targets it never
changed, though the leader is told the meeting stays where it was: a hand edit of such
an overwrite before the next change was then lost, overwritten from the stale copy.
"""

from __future__ import annotations

import pytest

from bot.store import session_perms
from tests.session_support import leader, reload, start_session
from tests.support import make_group

PERMISSION_ROUTE = "/channels/{channel_id}/permissions/{overwrite_id}"


@pytest.mark.parametrize(
    ("status", "code"), [(403, 50013), (403, 50001), (404, 10003), (503, None)]
)
async def test_a_refused_phase_change_keeps_no_new_saved_overwrite(scenario, status, code):
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=handle.members[0])
    before = await session_perms.saved_overwrites(world.bot.db, channel.id)
    sim.inject("PUT", PERMISSION_ROUTE, status, code)
    result = await leader(world, handle, "phase next", channel)
    assert "stays in" in result.text, result.text
    assert (await reload(world, session)).applied_phase == "case_call"
    assert await session_perms.saved_overwrites(world.bot.db, channel.id) == before
    result = await leader(world, handle, "phase next", channel)
    assert "stays in" not in result.text, result.text
    assert (await reload(world, session)).applied_phase == "presentation"
    assert handle.members[0].id in await session_perms.saved_overwrites(world.bot.db, channel.id)
