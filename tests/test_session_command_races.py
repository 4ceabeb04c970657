"""Session commands racing another leader's change: what they depend on is read under the lock.

Each test drives two interactions through the simulator, the second arriving while the
first's change is being written to Discord, and failed before its fix.
"""

from __future__ import annotations

from bot.sim.scenario import Scenario
from bot.texts import facilitation as texts
from tests.session_support import (
    during_permission_write,
    leader,
    reload,
    start_session,
)
from tests.support import make_group


async def _in_discussion(world: Scenario, handle, channel) -> None:  # type: ignore[no-untyped-def]
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=handle.members[0])
    await leader(world, handle, "phase goto", channel, phase="discussion")


async def test_round_start_for_a_phase_the_meeting_just_left_starts_no_round(
    scenario: Scenario,
) -> None:
    """The leader asks for a round in the discussion as the co-leader moves on to the
    presenter's return: the round read the discussion before the move and started after
    it, in the presenter's return, where only the presenter speaks and nobody asked for
    one."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4, co_leader=world.people[10])
    session, channel = await start_session(world, handle)
    await _in_discussion(world, handle, channel)
    round_start = sim.slash(
        handle.leader, "round start", channel=channel, options={"phase": "discussion"}
    )
    second = during_permission_write(world, channel.id, round_start)
    moved = await sim.slash(handle.co_leader, "phase next", channel=channel)
    asked = await second[0]
    await sim.settle()
    fresh = await reload(world, session)
    assert fresh.phase == "return", moved.text
    assert fresh.round_phase is None and fresh.floor_holder_id is None, asked.text
    assert asked.text == texts.ALREADY_MOVED.format(phase=texts.PHASE_NAMES["return"])
