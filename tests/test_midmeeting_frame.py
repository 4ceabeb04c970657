"""A moderator deletes the bot's frame message mid-meeting: it is posted again.

Why: the frame carries the confidentiality reminder and its "I have read this" and
"Who has not?" buttons. Deleted by hand, members could no longer acknowledge the
reminder and leaders no longer see who has not. In a permanent channel the first
frame stays the purge boundary: what this session posted before the re-post goes
with this session, and nothing of the next session goes with it.
"""

from __future__ import annotations

from bot.sim.scenario import Scenario
from bot.sim.world import Channel, Message
from bot.store import sessions as session_store
from bot.store.sessions import Session
from bot.texts import facilitation as texts
from tests.session_support import reload, start_session, status_message
from tests.support import make_group
from tests.test_permanent_channel import alive, permanent_group, talk


def frames(world: Scenario, room: Channel, session: Session) -> list[Message]:
    """The frame messages of the session still in the channel (by their ack button)."""
    ack = f"balint:ack:{session.id}"
    return [m for m in world.sim.messages_in(room) if ack in m.custom_ids()]


async def acked(world: Scenario, session: Session) -> set[int]:
    rows = await world.bot.db.fetchall(
        "SELECT user_id FROM session_acks WHERE session_id = ?", (session.id,)
    )
    return {row["user_id"] for row in rows}


async def test_a_deleted_frame_is_posted_again_and_its_buttons_work(scenario):
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    session, room = await start_session(world, handle)
    [old] = frames(world, room, session)
    sim.delete_message(old)  # a moderator, in Discord: MESSAGE_DELETE
    await sim.settle()
    [fresh] = frames(world, room, session)
    assert fresh.id != old.id and not fresh.deleted
    assert fresh.embeds and fresh.embeds[0]["title"] == texts.FRAME_TITLE.format(
        group=handle.group.name
    )
    first, *others = handle.members
    result = await sim.click(first, fresh, f"balint:ack:{session.id}")
    assert texts.ACK_OK in result.text
    assert await acked(world, session) == {first.id}
    who = await sim.click(handle.leader, fresh, f"balint:ackwho:{session.id}")
    line = who.text.splitlines()[-1]
    assert line.startswith("Not yet confirmed: ")
    assert all(f"<@{u.id}>" in line for u in others) and f"<@{first.id}>" not in line
    # Deleted again: posted again once more (one frame at a time).
    sim.delete_message(fresh)
    await sim.settle()
    [third] = frames(world, room, session)
    assert third.id not in (old.id, fresh.id)
    # The first frame stays the session's start in the channel (the purge boundary).
    assert (await reload(world, session)).frame_message_id == old.id


async def test_a_frame_deleted_after_the_end_is_not_posted_again(scenario):
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    session, room = await start_session(world, handle)
    await sim.slash(handle.leader, "session end", channel=room)
    [old] = frames(world, room, session)
    sim.delete_message(old)
    await sim.settle()
    assert frames(world, room, session) == []


async def test_a_frame_deleted_while_the_bot_was_down_is_posted_again_at_restart(scenario):
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    session, room = await start_session(world, handle)
    [old] = frames(world, room, session)
    await world.stop()
    sim.world.remove_message(old)  # no MESSAGE_DELETE reached the bot
    await world.start()
    await sim.settle()
    [fresh] = frames(world, room, session)
    assert fresh.id != old.id
    await sim.click(handle.members[0], fresh, f"balint:ack:{session.id}")
    assert await acked(world, session) == {handle.members[0].id}
    await world.restart()  # the re-posted frame is there: nothing posted a third time
    await sim.settle()
    assert frames(world, room, session) == [fresh]


async def test_a_permanent_channel_purge_takes_all_of_a_session_with_a_reposted_frame(scenario):
    world, sim = scenario, scenario.sim
    handle = await permanent_group(world)
    first, room = await start_session(world, handle)
    await talk(world, handle, room, n=2)  # before the re-post
    [old] = frames(world, room, first)
    sim.delete_message(old)
    await sim.settle()
    [fresh] = frames(world, room, first)
    await sim.click(handle.members[2], fresh, f"balint:ack:{first.id}")
    await talk(world, handle, room, n=1)  # after the re-post
    await sim.slash(handle.leader, "session end", channel=room)
    await world.advance(minutes=5)  # the first session's purge is not due yet
    second, again = await start_session(world, handle)
    assert again is room
    assert (await reload(world, first)).purged_at is not None
    assert len(alive(room)) == 2, "the first session is gone, re-posted frame and all"
    await talk(world, handle, room, n=2)
    kept = [m.id for m in sim.messages_in(room)]
    await world.advance(minutes=60)  # the first session's purge timer: the second's stay
    assert [m.id for m in sim.messages_in(room)] == kept
    [second_frame] = frames(world, room, second)
    sim.delete_message(second_frame)
    await sim.settle()
    assert len(frames(world, room, second)) == 1
    await talk(world, handle, room, n=1)
    await sim.slash(handle.leader, "session end", channel=room)
    await world.advance(minutes=61)
    assert alive(room) == [] and sim.messages_in(room) == []
    fresh_second = await session_store.get(world.bot.db, second.id)
    assert fresh_second is not None and fresh_second.purged_at is not None


async def test_a_bulk_delete_of_frame_and_status_posts_each_again_once(scenario):
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=3)
    session, room = await start_session(world, handle)
    [frame] = frames(world, room, session)
    status = await status_message(world, session)
    for message in (frame, status):
        sim.world.remove_message(message)
    sim.dispatch(  # what Discord sends for a moderator's (or another bot's) bulk delete
        "MESSAGE_DELETE_BULK",
        {
            "ids": [str(frame.id), str(status.id)],
            "channel_id": str(room.id),
            "guild_id": str(room.guild_id),
        },
    )
    await sim.settle()
    [fresh] = frames(world, room, session)
    assert fresh.id != frame.id
    fresh_status = await status_message(world, session)
    assert fresh_status.id != status.id and not fresh_status.deleted
    assert len(sim.messages_in(room)) == 2
