"""Best-effort repairs and roll-backs carry on when the network breaks under one call.

discord.py raises aiohttp's errors (not an HTTPException) when a connection is reset:
a repair loop that caught only HTTPException stopped at that call and left the rest
undone (and the error escaped its task or the command).
"""

from __future__ import annotations

from bot.sim.faults import NETWORK
from bot.sim.scenario import Scenario
from bot.sim.world import Overwrite
from tests.support import make_group

PERMISSION = "/channels/{channel_id}/permissions/{overwrite_id}"
VIEW_CHANNEL = 1 << 10


async def test_a_leaders_channel_repair_the_network_breaks_still_fixes_the_rest(
    scenario: Scenario,
) -> None:
    """Two hand-made readers of the leaders' channel while the bot was down; the removal of
    the first breaks: the second still loses access at READY, the first at the next one."""
    sim = scenario.sim
    handle = await make_group(scenario, size=2)
    leaders_channel = sim.channel(handle.group.leaders_channel_id)
    assert leaders_channel is not None
    readers = handle.members[:2]
    await scenario.stop()
    for member in readers:
        leaders_channel.overwrites[member.id] = Overwrite(member.id, 1, allow=VIEW_CHANNEL)
    sim.inject_network("DELETE", PERMISSION)
    await scenario.start()
    await sim.settle()
    broken = [c for c in sim.calls if c.route == PERMISSION and c.status == NETWORK]
    assert len(broken) == 1, "the reset was not reached"
    still = [m for m in readers if sim.can(m, leaders_channel)]
    assert len(still) == 1, f"{len(still)} of 2 hand-made readers kept access after one reset"
    assert sim.errors == []
    await scenario.restart()
    await sim.settle()
    assert not any(sim.can(m, leaders_channel) for m in readers)
    assert sim.can(handle.leader, leaders_channel)
