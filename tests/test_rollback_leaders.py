"""/group leaders when the grant breaks and so does the roll-back of the leaders' channel.

Naming someone new opens the leaders' channel to them, then gives them the group's
role. If the grant breaks, the channel is put back; if that breaks too, the person whose
naming was rolled back can still read the leaders' channel. The organiser read "nothing
was left half-made"; now they read what was left and that `/group repair` closes it.
"""

from __future__ import annotations

import pytest

from bot.sim.faults import NETWORK
from bot.sim.scenario import Scenario
from bot.store import groups as group_store
from bot.texts import groups as texts
from tests.nth_call import fail_calls
from tests.support import make_group


@pytest.mark.parametrize("status", [NETWORK, 403])
async def test_a_leaders_roll_back_that_breaks_says_what_to_repair(
    scenario: Scenario, status: int
) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    newcomer = scenario.people[-1]  # not in the group: named, they get the role
    leaders_channel = sim.channel(handle.group.leaders_channel_id)
    armed = fail_calls(sim, {2, 3}, status)  # the grant, then the channel's put-back
    result = await sim.slash(
        scenario.organiser,
        "group leaders",
        options={"group": handle.name, "leader": handle.leader, "co_leader": newcomer},
    )
    await sim.settle()
    armed.disarm(sim)
    assert [c.split()[0] for c in armed.failed] == ["PUT", "PATCH"], armed.seen
    assert result.ephemeral
    membership = await group_store.membership(scenario.bot.db, handle.group.id, newcomer.id)
    assert membership is None or membership.left_at is not None
    assert sim.can(newcomer, leaders_channel), "the put-back's break was not reached"
    assert texts.NOTHING_LEFT not in result.text, result.text
    assert "/group repair" in result.text, result.text
    repaired = await sim.slash(handle.leader, "group repair", options={"group": handle.name})
    await sim.settle()
    assert not sim.can(newcomer, leaders_channel), repaired.text
    assert sim.can(handle.leader, leaders_channel)
    assert sim.errors == []
