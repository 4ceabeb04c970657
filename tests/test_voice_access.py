"""Whoever loses access to a group is taken out of its session's voice channel.

Discord checks Connect when someone joins a voice channel, not while they are in it:
a member removed during the meeting stayed connected and went on hearing the case.
"""

from __future__ import annotations

from bot.sim.scenario import Scenario
from bot.sim.world import Channel
from tests.session_support import reload, start_session
from tests.support import GroupHandle, make_group

MEMBER = "/guilds/{guild_id}/members/{user_id}"


async def _voice(scenario: Scenario) -> tuple[GroupHandle, Channel]:
    handle = await make_group(scenario, size=3)
    session, _room = await start_session(scenario, handle)
    voice = scenario.sim.channel((await reload(scenario, session)).voice_channel_id)
    assert voice is not None
    for user in handle.members:
        assert await scenario.sim.voice_join(user, voice)
    return handle, voice


def _moves(scenario: Scenario) -> list[int]:
    return [
        int(c.params["user_id"])
        for c in scenario.sim.calls_matching("PATCH", MEMBER)
        if "channel_id" in (c.json or {})
    ]


async def test_a_member_removed_mid_session_no_longer_hears_it(scenario: Scenario) -> None:
    sim = scenario.sim
    handle, voice = await _voice(scenario)
    removed, stays = handle.members[0], handle.members[1]
    result = await sim.slash(
        handle.leader, "group remove", channel=handle.lobby, options={"member": removed}
    )
    await sim.settle()
    assert result.ephemeral, result.text
    assert not sim.can(removed, voice, "connect")
    assert scenario.member(removed).voice_channel_id is None
    assert scenario.member(stays).voice_channel_id == voice.id
    assert _moves(scenario) == [removed.id]


async def test_a_role_taken_while_the_bot_was_down_is_acted_on_at_start(
    scenario: Scenario,
) -> None:
    sim = scenario.sim
    handle, voice = await _voice(scenario)
    removed = handle.members[2]
    await sim.detach(scenario.bot)
    assert await sim.take_role(scenario.admin, removed, handle.role)
    await scenario.start()
    await sim.settle()
    assert scenario.member(removed).voice_channel_id is None
    assert [m.voice_channel_id for m in map(scenario.member, handle.members[:2])] == [
        voice.id,
        voice.id,
    ]


async def test_other_role_changes_and_other_voice_channels_are_left_alone(
    scenario: Scenario,
) -> None:
    """Only a session's voice channel, only someone who lost access to it."""
    sim = scenario.sim
    handle, voice = await _voice(scenario)
    other_role = sim.add_role(scenario.guild, "book club")
    assert await sim.give_role(scenario.admin, handle.members[0], other_role)
    lounge = sim.add_channel(scenario.guild, "lounge", kind="voice")
    assert await sim.voice_join(scenario.outsider, lounge)
    assert await sim.voice_join(scenario.admin, voice)  # an admin sees every channel
    assert await sim.give_role(scenario.admin, scenario.outsider, other_role)
    await scenario.restart()
    await sim.settle()
    assert _moves(scenario) == []
    assert scenario.member(handle.members[0]).voice_channel_id == voice.id
    assert scenario.member(scenario.outsider).voice_channel_id == lounge.id
