"""A retry that comes due after its meeting ended or was called off does nothing visible.

The timer's handler re-reads the meeting: a retry is the same work run again, so it must
find the meeting gone as the first run would have.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store import groups as group_store
from bot.store import timers as timer_store
from tests.retry_support import fail_posts, phase_end_timer, reminded_group, short_lead_world
from tests.session_support import leader, phase, start_session
from tests.support import make_group

PERMISSION_ROUTE = "/channels/{channel_id}/permissions/{overwrite_id}"
MEETING = datetime(2026, 11, 24, 19, 0, tzinfo=UTC)


def changes(sim, since: int) -> list[str]:  # noqa: ANN001
    """What the bot asked Discord to change (or post) after call number `since`."""
    return [f"{c.method} {c.route}" for c in sim.calls[since:] if c.method != "GET"]


async def test_an_auto_advance_retry_after_the_meeting_ended_does_nothing(scenario):
    world, sim = scenario, scenario.sim
    handle = await make_group(world, size=4)
    await group_store.update_settings(world.bot.db, handle.group.id, auto_advance=1)
    session, channel = await start_session(world, handle)
    await leader(world, handle, "phase goto", channel, phase="case_call")
    await leader(world, handle, "session presenter", channel, member=handle.members[0])
    _, due = await phase_end_timer(world)
    sim.inject_network("PUT", PERMISSION_ROUTE)
    await world.advance(seconds=(due - world.clock.now()).total_seconds())
    assert await phase(world, session) == "case_call"  # its retry is a minute later
    result = await leader(world, handle, "session end", channel)
    assert "ended" in result.text.lower(), result.text
    await world.advance(seconds=1)  # what the end itself stored for now has run
    since = len(sim.calls)
    await world.advance(minutes=3)
    assert changes(sim, since) == []
    left = await timer_store.pending(world.bot.db, due_before=world.clock.now())
    assert left == []


async def test_a_reminder_retry_after_the_meeting_was_called_off_posts_nothing(tmp_path):
    async with short_lead_world(tmp_path) as world:
        g, closed = await reminded_group(world)
        refused = fail_posts(world.sim, g.lobby.id, f"<@{closed.id}>", times=1)
        reminder = MEETING - timedelta(minutes=15)
        await world.advance(seconds=(reminder - world.clock.now()).total_seconds())
        assert len(refused) == 1  # its retry is at 18:46
        result = await world.sim.slash(
            g.leader, "schedule skip", channel=g.lobby, options={"date": "2026-11-24"}
        )
        assert result.text, result.text
        await world.advance(minutes=10)
        lobby = world.sim.messages_in(g.lobby)
        assert [m.content for m in lobby if f"<@{closed.id}>" in m.content] == []


async def test_a_reminder_retry_for_a_meeting_moved_meanwhile_is_not_posted(tmp_path):
    """The meeting moved to the next day while its reminder waited for a retry: the old
    retry says nothing; the new time's reminder mentions the member once."""
    async with short_lead_world(tmp_path) as world:
        g, closed = await reminded_group(world)
        refused = fail_posts(world.sim, g.lobby.id, f"<@{closed.id}>", times=1)
        reminder = MEETING - timedelta(minutes=15)
        await world.advance(seconds=(reminder - world.clock.now()).total_seconds() + 30)
        assert len(refused) == 1  # its retry is at 18:46
        opts = {"date": "2026-11-24", "new_date": "2026-11-25", "new_time": "19:00"}
        result = await world.sim.slash(g.leader, "schedule move", channel=g.lobby, options=opts)
        assert "moved" in result.text, result.text
        await world.advance(minutes=10)
        lobby = world.sim.messages_in(g.lobby)
        assert [m.content for m in lobby if f"<@{closed.id}>" in m.content] == []
        await world.advance(days=1)
        lobby = world.sim.messages_in(g.lobby)
        assert len([m for m in lobby if f"<@{closed.id}>" in m.content]) == 1
