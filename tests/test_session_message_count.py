"""A session counts the messages posted (the silence nudge, attendance): not updates, not
Discord's own notices such as "<someone> pinned a message"."""

from __future__ import annotations

from bot.sim.scenario import Scenario
from tests.session_support import start_session
from tests.support import make_group
from tests.test_guard_cog import post

QUERY = "SELECT message_count, last_message_at FROM sessions WHERE id = ?"


async def test_a_preview_or_an_edit_is_not_counted_as_another_message(scenario: Scenario) -> None:
    """The silence nudge and attendance count messages posted: an update is not one."""
    world = scenario
    handle = await make_group(world, size=4)
    session, room = await start_session(world, handle)
    message = await post(world, handle.members[0], room, "see https://example.org")
    counted = dict(await world.bot.db.fetchone(QUERY, (session.id,)))
    assert counted["message_count"] == 1
    await world.advance(minutes=3)
    assert await world.sim.unfurl(message)
    assert await world.sim.edit(handle.members[0], message, "see https://example.org again")
    assert dict(await world.bot.db.fetchone(QUERY, (session.id,))) == counted


async def test_a_pin_notice_is_not_counted_as_a_message(scenario: Scenario) -> None:
    """Discord posts "<someone> pinned a message" as a message by the pinner: nobody spoke."""
    world = scenario
    handle = await make_group(world, size=4)
    session, room = await start_session(world, handle)
    message = await post(world, handle.members[0], room, "the one thing to keep in mind")
    counted = dict(await world.bot.db.fetchone(QUERY, (session.id,)))
    assert counted["message_count"] == 1
    await world.advance(minutes=3)
    assert await world.sim.pin(world.admin, message)
    assert any(m.type == 6 for m in world.sim.messages_in(room))  # the notice was posted
    assert dict(await world.bot.db.fetchone(QUERY, (session.id,))) == counted
