"""/group repair when Discord makes the missing lobby or role but its answer is lost.

Before, the repair stopped ("run /group repair again") with the new lobby or role made
but unknown to the bot; the second run made another: the members saw two lobbies of
their group (the first one never used), or the server kept a second role of its name.
"""

from __future__ import annotations

import pytest

from bot.sim.faults import NETWORK
from bot.sim.scenario import Scenario
from bot.store import groups as group_store
from tests.support import make_group

CHANNELS = "/guilds/{guild_id}/channels"
ROLES = "/guilds/{guild_id}/roles"


async def _repair_twice(scenario: Scenario, handle, route: str, status: int) -> list[str]:
    sim = scenario.sim
    sim.inject_lost("POST", route, status)
    answers = []
    for _ in range(2):  # the leader runs it again if told to
        result = await sim.slash(handle.leader, "group repair", options={"group": handle.name})
        await sim.settle()
        answers.append(result.text)
    return answers


@pytest.mark.parametrize("status", [NETWORK, 503])
async def test_a_lost_answer_on_the_lobby_leaves_one_lobby(scenario: Scenario, status: int) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    await sim.delete_channel(handle.lobby)  # deleted by hand
    answers = await _repair_twice(scenario, handle, CHANNELS, status)
    group = await group_store.get(scenario.bot.db, handle.group.id)
    assert group is not None
    lobbies = [c for c in scenario.guild.channels.values() if c.name.endswith("-lobby")]
    seen = [c for c in lobbies if sim.can(handle.members[0], c)]
    assert [c.id for c in seen] == [group.lobby_channel_id], (answers, [c.name for c in seen])


@pytest.mark.parametrize("status", [NETWORK, 503])
async def test_a_lost_answer_on_the_role_leaves_one_role(scenario: Scenario, status: int) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    sim.remove_role(scenario.guild, handle.role)  # deleted by hand
    await sim.settle()
    answers = await _repair_twice(scenario, handle, ROLES, status)
    group = await group_store.get(scenario.bot.db, handle.group.id)
    assert group is not None
    named = [r.id for r in scenario.guild.roles.values() if r.name == handle.name]
    assert named == [group.role_id], answers
    lobby = sim.channel(group.lobby_channel_id)
    assert all(sim.can(p, lobby, "send_messages") for p in handle.everyone), answers
