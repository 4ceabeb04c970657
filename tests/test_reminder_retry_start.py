"""A reminder says nothing once its meeting's start has passed, however late it runs.

Found by review: with reminders 15 minutes ahead, the lobby mention for a member whose
DMs are closed failed at 18:45, 18:46 and 18:51 (a broken connection); the clock's last
try, at 19:06, posted "Tuesday group meets 19:00 (6 minutes ago)". A restart within the
grace after the start did the same with the DMs themselves.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.retry_support import fail_posts, reminded_group, short_lead_world

MEETING = datetime(2026, 11, 24, 19, 0, tzinfo=UTC)  # the weekly Tuesday 19:00 group's first


async def test_a_reminder_retried_past_the_meetings_start_is_not_posted(tmp_path):
    """The lobby mention for a member whose DMs are closed fails at 18:45, 18:46 and 18:51;
    the last try, at 19:06, came after the meeting's start: it posted "meets ... (6 minutes
    ago)". Now it posts nothing; the leaders start the meeting as usual."""
    async with short_lead_world(tmp_path) as world:
        g, closed = await reminded_group(world)
        refused = fail_posts(world.sim, g.lobby.id, f"<@{closed.id}>", times=3)
        await world.advance(seconds=(MEETING - world.clock.now()).total_seconds() + 30 * 60)
        assert len(refused) == 3
        lobby = world.sim.messages_in(g.lobby)
        assert [m.content for m in lobby if f"<@{closed.id}>" in m.content] == []


async def test_a_reminder_retried_before_the_meetings_start_is_posted_once(tmp_path):
    """One failure: the retry a minute later, before the start, posts the mention once."""
    async with short_lead_world(tmp_path) as world:
        g, closed = await reminded_group(world)
        fail_posts(world.sim, g.lobby.id, f"<@{closed.id}>", times=1)
        await world.advance(seconds=(MEETING - world.clock.now()).total_seconds())
        posted = [m for m in world.sim.messages_in(g.lobby) if f"<@{closed.id}>" in m.content]
        assert len(posted) == 1 and "could not DM you a reminder" in posted[0].content


async def test_back_after_the_start_within_the_grace_no_reminder_is_sent(tmp_path):
    """Down from 18:40 to 19:10: the 18:45 reminder is 25 minutes late, inside the 30-minute
    grace, but the meeting began at 19:00. Before, everyone got "meets 19:00 (10 minutes
    ago)" with buttons to say whether they will come, and the leaders a quorum warning."""
    async with short_lead_world(tmp_path) as world:
        g, _ = await reminded_group(world)
        await world.advance(seconds=(MEETING - world.clock.now()).total_seconds() - 20 * 60)
        await world.sim.detach(world.bot)
        world.clock.set(MEETING + timedelta(minutes=10))
        await world.start()
        await world.sim.settle()
        got = [m.content for u in g.everyone for m in world.sim.dms_to(u)]
        assert [c for c in got if c.startswith("Reminder:")] == []
        assert [c for c in got if c.startswith("Heads-up")] == []  # nor the quorum warning
