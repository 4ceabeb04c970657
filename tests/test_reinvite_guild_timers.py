"""Timers about a server's group that run while the bot is removed from that server."""

from __future__ import annotations

from bot.sim.scenario import Scenario
from tests.crash_support import crash_on
from tests.multiserver_support import second_server
from tests.test_end_followups_crash import _end, _meeting, surveys_to


async def test_no_pulse_survey_after_a_restart_for_a_server_that_removed_the_bot(
    scenario: Scenario,
) -> None:
    """The bot dies while sending a meeting's pulse survey, and the server removes it
    before it is back. The restart finishes the survey round (it is restart-safe), but
    the members of a server that removed the bot get no survey from it, as they get no
    reminder or prompt. (They share another server with the bot: their DMs are open to it.)"""
    world = scenario
    await second_server(world)  # the bot and these members share another server
    handle, _sid, room = await _meeting(world)
    spoke = handle.members[:2]
    dm_ids = {world.sim.world.dm_channel(user).id for user in spoke}

    def first_survey(call) -> bool:  # noqa: ANN001
        return int(call.params["channel_id"]) in dm_ids and "balint:pulse:" in str(call.json)

    hit = crash_on(world.sim, "POST", "/channels/{channel_id}/messages", when=first_survey)
    await _end(world, handle, room)
    assert hit, "the crash point was not reached"
    await world.sim.detach(world.bot)
    await world.sim.remove_bot(world.guild)
    await world.start()
    await world.advance(minutes=5)
    assert surveys_to(world, handle) == {user.name: 0 for user in handle.members}
