"""Threads under a permanent session channel go with the session's purge.

Why: the purge of a permanent channel deletes the session's messages and keeps the
channel; Discord keeps a thread when its parent's messages go (even the one it was
opened on). Members may not open threads there, but an admin or a moderator may,
and one opened before threads were denied is still there: what was said in it
stayed readable for good. The purge lists the channel's threads through Discord's
documented endpoints (the guild's active threads; the channel's archived public and
private threads, page by page) and deletes every one older than the next session.
"""

from __future__ import annotations

import discord

from bot.permissions_needed import REQUIRED
from bot.sim.scenario import Scenario
from bot.sim.world import Channel
from bot.store import sessions as session_store
from tests.session_support import reload, start_session
from tests.support import GroupHandle
from tests.test_permanent_channel import permanent_group

ACTIVE = "/guilds/{guild_id}/threads/active"
PUBLIC = "/channels/{channel_id}/threads/archived/public"
PRIVATE = "/channels/{channel_id}/threads/archived/private"


async def open_threads(world: Scenario, room: Channel, n: int, *, private: bool) -> list[Channel]:
    made = []
    for i in range(n):
        thread = await world.sim.create_thread(world.admin, room, f"aside {i}", private=private)
        assert thread is not None
        made.append(thread)
    return made


async def end_and_purge(world: Scenario, handle: GroupHandle, room: Channel) -> None:
    session = await session_store.live_for_group(world.bot.db, handle.group.id)
    assert session is not None
    await world.sim.slash(handle.leader, "session end", channel=room)
    await world.advance(minutes=61)
    assert (await reload(world, session)).purged_at is not None


def left(world: Scenario, threads: list[Channel]) -> list[str]:
    return [t.name for t in threads if world.sim.channel(t.id) is not None]


async def test_threads_in_the_permanent_channel_are_deleted_by_the_purge(scenario):
    world, sim = scenario, scenario.sim
    handle = await permanent_group(world)
    _session, room = await start_session(world, handle)
    message = await sim.post(handle.leader, room, "opening words")
    assert message is not None
    on_message = await sim.create_thread(world.admin, room, "on a message", message=message)
    assert on_message is not None
    (public,) = await open_threads(world, room, 1, private=False)
    (private,) = await open_threads(world, room, 1, private=True)
    (asleep,) = await open_threads(world, room, 1, private=True)
    await sim.archive_thread(asleep)
    elsewhere = await sim.create_thread(world.admin, handle.lobby, "lobby chat")
    assert elsewhere is not None
    await end_and_purge(world, handle, room)
    assert left(world, [on_message, public, private, asleep]) == []
    assert sim.channel(room.id) is room, "the permanent channel is kept"
    assert sim.channel(elsewhere.id) is elsewhere, "a thread of another channel is not touched"


async def test_archived_threads_are_found_page_by_page(scenario):
    world, sim = scenario, scenario.sim
    handle = await permanent_group(world)
    _session, room = await start_session(world, handle)
    public = await open_threads(world, room, 55, private=False)
    private = await open_threads(world, room, 55, private=True)
    for thread in public + private:
        await sim.archive_thread(thread)
    sim.reset_calls()
    await end_and_purge(world, handle, room)
    assert left(world, public + private) == []
    for route in (PUBLIC, PRIVATE):
        pages = sim.calls_matching("GET", route)
        assert len(pages) >= 2 and any("before" in (c.query or {}) for c in pages), route


async def test_a_thread_left_from_an_earlier_session_goes_at_the_next_purge(scenario):
    """A thread the earlier purges never deleted (opened before this fix) goes too."""
    world, sim = scenario, scenario.sim
    handle = await permanent_group(world)
    _first, room = await start_session(world, handle)
    await end_and_purge(world, handle, room)
    (old,) = await open_threads(world, room, 1, private=False)  # by an admin, between meetings
    await sim.archive_thread(old)
    _second, again = await start_session(world, handle)
    assert again is room
    await end_and_purge(world, handle, room)
    assert left(world, [old]) == []


async def test_without_manage_threads_the_purge_is_tried_again(scenario):
    """The private archived list needs Manage Threads: a bot whose role lost it cannot
    know that no private thread is left, so the purge is not counted done; once the
    permission is back, the stored retry finishes it."""
    world, sim = scenario, scenario.sim
    handle = await permanent_group(world)
    session, room = await start_session(world, handle)
    (hidden,) = await open_threads(world, room, 1, private=True)
    await sim.archive_thread(hidden)
    await world.sim.slash(handle.leader, "session end", channel=room)
    without = REQUIRED.value & ~discord.Permissions(manage_threads=True).value
    sim.set_bot_permissions(world.guild, without)
    await world.advance(minutes=61)
    assert (await reload(world, session)).purged_at is None
    assert sim.channel(hidden.id) is hidden
    sim.set_bot_permissions(world.guild, REQUIRED.value)
    await world.advance(minutes=6)  # the first retry
    assert (await reload(world, session)).purged_at is not None
    assert left(world, [hidden]) == []


async def test_archived_threads_sharing_one_archive_time_are_all_deleted(scenario):
    """Discord pages archived threads by archive time, strictly before the last one seen:
    threads archived in the same instant across a page boundary are not on the next page.
    The purge lists again after deleting, so none of them stays readable."""
    world, sim = scenario, scenario.sim
    handle = await permanent_group(world)
    _session, room = await start_session(world, handle)
    public = await open_threads(world, room, 60, private=False)
    for thread in public:
        await sim.archive_thread(thread)
    same = public[0].archive_changed
    for thread in public:  # e.g. archived together when a moderator locked them all
        thread.archive_changed = same
    await end_and_purge(world, handle, room)
    assert left(world, public) == []
