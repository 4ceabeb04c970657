"""A session channel deleted by hand in Discord leaves nothing about it in the store.

Why: a permanent session channel is never deleted by the bot, so its purge never
clears what the store keeps about it (the overwrites saved before the bot changed
them). An admin who deletes it by hand left those rows for good. The bot hears
CHANNEL_DELETE while connected and compares with the guild at READY (Discord does
not replay a deletion missed while the bot was down); the next meeting makes a new
channel either way.
"""

from __future__ import annotations

from bot.sim.scenario import Scenario
from bot.sim.world import Channel
from bot.store import groups as group_store
from tests.session_support import reload, start_session
from tests.support import GroupHandle
from tests.test_permanent_channel import permanent_group


async def rows_about(world: Scenario, channel_id: int) -> int:
    row = await world.bot.db.fetchone(
        "SELECT COUNT(*) AS n FROM saved_overwrites WHERE channel_id = ?", (channel_id,)
    )
    assert row is not None
    return row["n"]


async def ended_and_purged(world: Scenario, handle: GroupHandle) -> Channel:
    session, room = await start_session(world, handle)
    await world.sim.slash(handle.leader, "session end", channel=room)
    await world.advance(minutes=61)
    assert (await reload(world, session)).purged_at is not None
    assert await rows_about(world, room.id) > 0, "the kept channel keeps its role's original"
    return room


async def next_meeting_in_a_new_channel(world: Scenario, handle: GroupHandle, old: Channel) -> None:
    _session, fresh = await start_session(world, handle)
    assert fresh.id != old.id and fresh.name == "sessions"
    group = await group_store.get(world.bot.db, handle.group.id)
    assert group is not None and group.session_channel_id == fresh.id
    assert await rows_about(world, fresh.id) > 0


async def test_a_permanent_channel_deleted_by_hand_leaves_no_rows(scenario):
    world = scenario
    handle = await permanent_group(world)
    room = await ended_and_purged(world, handle)
    await world.sim.delete_channel(room)  # an admin, in Discord: CHANNEL_DELETE
    assert await rows_about(world, room.id) == 0
    group = await group_store.get(world.bot.db, handle.group.id)
    assert group is not None and group.session_channel_id is None
    await next_meeting_in_a_new_channel(world, handle, room)


async def test_a_permanent_channel_deleted_while_the_bot_was_down_leaves_no_rows(scenario):
    world = scenario
    handle = await permanent_group(world)
    room = await ended_and_purged(world, handle)
    await world.stop()
    world.sim.remove_channel(room)  # deleted by hand while the bot is down (no event)
    await world.start()
    await world.sim.settle()
    assert await rows_about(world, room.id) == 0
    group = await group_store.get(world.bot.db, handle.group.id)
    assert group is not None and group.session_channel_id is None
    await next_meeting_in_a_new_channel(world, handle, room)


async def test_a_live_session_channel_deleted_by_hand_leaves_no_rows_after_the_purge(scenario):
    """A per-session channel: its rows go at the deletion; the purge's 404 is fine."""
    world = scenario
    handle = await permanent_group(world)
    await world.sim.slash(
        handle.leader,
        "settings reset",
        channel=handle.lobby,
        options={"setting": "session_channel"},
    )
    session, room = await start_session(world, handle)
    assert await rows_about(world, room.id) > 0
    await world.sim.delete_channel(room)
    assert await rows_about(world, room.id) == 0
    await world.sim.slash(handle.leader, "session end", channel=handle.lobby)
    await world.advance(minutes=61)
    assert (await reload(world, session)).purged_at is not None
    assert await rows_about(world, room.id) == 0
