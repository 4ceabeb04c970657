"""A second READY (discord.py re-identifies after a refused RESUME) while a channel is new.

At each READY the bot compares the channels its store names with discord.py's cache,
rebuilt from each guild's GUILD_CREATE: what is missing was deleted while the bot was
not listening. A channel made just after Discord took that snapshot reaches the cache
only with its CHANNEL_CREATE, which Discord sends after GUILD_CREATE and orders with no
REST answer: the bot may have stored the channel (from the REST answer) before. It was
then judged deleted: the leaders were told someone deleted their channel and its id was
cleared (so /group repair made a second one), or a permanent session channel was
forgotten with its saved overwrites. Such a channel is now asked of Discord first.
"""

from __future__ import annotations

from bot.sim import payloads as P
from bot.store import groups as group_store
from tests.session_support import start_session
from tests.support import make_group


def deleted_notices(world, handle) -> list[str]:
    channel = world.sim.channel(handle.group.leaders_channel_id)
    found = [m.content for m in world.sim.dms_to(handle.leader)]
    if channel is not None:
        found += [m.content for m in world.sim.messages_in(channel)]
    return [text for text in found if text.startswith("Someone deleted")]


async def test_a_leaders_channel_repaired_as_the_bot_reconnects_is_not_judged_deleted(
    scenario,
) -> None:
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=2)
    await sim.delete_channel(sim.channel(handle.group.leaders_channel_id))
    assert len(deleted_notices(world, handle)) == 1
    snapshots = sim.guild_snapshots()  # Discord's GUILD_CREATE, taken before the repair
    repaired = await sim.slash(handle.leader, "group repair", channel=handle.lobby)
    group = await group_store.get(world.bot.db, handle.group.id)
    assert group is not None and group.leaders_channel_id is not None, repaired.text
    channel = sim.channel(group.leaders_channel_id)
    assert channel is not None
    await sim.reconnect(snapshots, late=[("CHANNEL_CREATE", P.channel(channel))])
    again = await group_store.get(world.bot.db, handle.group.id)
    assert again is not None and again.leaders_channel_id == channel.id, "judged deleted"
    assert len(deleted_notices(world, handle)) == 1
    assert world.bot.get_channel(channel.id) is not None


async def test_a_permanent_channel_made_as_the_bot_reconnects_is_not_forgotten(scenario) -> None:
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    await sim.slash(
        handle.leader,
        "settings set",
        channel=handle.lobby,
        options={"setting": "session_channel", "value": "permanent"},
    )
    snapshots = sim.guild_snapshots()  # taken before the session's channel was made
    _session, room = await start_session(world, handle)
    late = [("CHANNEL_CREATE", P.channel(room))]
    await sim.reconnect(snapshots, late=late)
    group = await group_store.get(world.bot.db, handle.group.id)
    assert group is not None and group.session_channel_id == room.id, "forgotten"


async def test_a_channel_deleted_while_the_bot_reconnects_is_still_judged_deleted(
    scenario,
) -> None:
    """The check at READY still finds a deletion it was not told of."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=2)
    lobby = sim.channel(handle.group.lobby_channel_id)
    assert lobby is not None
    sim.world.remove_channel(lobby)  # no CHANNEL_DELETE reaches the bot
    await sim.reconnect()
    group = await group_store.get(world.bot.db, handle.group.id)
    assert group is not None and group.lobby_channel_id is None
    assert len(deleted_notices(world, handle)) == 1
