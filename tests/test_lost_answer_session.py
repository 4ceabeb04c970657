"""/session start when Discord makes a session channel but its answer is lost.

A connection reset after the request was sent, or a 503 from Discord's edge: the channel
exists (the group's role may read and write in it), the bot never learned its id. Before,
the roll-back could not delete it: the leader was told to try again, and every member
kept a stray session channel in the group's category, a second one after the retry.
"""

from __future__ import annotations

import pytest

from bot.sim.faults import NETWORK
from bot.sim.scenario import Scenario
from bot.store import sessions as session_store
from bot.texts import facilitation as texts
from tests.support import inject_after, make_group

CHANNELS = "/guilds/{guild_id}/channels"


def in_category(scenario: Scenario, category_id: int | None) -> set[int]:
    return {c.id for c in scenario.guild.channels.values() if c.parent_id == category_id}


@pytest.mark.parametrize("status", [NETWORK, 503])
@pytest.mark.parametrize("after", [0, 1], ids=["text", "voice"])
async def test_a_lost_answer_on_a_session_channel_leaves_no_stray_channel(
    scenario: Scenario, after: int, status: int
) -> None:
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    before = in_category(scenario, handle.group.category_id)
    inject_after(sim, "POST", CHANNELS, after, status, lost=True)
    result = await sim.slash(handle.leader, "session start", channel=handle.lobby)
    await sim.settle()
    made = in_category(scenario, handle.group.category_id) - before
    assert made, "the lost answer was not reached"
    live = await session_store.live_for_group(scenario.bot.db, handle.group.id)
    assert live is not None, result.text  # the channel Discord made is used
    assert made == {live.text_channel_id, live.voice_channel_id}, "a stray session channel"
    assert scenario.sim.errors == []


async def test_a_lost_answer_whose_look_up_breaks_too_names_the_channel(
    scenario: Scenario,
) -> None:
    """The channel list cannot be read either: the leader is not told "nothing was left
    half-done" but which channel to delete if it is there."""
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    before = in_category(scenario, handle.group.category_id)
    sim.inject_lost("POST", CHANNELS)
    sim.inject_network("GET", CHANNELS)
    result = await sim.slash(handle.leader, "session start", channel=handle.lobby)
    await sim.settle()
    stray = [sim.channel(c) for c in in_category(scenario, handle.group.category_id) - before]
    assert len(stray) == 1 and sim.can(handle.members[0], stray[0]), "no stray to speak of"
    assert await session_store.live_for_group(scenario.bot.db, handle.group.id) is None
    assert "Nothing was left" not in result.text, result.text
    assert texts.MAYBE_LEFT_CHANNEL.format(channel=stray[0].name) in result.text, result.text


@pytest.mark.parametrize("after", [0, 1], ids=["text", "voice"])
async def test_a_502_on_a_session_channel_leaves_no_double(scenario: Scenario, after: int) -> None:
    """discord.py sends a request that got a 502 again: the channel made the first time
    was left in the group's category, open to its members, and never purged."""
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    before = in_category(scenario, handle.group.category_id)
    inject_after(sim, "POST", CHANNELS, after, 502, lost=True)
    result = await sim.slash(handle.leader, "session start", channel=handle.lobby)
    await sim.settle()
    live = await session_store.live_for_group(scenario.bot.db, handle.group.id)
    assert live is not None, result.text
    made = in_category(scenario, handle.group.category_id) - before
    assert made == {live.text_channel_id, live.voice_channel_id}, "a second session channel"


async def test_a_502_then_a_lost_503_leaves_one_channel(scenario: Scenario) -> None:
    """Both tries were carried out, neither answer came back: two channels of the name
    are found; one is used, the other deleted."""
    sim = scenario.sim
    handle = await make_group(scenario, size=3)
    before = in_category(scenario, handle.group.category_id)
    sim.inject_lost("POST", CHANNELS, 502)
    sim.inject_lost("POST", CHANNELS, 503)
    result = await sim.slash(handle.leader, "session start", channel=handle.lobby)
    await sim.settle()
    live = await session_store.live_for_group(scenario.bot.db, handle.group.id)
    assert live is not None, result.text
    made = in_category(scenario, handle.group.category_id) - before
    assert made == {live.text_channel_id, live.voice_channel_id}, "a second session channel"
