"""/session start whose frame or status message Discord posted but whose answer was lost.

In a group's permanent session channel, the roll-back deleted only the messages whose id
had come back: the leader read "nothing was left half-done" while a frame with its
buttons stayed in the channel for good (each purge starts at its own session's frame).
Now a send whose answer was lost is sent again with the same nonce: Discord returns the
message it made (enforce_nonce, Create Message) instead of a second, and the start goes on.
"""

from __future__ import annotations

import pytest

from bot.sim.faults import NETWORK
from bot.sim.scenario import Scenario
from bot.store import sessions as session_store
from tests.session_support import start_session
from tests.support import inject_after
from tests.test_permanent_channel import alive, permanent_group

MESSAGES = "/channels/{channel_id}/messages"


@pytest.mark.parametrize("status", [NETWORK, 503])
@pytest.mark.parametrize("after", [0, 1], ids=["frame", "status"])
async def test_a_lost_message_answer_leaves_no_stale_frame_in_the_permanent_channel(
    scenario: Scenario, after: int, status: int
) -> None:
    sim = scenario.sim
    handle = await permanent_group(scenario)
    _, room = await start_session(scenario, handle)
    await sim.slash(handle.leader, "session end", channel=room)
    await scenario.advance(minutes=61)
    await sim.settle()
    assert alive(room) == []
    inject_after(sim, "POST", MESSAGES, after, status, lost=True)
    result = await sim.slash(handle.leader, "session start", channel=handle.lobby)
    await sim.settle()
    if await session_store.live_for_group(scenario.bot.db, handle.group.id) is None:
        assert "Nothing was left" not in result.text or alive(room) == [], result.text
        await start_session(scenario, handle)  # the leader tries again
    assert len(alive(room)) == 2, "a second frame or status message"
    await sim.slash(handle.leader, "session end", channel=room)
    await scenario.advance(minutes=61)
    await sim.settle()
    assert alive(room) == [], "a stale frame stays in the permanent channel"
