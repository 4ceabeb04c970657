"""The bot never renames a channel to show a meeting's state.

Why: Discord lets a bot rename (or re-topic) one channel twice per 10 minutes; the
third is a 429 to wait out the window (the simulator models it, bot/sim/rename_limit.py).
A bot that showed the phase in a channel's name would stall from the third phase on.
The only rename the bot makes is the identifier guard's neutral thread title
(tests/test_guard_threads.py).
"""

from __future__ import annotations

import pytest

from bot.sim.scenario import Scenario
from tests.session_support import leader, phase, start_session
from tests.support import make_group
from tests.test_permanent_channel import permanent_group


def renames(world: Scenario) -> list[tuple[str, dict]]:
    calls = world.sim.calls_matching("PATCH", "/channels/{channel_id}")
    return [
        (c.params["channel_id"], c.json)
        for c in calls
        if c.json and ("name" in c.json or "topic" in c.json)
    ]


@pytest.mark.parametrize("permanent", [False, True])
async def test_a_whole_meeting_renames_no_channel(scenario, permanent):
    world = scenario
    handle = await (permanent_group(world) if permanent else make_group(world, size=5))
    for _meeting in range(2):
        session, channel = await start_session(world, handle)
        for presenter in handle.members[:2]:
            await leader(world, handle, "phase next", channel)  # case call
            await leader(world, handle, "session presenter", channel, member=presenter)
            for _ in range(4):  # presentation, questions, discussion, return
                await leader(world, handle, "phase next", channel)
        await leader(world, handle, "phase next", channel)  # closing
        await leader(world, handle, "phase next", channel)  # ended
        assert await phase(world, session) == "ended"
        await world.advance(minutes=61)  # the purge
    assert world.sim.calls_matching("PATCH", "/channels/{channel_id}/messages/{message_id}")
    assert renames(world) == []
    assert not [c for c in world.sim.calls if c.status == 429]
