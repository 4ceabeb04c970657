"""A live meeting's channel deleted by hand: the leaders are told once what it means.

Why: deleting the session's text channel took its status message and buttons with it,
and the voice channel's deletion disconnected everyone; the bot said nothing, and
`/phase next` in the lobby answered as if the group had seen the new phase.
"""

from __future__ import annotations

from bot.sim.scenario import Scenario
from bot.sim.world import Channel
from tests.session_support import enforced_voice_session, leader, reload, start_session
from tests.support import GroupHandle, make_group


def notices(world: Scenario, handle: GroupHandle) -> list[str]:
    channel = world.sim.channel(handle.group.leaders_channel_id)
    assert channel is not None
    return [m.content for m in world.sim.messages_in(channel) if "during the meeting" in m.content]


async def test_the_text_channel_deleted_mid_meeting_is_told_once_and_the_end_still_works(
    scenario,
):
    world = scenario
    handle = await make_group(world, size=4)
    session, room = await start_session(world, handle)
    voice = world.sim.channel((await reload(world, session)).voice_channel_id)
    await world.sim.delete_channel(room)
    told = notices(world, handle)
    assert len(told) == 1 and "session channel" in told[0] and "/session end" in told[0]
    await leader(world, handle, "phase next", handle.lobby)
    await leader(world, handle, "session end", handle.lobby)
    await world.advance(minutes=61)
    assert (await reload(world, session)).purged_at is not None
    assert isinstance(voice, Channel) and world.sim.channel(voice.id) is None
    assert len(notices(world, handle)) == 1


async def test_the_voice_channel_deleted_mid_meeting_is_told_once(scenario):
    world = scenario
    handle = await make_group(world, size=4)
    a, b = handle.members[:2]
    session, room, voice = await enforced_voice_session(world, handle, [a, b])
    await leader(world, handle, "phase goto", room, phase="case_call")
    await leader(world, handle, "session presenter", room, member=a)
    await leader(world, handle, "phase next", room)  # presentation: b muted
    assert world.member(b).mute
    await world.sim.delete_channel(voice)
    told = notices(world, handle)
    assert len(told) == 1 and "voice channel" in told[0]
    await leader(world, handle, "phase next", room)
    await leader(world, handle, "session end", room)
    assert len(notices(world, handle)) == 1
    lounge = world.sim.add_channel(world.guild, "lounge", "voice")
    assert await world.sim.voice_join(b, lounge)
    assert not world.member(b).mute  # the bot's mute outlived the channel: lifted at the join


async def test_a_channel_deleted_while_the_bot_was_down_is_told_once_at_the_restart(scenario):
    """Discord replays no CHANNEL_DELETE missed while the bot was down: READY compares."""
    world = scenario
    handle = await make_group(world, size=4)
    session, room = await start_session(world, handle)
    await world.sim.detach(world.bot)
    await world.sim.delete_channel(room)  # nobody is listening
    await world.start()
    await world.sim.settle()
    told = notices(world, handle)
    assert len(told) == 1 and "session channel" in told[0]
    await world.restart()
    await world.sim.settle()
    assert len(notices(world, handle)) == 1
    await leader(world, handle, "session end", handle.lobby)
    assert not (await reload(world, session)).live


async def test_a_deletion_told_live_is_not_told_again_at_the_next_ready(scenario):
    world = scenario
    handle = await make_group(world, size=4)
    session, room = await start_session(world, handle)
    await world.sim.delete_channel(room)
    assert len(notices(world, handle)) == 1
    await world.restart()
    await world.sim.settle()
    assert len(notices(world, handle)) == 1


async def test_a_restart_with_the_meetings_channels_in_place_asks_discord_nothing(scenario):
    world = scenario
    handle = await make_group(world, size=4)
    await start_session(world, handle)
    world.sim.reset_calls()
    await world.restart()
    await world.sim.settle()
    assert world.sim.calls_matching("GET", "/channels/{channel_id}") == []
    assert notices(world, handle) == []
