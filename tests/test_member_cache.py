"""After a restart the bot knows every member, as on Discord.

Without the presences intent Discord's GUILD_CREATE holds only the bot and the users
in voice (the simulator sends it that way), so the bot must request the members at
start-up; otherwise roles could not be given or taken after a restart.
"""

from __future__ import annotations

from bot.sim.payloads import guild as guild_payload
from bot.store import groups as group_store
from tests.support import make_group


async def test_guild_create_holds_only_the_bot_and_voice_users(scenario) -> None:
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4)
    payload = guild_payload(world.guild, sim.world.users, self_id=sim.bot_user.id)
    sent = {int(m["user"]["id"]) for m in payload["members"]}
    assert sent == {sim.bot_user.id}
    assert payload["member_count"] > len(sent)
    guild = world.bot.get_guild(world.guild.id)
    assert guild is not None and guild.chunked
    assert all(guild.get_member(u.id) is not None for u in handle.everyone)


async def test_group_remove_after_restart_takes_the_role(scenario) -> None:
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4)
    leaving = handle.members[0]
    await world.restart()
    await sim.slash(
        handle.leader, "group remove", channel=handle.lobby, options={"member": leaving}
    )
    membership = await group_store.membership(world.bot.db, handle.group.id, leaving.id)
    assert membership is not None and membership.left_at is not None
    assert not sim.can(leaving, handle.lobby, "view_channel")


async def test_agree_button_after_restart_grants_the_role(scenario) -> None:
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=2)
    newcomer = world.people[5]
    await sim.slash(handle.leader, "group add", channel=handle.lobby, options={"member": newcomer})
    await sim.settle()
    await world.restart()
    dm = next(
        m
        for m in sim.dms_to(newcomer)
        if any(c.startswith("balint:agree:") for c in m.custom_ids())
    )
    custom_id = next(c for c in dm.custom_ids() if c.startswith("balint:agree:"))
    await sim.click(newcomer, dm, custom_id)
    await sim.settle()
    assert sim.can(newcomer, handle.lobby, "view_channel")


async def test_forget_after_restart_takes_the_role(scenario) -> None:
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=2)
    me = handle.members[0]
    await world.restart()
    asked = await sim.slash(me, "privacy forget", in_dm=True)
    await sim.click(me, asked.original, f"balint:forget:{me.id}")
    await sim.settle()
    assert not sim.can(me, handle.lobby, "view_channel")
