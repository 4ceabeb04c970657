"""The session channel hidden from the bot: the leader is told what to restore.

Why: Discord answers 403 Missing Access (50001) when the bot cannot see a channel
(someone denied View Channel to its entry in the channel's permissions). A phase
change then told the leader to check Manage Roles and the role order, which cannot
help: the meeting stayed stuck however often an admin checked those.
"""

from __future__ import annotations

from bot.sim.permissions import VIEW_CHANNEL
from bot.sim.world import Overwrite
from bot.texts import facilitation as texts
from tests.session_support import leader, reload, start_session
from tests.support import make_group


async def test_a_phase_change_in_a_channel_hidden_from_the_bot_says_to_show_it_again(scenario):
    world = scenario
    handle = await make_group(world, size=4)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=handle.members[0])
    bot_id = world.bot.user.id
    mine = channel.overwrites[bot_id]
    channel.overwrites[bot_id] = Overwrite(bot_id, 1, allow=0, deny=VIEW_CHANNEL)
    result = await leader(world, handle, "phase next", channel)
    assert result.ephemeral
    assert result.text == texts.APPLY_FAILED.format(
        what=texts.APPLY_FAILED_HIDDEN,
        phase=texts.PHASE_NAMES["case_call"],
        todo=texts.APPLY_FAILED_HIDDEN_TODO,
    )
    assert "Manage Roles" not in result.text
    assert (await reload(world, session)).applied_phase == "case_call"
    channel.overwrites[bot_id] = mine  # the admin shows it again: the next try works
    result = await leader(world, handle, "phase next", channel)
    assert result.text == texts.PHASE_NOW.format(phase=texts.PHASE_NAMES["presentation"])
