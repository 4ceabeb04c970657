"""A moderator deletes the bot's status message mid-meeting: the buttons come back.

Why: the status message carries every button of the meeting (raise a hand, next phase,
next speaker). Deleted by hand, its edits failed with Unknown Message and the meeting
went on without buttons until its end; members had no way to raise a hand.
"""

from __future__ import annotations

from tests.session_support import leader, phase, press, reload, start_session, status_message
from tests.support import make_group


async def test_a_deleted_status_message_is_posted_again_at_once(scenario):
    world = scenario
    handle = await make_group(world, size=4)
    session, room = await start_session(world, handle)
    old = await status_message(world, session)
    world.sim.delete_message(old)  # a moderator, in Discord: MESSAGE_DELETE
    await world.sim.settle()
    fresh = await status_message(world, session)
    assert fresh.id != old.id and not fresh.deleted
    assert fresh in world.sim.messages_in(room)
    await press(world, handle.members[0], session, "raise")  # the buttons work again
    hands = await world.bot.db.fetchall(
        "SELECT user_id FROM session_queue WHERE session_id = ? AND kind = 'hand'", (session.id,)
    )
    assert [row["user_id"] for row in hands] == [handle.members[0].id]


async def test_a_status_message_deleted_unseen_is_posted_again_at_the_next_change(scenario):
    """A deletion the bot missed (it was reconnecting): the next edit finds it gone."""
    world = scenario
    handle = await make_group(world, size=4)
    session, room = await start_session(world, handle)
    old = await status_message(world, session)
    world.sim.world.remove_message(old)  # no MESSAGE_DELETE reached the bot
    await leader(world, handle, "phase next", room)
    assert await phase(world, session) == "case_call"
    fresh = await status_message(world, session)
    assert fresh.id != old.id and fresh in world.sim.messages_in(room)
    assert (await reload(world, session)).status_message_id == fresh.id
