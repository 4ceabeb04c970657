"""/group repair when the connection breaks after it recreated something.

A repair keeps what it recreated (each new id is stored at once), so a break part-way is
finished by running it again. Two things went wrong: the leader read "nothing was left
half-made" (the role had been recreated), and the second run found nothing missing and
never moved the surviving channels to the new role, so the members stayed locked out of
their own lobby.
"""

from __future__ import annotations

import pytest

from bot.sim.faults import NETWORK
from bot.sim.scenario import Scenario
from bot.store import groups as group_store
from bot.texts import groups as texts
from tests.nth_call import fail_calls
from tests.support import make_group

# After the role's re-creation (call 1): the category's, the lobby's and the leaders'
# channel's overwrites move to the new role (calls 2-4), then the role is given (5-8).
REFITS = [2, 3, 4]


@pytest.mark.parametrize("at", REFITS)
@pytest.mark.parametrize("status", [NETWORK, 403])
async def test_a_repair_broken_part_way_is_finished_by_the_next(
    scenario: Scenario, at: int, status: int
) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    sim.remove_role(scenario.guild, handle.role)  # deleted by hand; the leaders are told
    await sim.settle()
    armed = fail_calls(sim, {at}, status)
    first = await sim.slash(handle.leader, "group repair", options={"group": handle.name})
    await sim.settle()
    armed.disarm(sim)
    assert armed.failed and armed.seen[0] == "POST /guilds/{guild_id}/roles", armed.seen
    assert first.ephemeral
    assert texts.NOTHING_LEFT not in first.text, first.text
    assert "/group repair" in first.text, first.text
    second = await sim.slash(handle.leader, "group repair", options={"group": handle.name})
    await sim.settle()
    assert second.ephemeral
    group = await group_store.get(scenario.bot.db, handle.group.id)
    assert group is not None
    lobby = sim.channel(group.lobby_channel_id)
    assert lobby is not None and lobby.id == handle.lobby.id
    locked_out = [p.name for p in handle.everyone if not sim.can(p, lobby, "send_messages")]
    assert locked_out == [], f"{second.text}: still locked out of the lobby"
    leaders_channel = sim.channel(group.leaders_channel_id)
    assert not any(sim.can(p, leaders_channel) for p in handle.members)
    assert sim.errors == []
