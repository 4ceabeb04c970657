"""/session end when a permission write breaks and so does the roll-back of the first one.

The end is one permission plan (the role read-only, the per-person allows removed). A
break on its second write is undone by putting the first back; when that breaks too,
the channel is part-way between the meeting and its end. The leader read "the meeting
stays in Check-in" as if nothing had changed, while members may no longer write; now they
read that it did not all go back and to run the command again, which finishes it.
"""

from __future__ import annotations

import pytest

from bot.sim.faults import NETWORK
from bot.sim.scenario import Scenario
from bot.store import sessions as session_store
from bot.texts import facilitation as texts
from tests.nth_call import fail_calls
from tests.session_support import start_session
from tests.support import make_group


@pytest.mark.parametrize("status", [NETWORK, 403])
async def test_an_end_whose_roll_back_breaks_says_so_and_a_retry_finishes(
    scenario: Scenario, status: int
) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    session, channel = await start_session(scenario, handle)
    await sim.settle()
    armed = fail_calls(sim, {2, 3}, status)  # the plan's 2nd write, then the undo of the 1st
    first = await sim.slash(handle.leader, "session end", options={"group": handle.name})
    await sim.settle()
    armed.disarm(sim)
    assert [c.split()[0] for c in armed.failed] == ["DELETE", "PUT"], armed.seen
    assert first.ephemeral
    assert await session_store.live_for_group(scenario.bot.db, handle.group.id) is not None
    assert "stays in" not in first.text, first.text
    assert "Run the same command again" in first.text, first.text
    again = await sim.slash(handle.leader, "session end", options={"group": handle.name})
    await sim.settle()
    assert await session_store.live_for_group(scenario.bot.db, handle.group.id) is None, again.text
    assert not any(sim.can(p, channel, "send_messages") for p in handle.members)
    assert sim.errors == []


async def test_an_end_whose_roll_back_works_still_says_it_stays(scenario: Scenario) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    await start_session(scenario, handle)
    await sim.settle()
    armed = fail_calls(sim, {2})
    first = await sim.slash(handle.leader, "session end", options={"group": handle.name})
    await sim.settle()
    armed.disarm(sim)
    assert "stays in" in first.text, first.text
    assert "Run the same command again" not in first.text, first.text
    assert "Run the same command again" in texts.APPLY_NOT_UNDONE
