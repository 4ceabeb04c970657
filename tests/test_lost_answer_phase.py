"""A phase change whose permission write Discord carried out but whose answer was lost.

A connection reset after the PUT was sent, or a 503 from Discord's edge: the overwrite IS
changed, the bot sees a failure. Before, the roll-back put back only the writes whose
answer had come, so the leader read "the meeting stays in Check-in" while the members
could no longer write (the lost write stayed). Now a write that may have been carried
out is put back too; a retry of the command is harmless (each write is a PUT of the
whole overwrite).
"""

from __future__ import annotations

import pytest

from bot.sim.faults import NETWORK
from bot.sim.scenario import Scenario
from bot.store import sessions as session_store
from tests.nth_call import fail_calls
from tests.session_support import start_session, who_can_post
from tests.support import make_group


@pytest.mark.parametrize("status", [NETWORK, 503])
async def test_a_lost_answer_on_the_end_leaves_the_meeting_as_the_leader_is_told(
    scenario: Scenario, status: int
) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    session, channel = await start_session(scenario, handle)
    await sim.settle()
    everyone = {p.name for p in handle.everyone}
    assert who_can_post(scenario, channel, handle.everyone) == everyone
    armed = fail_calls(sim, {1}, status, lost=True)  # the role's overwrite: read-only
    first = await sim.slash(handle.leader, "session end", options={"group": handle.name})
    await sim.settle()
    armed.disarm(sim)
    assert armed.failed and armed.failed[0].startswith("PUT"), armed.seen
    assert await session_store.live_for_group(scenario.bot.db, handle.group.id) is not None
    assert "stays in" in first.text, first.text
    posting = who_can_post(scenario, channel, handle.everyone)
    assert posting == everyone, f"told it stays in Check-in, but only {posting} may write"
    again = await sim.slash(handle.leader, "session end", options={"group": handle.name})
    await sim.settle()
    assert await session_store.live_for_group(scenario.bot.db, handle.group.id) is None, again.text
    assert who_can_post(scenario, channel, handle.everyone) == set()
    assert sim.errors == []
