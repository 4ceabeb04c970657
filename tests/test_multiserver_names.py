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


async def test_dms_of_same_named_groups_of_two_servers_say_which_server(scenario) -> None:
    """A GP in "Thursday Balint" on two servers: the reminders of each name its server,
    so the GP knows which meeting is meant; a member of only one of them gets the plain
    name."""
    from tests.multiserver_support import weekly

    world = scenario
    p = world.people
    coastal = await second_server(world)
    both, only_here = p[5], p[1]
    here = await make_group(world, name="Thursday Balint", leader=p[0], members=[only_here, both])
    there = await make_group(
        world, name="Thursday Balint", leader=p[2], members=[p[3], both], guild=coastal
    )
    await weekly(world, here)
    await weekly(world, there, time="20:00")
    await world.advance(days=4)  # past both 24 h reminders of Thursday
    reminders = [m.content for m in world.sim.dms_to(both) if "Thursday Balint" in m.content]
    assert any("Thursday Balint (Rural GPs)" in text for text in reminders), reminders
    assert any("Thursday Balint (Coastal GPs)" in text for text in reminders), reminders
    plain = [m.content for m in world.sim.dms_to(only_here) if "Thursday Balint" in m.content]
    assert plain and not any("(Rural GPs)" in text for text in plain), plain
