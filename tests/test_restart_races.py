"""Restart safety and concurrency: crashes at the worst moment, and two people at once.

A crash is the bot's task cancelled at a chosen REST call (`crash_on`): what it had
stored stays, nothing after that point runs; then a new bot starts on the same store.
"""

from __future__ import annotations

import asyncio

from bot.store import sessions as session_store
from tests.support import make_group


async def test_two_leaders_starting_at_once_open_one_session(scenario) -> None:
    """Leader and co-leader (or one leader double-clicking "Start the session") at once."""
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3, co_leader=world.people[10])
    channels_before = set(sim.world.channels)
    asyncio.current_task().set_name("sim-ignore-test")
    first, second = await asyncio.gather(
        asyncio.create_task(
            sim.slash(handle.leader, "session start", channel=handle.lobby), name="sim-ignore-a"
        ),
        asyncio.create_task(
            sim.slash(handle.co_leader, "session start", channel=handle.lobby),
            name="sim-ignore-b",
        ),
    )
    await sim.settle()
    live = await session_store.live(world.bot.db)
    made = set(sim.world.channels) - channels_before
    assert len(live) == 1, (first.text, second.text, live)
    # After the end and the purge delay nothing of the meeting may be left on the server.
    await sim.slash(handle.leader, "session end", channel=handle.lobby)
    await world.advance(hours=2)
    left = {cid for cid in made if sim.world.channels.get(cid) is not None}
    assert left == set(), (
        f"{len(made)} channels made by two concurrent starts; never purged: {left}"
    )
