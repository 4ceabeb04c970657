"""The status message keeps Discord's edit pace: the first edit at once, then one a second."""

from __future__ import annotations

import asyncio

from tests.session_support import start_session, status_message
from tests.support import make_group


def status_edits(world, message_id: int) -> int:
    suffix = f"/messages/{message_id}"
    return sum(1 for c in world.sim.calls if c.method == "PATCH" and c.url.endswith(suffix))


async def test_changes_within_the_interval_become_one_edit(scenario):
    world = scenario
    handle = await make_group(world, size=6)
    session, _ = await start_session(world, handle)
    message = await status_message(world, session)
    status = world.bot.get_cog("Facilitation").engine.status
    status.min_interval = 0.2  # what a real clock uses is 1 s; the test keeps it short
    before = status_edits(world, message.id)
    loop = asyncio.get_running_loop()
    began = loop.time()
    for _ in range(6):
        status.touch(session.id)
        await asyncio.sleep(0.01)
    await world.sim.settle()
    assert status_edits(world, message.id) - before == 2  # at once, then one for the rest
    assert loop.time() - began >= 0.2


async def test_a_lone_change_is_shown_at_once(scenario):
    world = scenario
    handle = await make_group(world, size=6)
    session, _ = await start_session(world, handle)
    message = await status_message(world, session)
    status = world.bot.get_cog("Facilitation").engine.status
    status.min_interval = 0.5
    before = status_edits(world, message.id)
    status.touch(session.id)
    for _ in range(20):
        await asyncio.sleep(0.01)
        if status_edits(world, message.id) > before:
            break
    assert status_edits(world, message.id) - before == 1  # well before the 0.5 s are up
    await world.sim.settle()
    assert status_edits(world, message.id) - before == 1  # nothing more was dirty
