"""Meetings after meetings: a bot that runs for months keeps nothing in memory per meeting.

Why: balint-bot is not restarted between meetings. Every structure kept per session,
thread or group must let go of it once the meeting is over (and its channel purged):
otherwise memory grows with every meeting, for months.
"""

from __future__ import annotations

from bot.clock import FIRED_KEPT
from bot.sim.scenario import Scenario
from bot.sim.world import Channel, Message
from bot.store import session_cases
from bot.store import sessions as session_store
from tests.case_helpers import call_message
from tests.session_support import leader, start_session
from tests.support import GroupHandle, make_group

MEETINGS = 30
GROUPS = 3


def _frames(world: Scenario, room: Channel, session_id: int) -> list[Message]:
    return [m for m in world.sim.messages_in(room) if f"balint:ack:{session_id}" in m.custom_ids()]


async def _groups(world: Scenario) -> list[GroupHandle]:
    while len(world.people) < GROUPS * 6:
        world.add_person(f"gp-{len(world.people) + 1:02d}")
    return [
        await make_group(
            world,
            name=f"Group {n}",
            leader=world.people[n * 6],
            members=world.people[n * 6 + 1 : n * 6 + 6],
        )
        for n in range(GROUPS)
    ]


async def _remove_mode(world: Scenario, handles: list[GroupHandle]) -> None:
    for handle in handles:
        await world.bot.db.execute(
            "UPDATE groups SET guard_mode = 'remove' WHERE id = ?", (handle.group.id,)
        )


async def _meeting(world: Scenario, handle: GroupHandle, n: int) -> int:
    """A whole meeting with what members and moderators do in one, then its purge."""
    sim = world.sim
    session, room = await start_session(world, handle)
    # A moderator's thread; every other title holds a phone number: the guard renames it.
    title = f"aside {n}" if n % 4 < 2 else f"ring her on 0044 7700 9001{n:02d}"
    thread = await sim.create_thread(world.admin, room, title)
    assert thread is not None
    [frame] = _frames(world, room, session.id)
    sim.delete_message(frame)  # deleted by hand: posted again under its lock
    await sim.settle()
    await leader(world, handle, "phase next", room)  # the case call
    call = call_message(world, room)
    await sim.click(handle.members[0], call, f"balint:offer:{session.id}:case")
    await leader(world, handle, "case pick", room, member=handle.members[0])
    assert await session_cases.current_presenter(world.bot.db, session.id) == handle.members[0].id
    await leader(world, handle, "phase next", room)
    if n % 2:
        await sim.archive_thread(thread)  # discord.py forgets it; the guard does not
    await leader(world, handle, "session end", room)
    late = await sim.click(handle.members[1], call, f"balint:offer:{session.id}:case")
    assert late.ephemeral  # pressed after the end: refused
    await world.advance(minutes=120)  # the purge deletes the channel, its threads with it
    assert sim.world.channels.get(room.id) is None
    return session.id


async def test_thirty_meetings_leave_no_lock_nor_thread_behind(scenario: Scenario) -> None:
    world = scenario
    handles = await _groups(world)
    await _remove_mode(world, handles)
    ended = [await _meeting(world, handles[n % GROUPS], n) for n in range(MEETINGS)]
    await world.sim.settle()
    for session_id in ended:
        found = await session_store.get(world.bot.db, session_id)
        assert found is not None and found.status == "ended"
    bot = world.bot
    # Named locks: nothing holds one now, so none is kept (no session's, no group's).
    assert list(bot.locks) == []
    engine = bot.get_cog("Facilitation").engine
    assert not set(ended) & set(engine.locks)
    assert not set(ended) & set(engine.status._tasks) | set(engine.status._latest)
    flow = bot.get_cog("Cases").flow
    assert not set(ended) & (set(flow._locks) | set(flow._call_locks))
    # The guard's memory of thread titles and of its renames: only threads that exist.
    guard = bot.get_cog("IdentifierGuard")
    threads = {c.id for c in world.sim.world.channels.values() if c.is_thread}
    assert set(guard._titles._entries) <= threads
    assert set(guard._renames._entries) <= threads
    renamed = [c for c in world.sim.calls_matching("PATCH", "/channels/{channel_id}") if c.json]
    assert len(renamed) >= MEETINGS // 3  # the renames were made (and counted)
    # The timers fired: a few recent ones for tests and the demo, not every one ever fired.
    done = await bot.db.fetchall("SELECT id FROM timers WHERE state = 'done'")
    assert len(done) > FIRED_KEPT
    assert len(bot.timers.fired) <= FIRED_KEPT
