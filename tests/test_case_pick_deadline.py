"""/case pick waits for the meeting's lock: it must still be answered within Discord's 3 s.

Since /case pick takes the meeting's own lock (the one /phase next and /session end hold
while they write to Discord), a pick arriving during a slow change waits for it. The
simulator refuses a first answer given more than 3 s after the interaction (10062).
"""

from __future__ import annotations

from bot.sim.scenario import Scenario
from bot.texts import facilitation as texts
from tests.session_support import during_permission_write, leader, reload, start_session
from tests.support import make_group

PERMISSION = "/channels/{channel_id}/permissions/{overwrite_id}"


async def test_a_pick_during_a_rate_limited_phase_change_is_answered_in_time(
    scenario: Scenario,
) -> None:
    """The co-leader picks b while the leader's /phase next is written to Discord, and
    Discord rate-limits that write for 3.2 s. The pick waited on the meeting's lock without
    deferring, so its answer came too late: the co-leader saw "This interaction failed".
    It is now deferred before it waits, and told the meeting has moved on."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4, co_leader=world.people[10])
    session, channel = await start_session(world, handle)
    a, b = handle.members[:2]
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "case pick", channel, member=a)
    sim.inject("PUT", PERMISSION, 429, retry_after=3.2)
    pick = sim.slash(handle.co_leader, "case pick", channel=channel, options={"member": b})
    second = during_permission_write(world, channel.id, pick)
    moved = await sim.slash(handle.leader, "phase next", channel=channel)
    picked = await second[0]
    await sim.settle()
    assert (await reload(world, session)).phase == "presentation", moved.text
    assert picked.responded, "no answer reached Discord within 3 s of the command"
    assert picked.ephemeral
    assert picked.text == texts.ALREADY_MOVED.format(phase=texts.PHASE_NAMES["presentation"])
