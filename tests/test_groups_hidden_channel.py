"""A group channel hidden from the bot: the organiser is told to show it again.

Why: Discord answers 403 Missing Access (50001) on a channel the bot cannot see
(someone denied View Channel to its entry there). /group leaders then said "I need
the Manage Roles and Manage Channels permissions", which an admin can grant at
will without the change ever working.
"""

from __future__ import annotations

from bot.sim.permissions import VIEW_CHANNEL
from bot.sim.world import Overwrite
from bot.store import groups as group_store
from bot.texts import groups as texts
from tests.support import make_group


async def test_new_leaders_in_a_group_whose_leaders_channel_is_hidden_from_the_bot(scenario):
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    leaders_channel = sim.channel(handle.group.leaders_channel_id)
    bot_id = world.bot.user.id
    mine = leaders_channel.overwrites[bot_id]
    leaders_channel.overwrites[bot_id] = Overwrite(bot_id, 1, allow=0, deny=VIEW_CHANNEL)
    options = {"leader": handle.leader, "co_leader": handle.members[0]}
    result = await sim.slash(handle.leader, "group leaders", channel=handle.lobby, options=options)
    assert result.ephemeral
    assert result.text == texts.STEP_HIDDEN, result.text
    leaders = await group_store.leaders(world.bot.db, handle.group.id)
    assert handle.members[0].id not in {leader.user_id for leader in leaders}
    leaders_channel.overwrites[bot_id] = mine  # shown again: the next try works
    result = await sim.slash(handle.leader, "group leaders", channel=handle.lobby, options=options)
    assert result.text != texts.STEP_HIDDEN, result.text
    leaders = await group_store.leaders(world.bot.db, handle.group.id)
    assert handle.members[0].id in {leader.user_id for leader in leaders}
    assert not world.problems(), world.problems()
