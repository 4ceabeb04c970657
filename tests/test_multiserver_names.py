"""Two servers with a group of the same name: what a member gets keeps them apart."""

from __future__ import annotations

import json

from tests.multiserver_support import second_server
from tests.support import make_group


async def test_privacy_export_tells_same_named_groups_of_two_servers_apart(scenario) -> None:
    world = scenario
    p = world.people
    coastal = await second_server(world)
    both = p[5]
    await make_group(world, name="Thursday Balint", leader=p[0], members=[p[1], both])
    await make_group(
        world, name="Thursday Balint", leader=p[2], members=[p[3], both], guild=coastal
    )
    result = await world.sim.slash(both, "privacy export", in_dm=True)
    summary = dict(result.files)["balint-bot-my-data.txt"].decode()
    memberships = [line for line in summary.splitlines() if line.startswith("- Thursday Balint")]
    memberships = [line for line in memberships if "joined" in line]
    assert len(memberships) == 2
    assert memberships[0] != memberships[1], memberships
    assert any("Rural GPs" in line for line in memberships)
    assert any("Coastal GPs" in line for line in memberships)
    document = json.loads(dict(result.files)["balint-bot-my-data.json"])
    servers = {g["server_id"] for g in document["groups"].values()}
    assert servers == {str(world.guild.id), str(coastal.id)}
