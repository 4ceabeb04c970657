"""A group that keeps one permanent session channel: reused each time, emptied after each.

Through the simulator: `/settings set session_channel permanent`, `/session
start` reuses (or creates once) the channel, the end plan makes it read-only,
the purge timer deletes the session's messages (bulk under 14 days, one by one
older, one by one when Discord refuses a bulk call) and the voice channel, and
keeps the channel; also after a restart.
"""

from __future__ import annotations

from datetime import timedelta

from bot.sim.scenario import Scenario
from bot.sim.world import Channel, Overwrite
from bot.store import groups as group_store
from tests.session_support import leader, reload, start_session, who_can_post
from tests.support import GroupHandle, make_group

BULK = "/channels/{channel_id}/messages/bulk-delete"
ONE = "/channels/{channel_id}/messages/{message_id}"


async def permanent_group(world: Scenario) -> GroupHandle:
    handle = await make_group(world, size=5)
    answer = await world.sim.slash(
        handle.leader,
        "settings set",
        channel=handle.lobby,
        options={"setting": "session_channel", "value": "permanent"},
    )
    assert "Saved" in answer.text and "next session" in answer.text
    group = await group_store.get(world.bot.db, handle.group.id)
    assert group is not None and group.session_channel == "permanent"
    return handle


async def talk(world: Scenario, handle: GroupHandle, channel: Channel, n: int = 3) -> None:
    for i, person in enumerate(handle.members[:n]):
        assert await world.sim.post(person, channel, f"thought {i}") is not None


def alive(channel: Channel) -> list[str]:
    return [m.content for m in channel.messages if not m.deleted]


async def test_permanent_channel_is_reused_and_emptied_after_each_session(scenario):
    world, sim = scenario, scenario.sim
    handle = await permanent_group(world)
    session, room = await start_session(world, handle)
    assert room.name == "sessions"
    group = await group_store.get(world.bot.db, handle.group.id)
    assert group is not None and group.session_channel_id == room.id
    voice_id = (await reload(world, session)).voice_channel_id
    await talk(world, handle, room)
    await sim.slash(handle.leader, "session end", channel=room)
    assert who_can_post(world, room, handle.members) == set()
    sim.reset_calls()
    await world.advance(minutes=61)
    assert sim.channel(room.id) is room, "the permanent channel is kept"
    assert sim.channel(voice_id) is None, "the voice channel is still per session"
    assert alive(room) == [] and not [
        m
        for m in sim.world.messages.values()
        if m.channel_id == room.id and not m.deleted and not m.ephemeral
    ]
    assert len(sim.calls_matching("POST", BULK)) == 1
    deleted = {
        c.params["channel_id"] for c in sim.calls_matching("DELETE", "/channels/{channel_id}")
    }
    assert deleted == {str(voice_id)}
    assert (await reload(world, session)).purged_at is not None

    second, again = await start_session(world, handle)
    assert again is room and second.id != session.id
    assert who_can_post(world, room, handle.members) == {u.name for u in handle.members}
    assert len(alive(room)) == 2  # the new frame and status message only
    await talk(world, handle, room, n=1)
    await sim.slash(handle.leader, "session end", channel=room)
    await world.restart()
    await world.advance(minutes=61)
    assert sim.channel(room.id) is not None and alive(room) == []


async def test_next_start_deletes_the_last_sessions_messages_first(scenario):
    world, sim = scenario, scenario.sim
    handle = await permanent_group(world)
    first, room = await start_session(world, handle)
    await talk(world, handle, room)
    await sim.slash(handle.leader, "session end", channel=room)
    await world.advance(minutes=5)  # the purge is not due yet
    second, again = await start_session(world, handle)
    assert again is room and len(alive(room)) == 2
    assert (await reload(world, first)).purged_at is not None
    await talk(world, handle, room, n=2)
    await world.advance(minutes=60)  # the first session's purge timer is a no-op now
    assert len(alive(room)) == 4 and (await reload(world, second)).live


async def test_messages_older_than_fourteen_days_are_deleted_one_by_one(scenario):
    world, sim = scenario, scenario.sim
    handle = await permanent_group(world)
    session, room = await start_session(world, handle)
    await talk(world, handle, room)
    await sim.slash(handle.leader, "session end", channel=room)
    await world.stop()  # the bot is down for over two weeks; the purge fires late
    world.clock.set(world.clock.now() + timedelta(days=15))
    sim.reset_calls()
    await world.start()
    await sim.settle()
    assert alive(room) == []
    assert not sim.calls_matching("POST", BULK)
    assert len(sim.calls_matching("DELETE", ONE)) >= 5  # frame, status, 3 posts, the end line
    assert (await reload(world, session)).purged_at is not None


async def test_a_refused_bulk_delete_falls_back_to_one_by_one(scenario):
    world, sim = scenario, scenario.sim
    handle = await permanent_group(world)
    _session, room = await start_session(world, handle)
    await talk(world, handle, room)
    await sim.slash(handle.leader, "session end", channel=room)
    sim.inject("POST", BULK, 400, code=50034, times=1)
    sim.reset_calls()
    await world.advance(minutes=61)
    assert alive(room) == []
    assert len(sim.calls_matching("DELETE", ONE)) >= 5


async def test_permanent_channel_deleted_by_hand_is_made_again(scenario):
    world, sim = scenario, scenario.sim
    handle = await permanent_group(world)
    _session, room = await start_session(world, handle)
    await sim.slash(handle.leader, "session end", channel=room)
    await world.advance(minutes=61)
    await sim.delete_channel(room)
    _second, fresh = await start_session(world, handle)
    assert fresh.id != room.id and fresh.name == "sessions"
    group = await group_store.get(world.bot.db, handle.group.id)
    assert group is not None and group.session_channel_id == fresh.id


async def test_new_mode_is_the_default_and_back_to_it(scenario):
    world, sim = scenario, scenario.sim
    handle = await permanent_group(world)
    _session, room = await start_session(world, handle)
    await sim.slash(handle.leader, "session end", channel=room)
    await sim.slash(
        handle.leader,
        "settings reset",
        channel=handle.lobby,
        options={"setting": "session_channel"},
    )
    await world.advance(minutes=61)
    assert sim.channel(room.id) is room and alive(room) == []  # held there: emptied, kept
    _second, fresh = await start_session(world, handle)
    assert fresh.id != room.id and fresh.name.startswith("session-")


async def test_a_failed_start_leaves_the_permanent_channel_closed_and_kept(scenario):
    world, sim = scenario, scenario.sim
    handle = await permanent_group(world)
    first, room = await start_session(world, handle)
    await sim.slash(handle.leader, "session end", channel=room)
    await world.advance(minutes=61)
    sim.inject("POST", "/channels/{channel_id}/messages", 403, code=50013, times=1)
    failed = await sim.slash(handle.leader, "session start", channel=handle.lobby)
    assert "Nothing was left half-done" in failed.text and failed.ephemeral
    assert sim.channel(room.id) is room and alive(room) == []
    assert who_can_post(world, room, handle.members) == set()
    live = await world.bot.db.fetchone("SELECT id FROM sessions WHERE status = 'live'")
    assert live is None
    _second, again = await start_session(world, handle)
    assert again is room and (await reload(world, first)).purged_at is not None


async def test_a_refused_message_purge_is_tried_again_after_a_restart(scenario):
    world, sim = scenario, scenario.sim
    handle = await permanent_group(world)
    session, room = await start_session(world, handle)
    await talk(world, handle, room)
    await sim.slash(handle.leader, "session end", channel=room)
    sim.inject("POST", BULK, 403, code=50013, times=1)
    await world.advance(minutes=61)
    assert len(alive(room)) >= 5, "Discord refused: the messages are still there"
    assert (await reload(world, session)).purged_at is None
    await world.restart()
    await world.advance(minutes=6)  # the first retry
    assert sim.channel(room.id) is room and alive(room) == []
    assert (await reload(world, session)).purged_at is not None


async def test_a_crash_while_starting_in_the_permanent_channel_closes_and_empties_it(scenario):
    """The bot dies after re-opening the permanent channel and posting the frame; a member
    writes in the open channel while the bot is down. The restart closes the channel again
    and deletes what was written: nothing of an unheld meeting stays."""
    import asyncio

    from tests.crash_support import crash_on

    world, sim = scenario, scenario.sim
    handle = await permanent_group(world)
    _first, room = await start_session(world, handle)
    await sim.slash(handle.leader, "session end", channel=room)
    await world.advance(minutes=61)

    def frame(call) -> bool:  # type: ignore[no-untyped-def]
        return int(call.params["channel_id"]) == room.id

    # Discord posts the frame; the bot dies before it hears back (the start not stored).
    hit = crash_on(sim, "POST", "/channels/{channel_id}/messages", when=frame, after=True)
    asyncio.current_task().set_name("sim-ignore-test")
    await asyncio.create_task(
        sim.slash(handle.leader, "session start", channel=handle.lobby), name="sim-ignore-start"
    )
    assert hit, "the crash point was not reached"
    assert await sim.post(handle.members[0], room, "while the bot is down") is not None
    await world.restart()
    await sim.settle()
    assert who_can_post(world, room, handle.members) == set()
    assert sim.channel(room.id) is room and alive(room) == []
    _second, again = await start_session(world, handle)
    assert again is room


async def test_a_crash_while_reopening_the_permanent_channel_closes_it_again(scenario):
    """The bot dies right after the permanent channel's overwrite opened it to the group,
    before the start stored anything else (here: creating the voice channel). The restart
    must still find the start and close the channel: members wrote in it meanwhile."""
    import asyncio

    from tests.crash_support import crash_on

    world, sim = scenario, scenario.sim
    handle = await permanent_group(world)
    _first, room = await start_session(world, handle)
    await sim.slash(handle.leader, "session end", channel=room)
    await world.advance(minutes=61)
    assert who_can_post(world, room, handle.members) == set()

    hit = crash_on(sim, "POST", "/guilds/{guild_id}/channels")  # the voice channel
    asyncio.current_task().set_name("sim-ignore-test")
    await asyncio.create_task(
        sim.slash(handle.leader, "session start", channel=handle.lobby), name="sim-ignore-start"
    )
    assert hit, "the crash point was not reached"
    assert who_can_post(world, room, handle.members), "the start had opened the channel"
    assert await sim.post(handle.members[0], room, "while the bot is down") is not None
    await world.restart()
    await sim.settle()
    assert who_can_post(world, room, handle.members) == set()
    assert alive(room) == []
    _second, again = await start_session(world, handle)
    assert again is room


async def test_a_session_planned_first_but_held_second_is_emptied_too(scenario):
    """Several sessions may be planned at once: the Friday one-off was planned before the
    Wednesday one, so its row is older, yet it is held after. Its purge must still delete
    what was said in it (it took the Wednesday frame for its own end, and deleted nothing)."""
    world, sim = scenario, scenario.sim
    handle = await permanent_group(world)
    for day in ("2026-11-27", "2026-11-25"):  # Friday first, then Wednesday
        answer = await sim.slash(
            handle.leader,
            "schedule once",
            channel=handle.lobby,
            options={"date": day, "time": "10:00"},
        )
        assert "One-off" in answer.text, answer.text
    await world.advance(days=2, hours=1)  # Wednesday 10:00
    wednesday, room = await start_session(world, handle)
    await talk(world, handle, room)
    await sim.slash(handle.leader, "session end", channel=room)
    await world.advance(minutes=61)
    assert alive(room) == []
    await world.advance(days=2, minutes=-61)  # Friday 10:00
    friday, again = await start_session(world, handle)
    assert again is room and friday.id < wednesday.id
    await talk(world, handle, room)
    await sim.slash(handle.leader, "session end", channel=room)
    await world.advance(minutes=61)
    assert (await reload(world, friday)).purged_at is not None
    assert alive(room) == [], "what was said on Friday is still in the channel"


ATTACH = 1 << 15  # an overwrite the member had before, set by an admin


async def saved_targets(world: Scenario, channel: Channel) -> set[int]:
    rows = await world.bot.db.fetchall(
        "SELECT target_id FROM saved_overwrites WHERE channel_id = ?", (channel.id,)
    )
    return {row["target_id"] for row in rows}


def overwrite_of(channel: Channel, user_id: int) -> tuple[int, int] | None:
    found = channel.overwrites.get(user_id)
    return None if found is None else (found.allow, found.deny)


async def test_members_saved_overwrites_go_once_the_end_put_them_back(scenario):
    """The bot saves a member's overwrite before it gives them the floor, to put it back.
    A permanent channel is never deleted, so the purge never cleared those rows: whoever
    once held the floor (and each leader) stayed named in saved_overwrites for good, past
    leaving the group and past the retention period. The role's saved original stays."""
    world, sim = scenario, scenario.sim
    handle = await permanent_group(world)
    _first, room = await start_session(world, handle)
    await sim.slash(handle.leader, "session end", channel=room)
    await world.advance(minutes=61)
    had, fresh = handle.members[0], handle.members[1]
    await world.stop()  # an admin gives one member an overwrite of their own meanwhile
    room.overwrites[had.id] = Overwrite(had.id, 1, allow=ATTACH)
    await world.start()
    await sim.settle()
    people = {had.id, fresh.id, handle.leader.id}
    for _ in range(2):  # the second meeting saves and puts back the same way
        _session, again = await start_session(world, handle)
        assert again is room
        await leader(world, handle, "turns", room, mode="strict")
        await leader(world, handle, "floor give", room, member=had)
        assert overwrite_of(room, had.id) == (ATTACH | 1 << 11, 0)
        await leader(world, handle, "floor give", room, member=fresh)
        assert people <= await saved_targets(world, room)
        await sim.slash(handle.leader, "session end", channel=room)
        assert overwrite_of(room, had.id) == (ATTACH, 0)
        assert overwrite_of(room, fresh.id) is None
        assert await saved_targets(world, room) == {handle.role.id}
        assert who_can_post(world, room, handle.members) == set()
    await sim.slash(handle.leader, "group remove", channel=handle.lobby, options={"member": fresh})
    await world.advance(days=world.bot.settings.retention_days + 2)
    assert await saved_targets(world, room) == {handle.role.id}


async def test_a_crash_before_the_end_is_stored_keeps_the_members_original(scenario):
    """The end puts the floor holder's overwrite back, then the bot dies before the end
    is stored: the restart finds the meeting live and gives the floor back, which needs
    the saved original still; the next end puts it back and only then drops it."""
    import asyncio

    from tests.crash_support import crash_on

    world, sim = scenario, scenario.sim
    handle = await permanent_group(world)
    _first, room = await start_session(world, handle)
    await sim.slash(handle.leader, "session end", channel=room)
    await world.advance(minutes=61)
    had = handle.members[0]
    await world.stop()
    room.overwrites[had.id] = Overwrite(had.id, 1, allow=ATTACH)
    await world.start()
    await sim.settle()
    _session, room = await start_session(world, handle)
    await leader(world, handle, "turns", room, mode="strict")
    await leader(world, handle, "floor give", room, member=had)

    def put_back(call) -> bool:  # type: ignore[no-untyped-def]
        return int(call.params["overwrite_id"]) == had.id

    route = "/channels/{channel_id}/permissions/{overwrite_id}"
    hit = crash_on(sim, "PUT", route, when=put_back, after=True)
    asyncio.current_task().set_name("sim-ignore-test")
    await asyncio.create_task(
        sim.slash(handle.leader, "session end", channel=room), name="sim-ignore-end"
    )
    assert hit, "the crash point was not reached"
    await world.restart()
    await sim.settle()
    assert had.id in await saved_targets(world, room)
    assert overwrite_of(room, had.id) == (ATTACH | 1 << 11, 0), "the floor is theirs again"
    await sim.slash(handle.leader, "session end", channel=room)
    assert overwrite_of(room, had.id) == (ATTACH, 0)
    assert await saved_targets(world, room) == {handle.role.id}


async def test_ending_in_the_permanent_channel_says_it_is_kept(scenario):
    """“The channel will be deleted” would send a leader to save the group's channel."""
    world, sim = scenario, scenario.sim
    handle = await permanent_group(world)
    _, room = await start_session(world, handle)
    ended = await sim.slash(handle.leader, "session end", channel=room)
    assert "channel is read-only and will be deleted" not in ended.text, ended.text
    assert "messages will be deleted" in ended.text and "kept" in ended.text, ended.text


async def test_a_stuck_message_purge_does_not_ask_leaders_to_delete_the_channel(scenario):
    """“Delete it yourself” about the permanent channel would lose it for every session."""
    world, sim = scenario, scenario.sim
    handle = await permanent_group(world)
    _, room = await start_session(world, handle)
    await talk(world, handle, room)
    await sim.slash(handle.leader, "session end", channel=room)
    sim.inject("POST", BULK, 403, code=50013, times=20)
    sim.inject("DELETE", ONE, 403, code=50013, times=200)
    await world.advance(minutes=66)
    leaders = sim.channel(handle.group.leaders_channel_id)
    (told,) = [m.content for m in leaders.messages if "still readable" in m.content]
    assert "messages" in told and "delete it yourself" not in told, told
